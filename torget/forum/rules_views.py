from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from torget.forum.models import EDIT_GRACE, HideReason


@require_safe
def rules(request: HttpRequest) -> HttpResponse:
    """The published rules every forum and map links to: what moderators act on."""
    return render(
        request,
        "forum/rules.html",
        {"reasons": HideReason.choices, "edit_minutes": int(EDIT_GRACE.total_seconds() // 60)},
    )
