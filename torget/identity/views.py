from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from torget.accounts.permissions import has_perm
from torget.core.inputs import next_path
from torget.identity import methods, services
from torget.identity.forms import DemoVerificationForm, ResidentRegisterForm
from torget.identity.models import ResidentImport


def safe_next(request: HttpRequest, default: str = "/") -> str:
    candidate = request.POST.get("next") or request.GET.get("next")
    return next_path(candidate, host=request.get_host(), secure=request.is_secure()) or default


@never_cache
def choose(request: HttpRequest) -> HttpResponse:
    """Legitimera dig: the list of active methods; with one method, straight to it."""
    next_url = safe_next(request)
    available = methods.active_methods()
    if len(available) == 1 and request.GET.get("metod") != "visa":
        return available[0].start(request, next_url)
    return render(
        request,
        "identity/choose.html",
        {
            "methods": available,
            "next": next_url,
            "fresh_minutes": settings.IDENTITY_FRESH_SECONDS // 60,
        },
    )


@never_cache
def start(request: HttpRequest, slug: str) -> HttpResponse:
    method = methods.method_by_slug(slug)
    if method is None:
        raise Http404
    return method.start(request, safe_next(request))


@never_cache
@require_http_methods(["GET", "POST"])
def demo(request: HttpRequest) -> HttpResponse:
    if methods.method_by_slug("demo") is None:
        raise Http404
    next_url = safe_next(request)
    form = DemoVerificationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.verification_complete(
            request=request,
            method="demo",
            pin=form.cleaned_data["pin"],
            residence=form.cleaned_data["residence"],
        )
        messages.success(request, _("Du är legitimerad."))
        return redirect(next_url)
    return render(request, "identity/demo.html", {"form": form, "next": next_url})


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def resident_register(request: HttpRequest) -> HttpResponse:
    """Personal: upload the residents' register (administrators)."""
    if not has_perm(request.user, "identity.add_residentimport"):
        raise PermissionDenied
    form = ResidentRegisterForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            source = services.resident_register_import(
                file=form.cleaned_data["file"], actor=request.user
            )
        except ValidationError as error:
            for message in error.messages:
                form.add_error("file", message)
        else:
            messages.success(
                request,
                _("Registret är inläst: %(count)d folkbokförda personer.")
                % {"count": source.row_count},
            )
            return redirect("identity:resident_register")
    return render(
        request,
        "identity/resident_register.html",
        {
            "form": form,
            "current": ResidentImport.objects.filter(is_current=True).first(),
            "fresh_minutes": settings.IDENTITY_FRESH_SECONDS // 60,
        },
    )
