"""Demo e-ID for `make run`: type any valid personnummer. Only in the development profile
(a system check refuses it in production)."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from torget.identity.methods import VerificationMethod


class DemoMethod(VerificationMethod):
    slug = "demo"
    label = _("Demo-legitimering")
    description = _("Endast för demonstration: skriv ett påhittat personnummer.")

    def start(self, request: HttpRequest, next_url: str) -> HttpResponse:
        return redirect(reverse("identity:demo") + "?" + urlencode({"next": next_url}))
