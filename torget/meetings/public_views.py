"""Public pages of a meeting: /moten/<pk>/ with its agenda, the citizens' share of the time,
accepted questions, the question and registration forms, the approved documentation and the
feedback at its end; the registration's own page behind the e-mailed token. The meeting's
sections on the dialogue's public page are rendered here too.

Pages with forms or a person's registration are never cached (`no-store`)."""

from typing import Any, TypeVar

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from torget.core import ratelimit
from torget.core.forms import apply_service_errors
from torget.core.media import serve_file
from torget.dialogues.models import Dialogue
from torget.meetings import agenda, forms, selectors, services
from torget.meetings.minutes import minutes_for
from torget.meetings.models import (
    Attachment,
    Meeting,
    MeetingStatus,
    Photo,
    RegistrationStatus,
)

R = TypeVar("R", bound=HttpResponseBase)


def _no_store(response: R) -> R:
    patch_cache_control(response, private=True, no_store=True, max_age=0)
    patch_vary_headers(response, ["Cookie"])
    return response


# --- An utskott's page -------------------------------------------------------------------------

PAST_SHOWN = 10


def body_section(request: HttpRequest, body: Any) -> str:
    """ "Möten" on an utskott's public page: the coming meetings with their agendas, and the
    latest ones held, with their minutes once approved."""
    now = timezone.now()
    meetings = selectors.public_body_meetings(body)
    coming = list(meetings.filter(ends_at__gte=now).order_by("starts_at", "pk"))
    past = list(meetings.filter(ends_at__lt=now).order_by("-starts_at", "-pk")[:PAST_SHOWN])
    if not (coming or past):
        return ""
    return render_to_string(
        "meetings/_body_section.html", {"body": body, "coming": coming, "past": past}
    )


# --- The dialogue's page -----------------------------------------------------------------------


def dialogue_section(request: HttpRequest, dialogue: Dialogue) -> str:
    """ "Möten" on the dialogue's public page: only what anyone may see (the page is cached)."""
    meetings = list(
        selectors.public_meetings_of(dialogue).select_related("documentation", "method")
    )
    if not meetings:
        return ""
    for meeting in meetings:
        meeting.places_left = (  # type: ignore[attr-defined]
            None
            if meeting.capacity is None
            else max(0, meeting.capacity - meeting.registered_count)  # type: ignore[attr-defined]
        )
    return render_to_string(
        "meetings/_dialogue_section.html", {"meetings": meetings, "now": timezone.now()}
    )


# --- One meeting -------------------------------------------------------------------------------


def _open_for_questions(meeting: Meeting) -> bool:
    return (
        agenda.citizens_time_applies(meeting)
        and meeting.status == MeetingStatus.PUBLISHED
        and meeting.agenda_published_at is not None
        and meeting.starts_at > timezone.now()
    )


def _open_for_registration(meeting: Meeting) -> bool:
    return (
        meeting.registration_required
        and meeting.status == MeetingStatus.PUBLISHED
        and meeting.starts_at > timezone.now()
    )


def _limited(request: HttpRequest, form: Any) -> bool:
    """Registrations and questions from one address per hour: over the limit, the form says
    so and nothing is saved."""
    if ratelimit.hit(
        "meeting-post", ratelimit.client_ip(request), limit=settings.MEETINGS_POST_RATE_PER_IP
    ):
        return False
    form.add_error(
        None,
        _(
            "Det har kommit för många anmälningar och frågor från din uppkoppling. Försök igen om en stund."
        ),
    )
    return True


def _page(
    request: HttpRequest,
    meeting: Meeting,
    *,
    registration_form: forms.RegistrationForm | None = None,
    question_form: forms.QuestionForm | None = None,
    status: int = 200,
) -> HttpResponse:
    documentation = selectors.approved_documentation(meeting)
    feedback = selectors.documentation(meeting)
    context: dict[str, Any] = {
        "meeting": meeting,
        "dialogue": meeting.dialogue,
        "items": list(meeting.agenda.all()) if meeting.agenda_published_at else [],
        "check": agenda.check(meeting),
        "questions": selectors.accepted_questions(meeting),
        "minutes": minutes_for(meeting),
        "documentation": documentation,
        "counts": meeting.participant_counts.select_related("target_group")
        if documentation
        else [],
        "attachments": meeting.attachments.all() if documentation else [],
        "photos": meeting.photos.all() if documentation else [],
        "feedback": feedback if feedback and feedback.feedback_sent_at else None,
        "is_cancelled": meeting.status == MeetingStatus.CANCELLED,
    }
    if _open_for_questions(meeting):
        context["question_form"] = question_form or forms.QuestionForm()
    if _open_for_registration(meeting):
        context["registration_form"] = registration_form or forms.RegistrationForm()
        context["places_left"] = selectors.places_left(meeting)
    return _no_store(render(request, "meetings/detail.html", context, status=status))


@require_safe
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _page(request, selectors.public_meeting(pk))


@require_POST
def register(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = selectors.public_meeting(pk)
    if not _open_for_registration(meeting):
        messages.error(request, _("Det går inte att anmäla sig till det här mötet."))
        return redirect(meeting)
    form = forms.RegistrationForm(request.POST)
    if form.is_spam():
        return redirect(meeting)
    if not form.is_valid():
        return _page(request, meeting, registration_form=form, status=400)
    if _limited(request, form):
        return _page(request, meeting, registration_form=form, status=429)
    data = form.cleaned_data
    try:
        registration = services.registration_create(
            meeting=meeting,
            name=data["name"],
            email=data["email"],
            target_group=data.get("target_group"),
            needs=data.get("needs", ""),
        )
    except services.MeetingError as error:
        apply_service_errors(form, error)
        return _page(request, meeting, registration_form=form, status=400)
    return redirect("meetings:registration", token=registration.token)


@require_POST
def submit_question(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = selectors.public_meeting(pk)
    if not _open_for_questions(meeting):
        messages.error(request, _("Det går inte att skicka frågor till det här mötet nu."))
        return redirect(meeting)
    form = forms.QuestionForm(request.POST)
    if not form.is_valid():
        return _page(request, meeting, question_form=form, status=400)
    if _limited(request, form):
        return _page(request, meeting, question_form=form, status=429)
    data = form.cleaned_data
    try:
        services.question_submit(
            meeting=meeting, text=data["text"], name=data["name"], email=data["email"]
        )
    except services.MeetingError as error:
        apply_service_errors(form, error)
        return _page(request, meeting, question_form=form, status=400)
    messages.success(
        request,
        _("Tack för din fråga! Den visas här på sidan när vi har läst den."),
    )
    return redirect(meeting)


# --- The registration behind the e-mailed link -------------------------------------------------


@require_http_methods(["GET", "POST"])
def registration(request: HttpRequest, token: str) -> HttpResponse:
    registration = selectors.registration_by_token(token)
    meeting = registration.meeting
    form = forms.CancelRegistrationForm(request.POST if request.method == "POST" else None)
    can_cancel = (
        registration.status != RegistrationStatus.CANCELLED
        and meeting.status == MeetingStatus.PUBLISHED
        and meeting.starts_at > timezone.now()
    )
    status = 200
    if request.method == "POST":
        if not can_cancel:
            status = 400
        elif form.is_valid():
            services.registration_cancel(registration=registration)
            messages.success(request, _("Du är avanmäld från mötet."))
            return redirect("meetings:registration", token=token)
        else:
            status = 400
    return _no_store(
        render(
            request,
            "meetings/registration.html",
            {
                "registration": registration,
                "meeting": meeting,
                "form": form if can_cancel else None,
                "is_public": meeting.is_public,
            },
            status=status,
        )
    )


# --- Attachments -------------------------------------------------------------------------------


@require_safe
def attachment(request: HttpRequest, pk: int, attachment_pk: int) -> HttpResponseBase:
    """An attachment: to the public only once the documentation is approved; to those who plan
    the meeting always (to check it before approving). Always downloaded, never shown in the
    page: it is an office document from outside."""
    item, public = selectors.access_documentation_file(
        request.user, Attachment, meeting_pk=pk, pk=attachment_pk
    )
    return serve_file(
        item.file,
        public=public,
        content_type=item.content_type,
        as_attachment=True,
        filename=f"{item.title[:80]}.{item.extension}",
    )


@require_safe
def photo(request: HttpRequest, pk: int, photo_pk: int) -> HttpResponseBase:
    """A photo, on the same terms as the attachments."""
    item, public = selectors.access_documentation_file(
        request.user, Photo, meeting_pk=pk, pk=photo_pk
    )
    return serve_file(item.image, public=public, content_type="image/jpeg")
