"""Flagging a post: anyone signed in may tell the moderators that a post breaks the published
rules, with a reason. The page shows the post as the public sees it: a hidden post shows
only the moderator's reason, never its text."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from torget.core import ratelimit
from torget.core.forms import apply_service_errors
from torget.core.richtext import plain_to_html
from torget.forum import moderation
from torget.forum.models import PostStatus
from torget.forum.staff_forms import FlagForm


def _within_limits(request: HttpRequest) -> bool:
    return ratelimit.hit(
        "forum-flag-user", str(request.user.pk), limit=settings.FORUM_FLAG_RATE_PER_USER
    ) and ratelimit.hit(
        "forum-flag-ip", ratelimit.client_ip(request), limit=settings.FORUM_FLAG_RATE_PER_IP
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def flag(request: HttpRequest, pk: int) -> HttpResponse:
    post = moderation.access_post_to_flag(pk)
    hidden = post.status == PostStatus.HIDDEN
    form = None if hidden else FlagForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form is None:
            messages.info(request, _("Inlägget är redan dolt av en moderator."))
            return redirect(post.get_absolute_url())
        if not _within_limits(request):
            form.add_error(None, _("Du har flaggat många inlägg på kort tid. Försök igen senare."))
            status = 429
        elif form.is_valid():
            try:
                moderation.flag_add(post=post, user=request.user, **form.cleaned_data)
            except ValidationError as error:
                if getattr(error, "code", "") == "already":
                    messages.info(request, error.messages[0])
                    return redirect(post.get_absolute_url())
                apply_service_errors(form, error)
            else:
                messages.success(
                    request,
                    _("Tack! Inlägget är flaggat. En moderator läser det, de äldsta först."),
                )
                return redirect(post.get_absolute_url())
        if status == 200:
            status = 400
    return render(
        request,
        "forum/flag.html",
        {
            "post": post,
            "thread": post.thread,
            "forum": post.thread.forum,
            "hidden": hidden,
            # Never the text of a hidden post: only its public reason.
            "html": None if hidden else plain_to_html(post.text),
            "form": form,
        },
        status=status,
    )
