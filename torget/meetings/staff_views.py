"""Staff pages under /personal/moten/: planning a meeting for a dialogue or an utskott, the
agenda builder, moderating questions, the registrations, cancelling, marking as held, the
documentation and the feedback at the end of the meeting (seed 004 §9, point 1).

Every page starts from selectors.access_meeting() (or can_plan for a new meeting), and every
change is one service call: the rules and the audit entries live in services.py."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from torget.core.forms import apply_service_errors
from torget.core.inputs import parse_id
from torget.core.media import serve_file
from torget.dialogues import selectors as dialogue_selectors
from torget.dialogues.models import Dialogue
from torget.meetings import agenda, forms, kallelse, permissions, selectors, services
from torget.meetings.minutes import minutes_for
from torget.meetings.models import (
    AgendaItem,
    AgendaQuestion,
    Attachment,
    Meeting,
    MeetingStatus,
    Photo,
    RegistrationStatus,
)

# --- The dialogue's staff page -----------------------------------------------------------------


def dialogue_section(request: HttpRequest, dialogue: Dialogue) -> str:
    """ "Möten" on the dialogue's staff page."""
    can_plan = services.can_plan(request.user, dialogue=dialogue)
    meetings = list(selectors.dialogue_meetings(dialogue))
    if not (meetings or can_plan):
        return ""
    return render_to_string(
        "meetings/staff/_dialogue_section.html",
        {"dialogue": dialogue, "meetings": meetings, "can_plan": can_plan},
        request=request,
    )


# --- Utskott -----------------------------------------------------------------------------------


@login_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    """The utskott's meetings (a dialogue's meetings are on the dialogue's page)."""
    bodies = permissions.plannable_utskott(request.user)
    if not bodies:
        raise PermissionDenied
    return render(
        request,
        "meetings/staff/index.html",
        {"bodies": [(body, selectors.body_meetings(body)) for body in bodies]},
    )


# --- A new meeting, and changing one -----------------------------------------------------------


def _meeting_values(form: forms.MeetingForm) -> dict[str, Any]:
    return {name: form.cleaned_data.get(name) for name in services.EDITABLE}


def _create(request: HttpRequest, **where: Any) -> HttpResponse:
    """A new meeting in a dialogue or for an utskott, which the caller has fetched with its
    access_* selector (so the permission is checked before anything else)."""
    form = forms.MeetingForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.meeting_create(actor=request.user, **where, **_meeting_values(form))
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(
                request,
                _("Mötet är sparat som utkast. Lägg till agendan och publicera den."),
            )
            return redirect(meeting.staff_url())
    return render(
        request,
        "meetings/staff/edit.html",
        {"form": form, "meeting": None, **where},
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def create_for_dialogue(request: HttpRequest, dialogue_pk: int) -> HttpResponse:
    return _create(
        request, dialogue=selectors.access_dialogue_for_planning(request.user, dialogue_pk)
    )


@login_required
@require_http_methods(["GET", "POST"])
def create_for_body(request: HttpRequest, body_pk: int) -> HttpResponse:
    return _create(request, body=selectors.access_utskott_for_planning(request.user, body_pk))


@login_required
@require_http_methods(["GET", "POST"])
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = selectors.access_meeting(request.user, pk)
    form = forms.MeetingForm(request.POST if request.method == "POST" else None, instance=meeting)
    if request.method == "POST" and form.is_valid():
        try:
            services.meeting_update(meeting=meeting, actor=request.user, **_meeting_values(form))
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Ändringarna är sparade."))
            return redirect(meeting.staff_url())
    return render(
        request,
        "meetings/staff/edit.html",
        {"form": form, "meeting": meeting, "dialogue": meeting.dialogue, "body": meeting.body},
        status=400 if form.errors else 200,
    )


# --- One meeting: overview, agenda builder, questions ------------------------------------------


def _detail(
    request: HttpRequest,
    meeting: Meeting,
    *,
    item_form: forms.AgendaItemForm | None = None,
    page_errors: list[str] | None = None,
    status: int = 200,
) -> HttpResponse:
    registrations = meeting.registrations.all()
    return render(
        request,
        "meetings/staff/detail.html",
        {
            "meeting": meeting,
            "items": list(meeting.agenda.all()),
            "check": agenda.check(meeting),
            "item_form": item_form or forms.AgendaItemForm(),
            "page_errors": page_errors or [],
            "submitted": selectors.submitted_questions(meeting),
            "accepted": selectors.accepted_questions(meeting),
            "registered": registrations.filter(status=RegistrationStatus.REGISTERED).count(),
            "waiting": registrations.filter(status=RegistrationStatus.WAITING).count(),
            "minutes": minutes_for(meeting),
            "is_open": meeting.status in (MeetingStatus.DRAFT, MeetingStatus.PUBLISHED),
            "is_utskott": kallelse.is_utskott_meeting(meeting),
            "can_mark_held": meeting.status == MeetingStatus.PUBLISHED
            and meeting.starts_at <= timezone.now(),
        },
        status=status,
    )


@login_required
@require_GET
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, selectors.access_meeting(request.user, pk))


AGENDA_ACTIONS = {"add", "remove", "up", "down", "publish"}


@login_required
@require_POST
def agenda_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    meeting = selectors.access_meeting(request.user, pk)
    if action not in AGENDA_ACTIONS:
        raise Http404
    user = request.user
    form = None
    try:
        if action == "add":
            form = forms.AgendaItemForm(request.POST)
            if not form.is_valid():
                return _detail(request, meeting, item_form=form, status=400)
            services.agenda_item_add(meeting=meeting, actor=user, **form.cleaned_data)
            done = _("Punkten är tillagd.")
        elif action == "publish":
            called = meeting.called_at is not None
            services.agenda_publish(meeting=meeting, actor=user)
            done = _("Agendan och mötet är publicerade.")
            if kallelse.is_utskott_meeting(meeting):
                done += " " + (
                    _("Ledamöterna får den ändrade kallelsen med e-post.")
                    if called
                    else _("Ledamöterna får kallelsen med agendan och en kalenderinbjudan.")
                )
        else:
            item = get_object_or_404(
                AgendaItem, pk=parse_id(request.POST.get("item")) or 0, meeting=meeting
            )
            if action == "remove":
                services.agenda_item_remove(item=item, actor=user)
                done = _("Punkten är borttagen.")
            else:
                services.agenda_item_move(item=item, actor=user, up=action == "up")
                done = _("Punkten är flyttad.")
    except ValidationError as error:
        if form is not None:
            apply_service_errors(form, error)
            return _detail(request, meeting, item_form=form, status=400)
        meeting.refresh_from_db()
        return _detail(request, meeting, page_errors=list(error.messages), status=400)
    messages.success(request, done)
    return redirect(f"{meeting.staff_url()}#agenda")


@login_required
@require_POST
def moderate(request: HttpRequest, pk: int, question_pk: int, verdict: str) -> HttpResponse:
    meeting = selectors.access_meeting(request.user, pk)
    if verdict not in ("godkann", "avvisa"):
        raise Http404
    question = get_object_or_404(AgendaQuestion, pk=question_pk, meeting=meeting)
    services.question_moderate(question=question, actor=request.user, accept=verdict == "godkann")
    messages.success(
        request,
        _("Frågan är godkänd och visas på mötessidan.")
        if verdict == "godkann"
        else _("Frågan är avvisad."),
    )
    return redirect(f"{meeting.staff_url()}#fragor")


@login_required
@require_GET
@never_cache
def registrations(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = selectors.access_meeting(request.user, pk)
    rows = list(selectors.registrations(meeting))
    counts = {status: 0 for status in RegistrationStatus}
    for row in rows:
        counts[RegistrationStatus(row.status)] += 1
    return render(
        request,
        "meetings/staff/registrations.html",
        {
            "meeting": meeting,
            "rows": rows,
            "registered": counts[RegistrationStatus.REGISTERED],
            "waiting": counts[RegistrationStatus.WAITING],
            "cancelled": counts[RegistrationStatus.CANCELLED],
            "places_left": selectors.places_left(meeting),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def cancel(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = selectors.access_meeting(request.user, pk)
    form = forms.CancelMeetingForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.meeting_cancel(
                meeting=meeting, actor=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Mötet är inställt och de anmälda får besked."))
            return redirect(meeting.staff_url())
    return render(
        request,
        "meetings/staff/cancel.html",
        {"meeting": meeting, "form": form},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def mark_held(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = selectors.access_meeting(request.user, pk)
    try:
        services.meeting_mark_held(meeting=meeting, actor=request.user)
    except ValidationError as error:
        return _detail(request, meeting, page_errors=list(error.messages), status=400)
    messages.success(
        request, _("Mötet är markerat som genomfört. Dokumentera det och skicka återkopplingen.")
    )
    return redirect("meetings:staff_documentation", pk=meeting.pk)


# --- Documentation and feedback ----------------------------------------------------------------


def _documentation_page(
    request: HttpRequest,
    meeting: Meeting,
    *,
    bound: dict[str, Any] | None = None,
    page_errors: list[str] | None = None,
    status: int = 200,
) -> HttpResponse:
    documentation = selectors.documentation(meeting)
    groups = dialogue_selectors.target_groups()
    counts = {c.target_group_id: c.count for c in meeting.participant_counts.all()}
    initial: dict[str, Any] = {}
    if documentation is not None:
        initial = {
            "notes": documentation.notes,
            "participants_total": documentation.participants_total,
        }
    initial |= {f"group_{group_id}": count for group_id, count in counts.items()}
    feedback_sent = documentation is not None and documentation.feedback_sent_at is not None
    context: dict[str, Any] = {
        "meeting": meeting,
        "documentation": documentation,
        "form": forms.DocumentationForm(initial=initial, groups=groups),
        "attachment_form": forms.AttachmentForm(),
        "photo_form": forms.PhotoForm(),
        "feedback_form": None if feedback_sent else forms.FeedbackForm(),
        "attachments": meeting.attachments.all(),
        "photos": meeting.photos.all(),
        "page_errors": page_errors or [],
        "is_held": meeting.status == MeetingStatus.HELD,
    }
    bound = dict(bound or {})
    if feedback_sent and "feedback_form" in bound:
        # The form is not shown once sent; its refusal goes to the top of the page.
        context["page_errors"] += list(bound.pop("feedback_form").non_field_errors())
    context.update(bound)
    return render(request, "meetings/staff/documentation.html", context, status=status)


@login_required
@require_GET
def documentation(request: HttpRequest, pk: int) -> HttpResponse:
    return _documentation_page(request, selectors.access_meeting(request.user, pk))


DOCUMENTATION_ACTIONS = {
    "spara",
    "bilaga",
    "ta-bort-bilaga",
    "foto",
    "ta-bort-foto",
    "godkann",
    "aterkoppling",
}


@login_required
@require_POST
def documentation_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    meeting = selectors.access_meeting(request.user, pk)
    if action not in DOCUMENTATION_ACTIONS:
        raise Http404
    user = request.user
    form: Any = None
    key = ""
    try:
        if action == "spara":
            key = "form"
            form = forms.DocumentationForm(request.POST, groups=dialogue_selectors.target_groups())
            if form.is_valid():
                services.documentation_update(
                    meeting=meeting,
                    actor=user,
                    notes=form.cleaned_data["notes"],
                    participants_total=form.cleaned_data["participants_total"],
                    counts=form.counts(),
                )
                done = _("Dokumentationen är sparad. Den visas publikt när den är godkänd.")
        elif action == "bilaga":
            key = "attachment_form"
            form = forms.AttachmentForm(request.POST, request.FILES)
            if form.is_valid():
                services.attachment_add(
                    meeting=meeting,
                    actor=user,
                    upload=form.cleaned_data["file"],
                    title=form.cleaned_data["title"],
                )
                done = _("Bilagan är uppladdad.")
        elif action == "foto":
            key = "photo_form"
            form = forms.PhotoForm(request.POST, request.FILES)
            if form.is_valid():
                services.photo_add(
                    meeting=meeting,
                    actor=user,
                    upload=form.cleaned_data["image"],
                    alt_text=form.cleaned_data["alt_text"],
                )
                done = _("Fotot är uppladdat. Platsuppgifter och annan metadata är borttagna.")
        elif action == "aterkoppling":
            key = "feedback_form"
            form = forms.FeedbackForm(request.POST)
            if form.is_valid():
                services.feedback_send(
                    meeting=meeting,
                    actor=user,
                    questions=form.cleaned_data["questions"],
                    notes_where=form.cleaned_data["notes_where"],
                    next_on=form.cleaned_data["next_on"],
                )
                done = _(
                    "Återkopplingen är sparad och skickas med e-post till de anmälda och till "
                    "dem som följer dialogen."
                )
        elif action == "ta-bort-bilaga":
            attachment = get_object_or_404(
                Attachment, pk=parse_id(request.POST.get("attachment")) or 0, meeting=meeting
            )
            services.attachment_remove(attachment=attachment, actor=user)
            done = _("Bilagan är borttagen.")
        elif action == "ta-bort-foto":
            photo = get_object_or_404(
                Photo, pk=parse_id(request.POST.get("photo")) or 0, meeting=meeting
            )
            services.photo_remove(photo=photo, actor=user)
            done = _("Fotot är borttaget.")
        else:
            services.documentation_approve(meeting=meeting, actor=user)
            done = _("Dokumentationen är godkänd och visas på mötets och dialogens sidor.")
    except ValidationError as error:
        if form is not None:
            apply_service_errors(form, error)
            return _documentation_page(request, meeting, bound={key: form}, status=400)
        return _documentation_page(request, meeting, page_errors=list(error.messages), status=400)
    if form is not None and form.errors:
        return _documentation_page(request, meeting, bound={key: form}, status=400)
    messages.success(request, done)
    return redirect("meetings:staff_documentation", pk=meeting.pk)


# --- Documents forwarded to an utskott -----------------------------------------------------------


def _utskott_meeting(request: HttpRequest, pk: int) -> Meeting:
    meeting = selectors.access_meeting(request.user, pk)
    if not kallelse.is_utskott_meeting(meeting):
        raise Http404
    return meeting


@login_required
@require_http_methods(["GET", "POST"])
def forward_document(request: HttpRequest, pk: int) -> HttpResponse:
    """Handlingar: forward a document to the utskott's members before the meeting."""
    meeting = _utskott_meeting(request, pk)
    form = forms.ForwardDocumentForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.document_forward(
                meeting=meeting,
                actor=request.user,
                upload=form.cleaned_data["file"],
                title=form.cleaned_data["title"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(
                request,
                _("Handlingen är skickad till ledamöterna i %(body)s.")
                % {"body": meeting.body.name},  # type: ignore[union-attr]
            )
            return redirect("meetings:staff_forward", pk=meeting.pk)
    return render(
        request,
        "meetings/staff/forward.html",
        {
            "meeting": meeting,
            "form": form,
            "documents": meeting.forwarded_documents.select_related("forwarded_by"),
            "is_open": meeting.status not in (MeetingStatus.CANCELLED, MeetingStatus.HELD),
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_GET
def forwarded_document(request: HttpRequest, pk: int, document_pk: int) -> HttpResponseBase:
    """A forwarded document, for the utskott's members and those who prepare its meetings;
    always downloaded, never cached."""
    document = selectors.access_forwarded_document(request.user, meeting_pk=pk, pk=document_pk)
    return serve_file(
        document.file,
        public=False,
        content_type=document.content_type,
        as_attachment=True,
        filename=f"{document.title[:80]}.{document.extension}",
    )
