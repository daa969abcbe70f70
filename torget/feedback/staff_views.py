"""The contact centre's and the administrations' pages under /personal/arenden/: the inbox with
its filters, one case with everything staff know about it and a form for each action, and
registering a case received by phone, e-mail or at the desk.

Every change goes through `services`, which records the case's history and the audit entry and
tells the citizen; these views parse a form, call one service and redirect.
"""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from torget.accounts.permissions import has_perm
from torget.accounts.types import Actor
from torget.audit.selectors import audit_log_rows
from torget.core.actions import Action, action_or_404, handle_action_post
from torget.core.forms import apply_service_errors
from torget.core.inputs import parse_id
from torget.feedback import links, selectors, services, staff_forms
from torget.feedback.models import (
    PUBLIC_UPDATES,
    REPORTER_VISIBLE_UPDATES,
    Case,
    Kind,
    ReplyChannel,
    ReplyTemplate,
    UpdateKind,
)
from torget.feedback.permissions import can_handle
from torget.notifications.selectors import delivery_states

PER_PAGE = 50
REPLY_KINDS = (UpdateKind.REPLY, UpdateKind.PUBLIC_REPLY)
MESSAGE_CHANNELS = (ReplyChannel.EMAIL, ReplyChannel.SMS)

# What the audit log's action codes mean, for the case page.
AUDIT_ACTIONS = {
    "case.created": gettext_lazy("Ärendet togs emot"),
    "case.status": gettext_lazy("Status ändrad"),
    "case.assigned": gettext_lazy("Tilldelat"),
    "case.note": gettext_lazy("Intern anteckning"),
    "case.replied": gettext_lazy("Svar"),
    "case.visibility": gettext_lazy("Synlighet ändrad"),
    "case.merged": gettext_lazy("Sammanslaget"),
    "case.photo_visibility": gettext_lazy("Fotots synlighet ändrad"),
    "case.photo_redacted": gettext_lazy("Foto maskerat"),
}


def _require_handler(user: Actor) -> None:
    if not can_handle(user):
        raise PermissionDenied


# --- The inbox -------------------------------------------------------------------------------


@login_required
@require_GET
def inbox(request: HttpRequest) -> HttpResponse:
    user = request.user
    _require_handler(user)
    # With no filters chosen yet, the inbox shows what is still to be done.
    form = staff_forms.InboxFilterForm(request.GET or {"grupp": "open"})
    filters = form.filters(user)
    today = timezone.localdate()
    paginator = Paginator(selectors.inbox(today=today, **filters), PER_PAGE)
    page = paginator.get_page(request.GET.get("sida"))
    rows = [(case, selectors.is_overdue(case, today)) for case in page.object_list]
    is_filtered = any(value for key, value in filters.items() if key != "group")
    return render(
        request,
        "feedback/staff/inbox.html",
        {
            "filter_form": form,
            "is_filtered": is_filtered,
            "page_obj": page,
            "rows": rows,
            "overdue_count": selectors.inbox(overdue=True, today=today).count(),
            "can_see_statistics": has_perm(user, "feedback.view_feedback_statistics"),
        },
    )


# --- One case --------------------------------------------------------------------------------


def _take_status(case: Case, actor: Actor, form: Any) -> str:
    data = form.cleaned_data
    services.case_set_status(case=case, status=data["status"], actor=actor, text=data["text"])
    return _("Ärendet har nu status ”%(status)s”.") % {"status": data["status"].name}


def _take_assign(case: Case, actor: Actor, form: Any) -> str:
    data = form.cleaned_data
    case = services.case_assign(
        case=case,
        actor=actor,
        administration=data["administration"],
        unit=data["unit"],
        assignee=data["assignee"],
        text=data["text"],
    )
    parts = [str(case.administration)] + ([str(case.unit)] if case.unit else [])
    if case.assignee:
        parts.append(case.assignee.get_full_name() or str(case.assignee))
    return _("Ärendet är tilldelat %(to)s.") % {"to": " / ".join(parts)}


def _take_note(case: Case, actor: Actor, form: Any) -> str:
    services.case_note(case=case, actor=actor, text=form.cleaned_data["text"])
    return _("Anteckningen är sparad. Den visas bara för personal.")


def _take_reply(case: Case, actor: Actor, form: Any) -> str:
    data = form.cleaned_data
    public = bool(data.get("public"))
    channel = form.channel
    services.case_reply(
        case=case,
        actor=actor,
        text=data["text"],
        public=public,
        status=data["status"],
        template=data.get("template"),
    )
    # Queued, not sent: the worker sends it, and the history shows whether it went out.
    if channel == ReplyChannel.EMAIL:
        done = _(
            "Svaret skickas med e-post till %(to)s. I historiken ser du när det har gått iväg."
        ) % {"to": case.reporter_email}
    elif channel == ReplyChannel.SMS:
        done = _(
            "Svaret skickas som sms till %(to)s. I historiken ser du när det har gått iväg."
        ) % {"to": case.reporter_phone}
    elif channel == ReplyChannel.PHONE:
        done = _("Samtalet är registrerat som svar i ärendet.")
    else:
        done = _("Svaret är sparat i ärendet.")
    if public:
        done += " " + _("Det visas också på felanmälans publika sida.")
    if data["status"] is not None:
        done += " " + _("Ärendet har nu status ”%(status)s”.") % {"status": data["status"].name}
    return done


def _take_merge(case: Case, actor: Actor, form: Any) -> str:
    into = form.cleaned_data["number"]
    services.case_merge(duplicate=case, into=into, actor=actor)
    return _(
        "Ärende %(duplicate)s är sammanslaget med %(into)s och avslutat. "
        "De som följde det följer nu %(into)s."
    ) % {"duplicate": case.number, "into": into.number}


def _take_visibility(case: Case, actor: Actor, form: Any) -> str:
    data = form.cleaned_data
    case = services.case_set_visibility(
        case=case,
        actor=actor,
        is_public=data["is_public"],
        public_description=data["public_description"],
    )
    if case.is_public:
        return _("Felanmälan visas publikt.")
    return _("Felanmälan visas inte längre publikt.")


def _take_photo_visibility(is_public: bool) -> Callable[[Case, Any, Any], str]:
    def take(case: Case, actor: Actor, form: Any) -> str:
        services.photo_set_public(
            photo=form.cleaned_data["photo"], actor=actor, is_public=is_public
        )
        if is_public:
            return _("Fotot visas publikt igen.")
        return _("Fotot är dolt från den publika sidan.")

    return take


def _take_photo_redact(case: Case, actor: Actor, form: Any) -> str:
    services.photo_redact(photo=form.cleaned_data["photo"], actor=actor, box=form.box())
    return _("Den markerade delen av fotot är svärtad. Originalet finns inte kvar.")


ACTIONS: dict[str, Action[Case]] = {
    "status": Action(staff_forms.StatusForm, _take_status),
    "assign": Action(staff_forms.AssignForm, _take_assign),
    "note": Action(staff_forms.NoteForm, _take_note),
    "reply": Action(staff_forms.ReplyForm, _take_reply),
    "merge": Action(staff_forms.MergeForm, _take_merge),
    "visibility": Action(staff_forms.VisibilityForm, _take_visibility),
    "photo_hide": Action(staff_forms.PhotoForm, _take_photo_visibility(False)),
    "photo_show": Action(staff_forms.PhotoForm, _take_photo_visibility(True)),
    "photo_redact": Action(staff_forms.RedactForm, _take_photo_redact),
}
PHOTO_ACTIONS = ("photo_hide", "photo_show", "photo_redact")


def _available(case: Case, user: Actor) -> list[str]:
    """The case-level forms this case offers (a merged case takes no new status or reply)."""
    names = ["assign", "note"]
    if case.merged_into_id is None:
        names = ["reply", "status", *names, "merge"]
    if case.kind == Kind.FAULT:
        names.append("visibility")
    return names


def _photo_form(name: str, case: Case, photo_pk: Any, data: Any = None) -> staff_forms.CaseForm:
    # One form per photo and action on the page: the ids carry the photo's number.
    return ACTIONS[name].form_class(
        data,
        case=case,
        prefix=name,
        auto_id=f"id_%s_{photo_pk}",
        initial={"photo": photo_pk},
    )


def _audience(kind: str) -> Any:
    if kind in PUBLIC_UPDATES:
        return gettext_lazy("Visas publikt och för den som anmälde")
    if kind in REPORTER_VISIBLE_UPDATES:
        return gettext_lazy("Visas för den som anmälde")
    return gettext_lazy("Bara för personal")


def _render_detail(
    request: HttpRequest,
    case: Case,
    *,
    invalid: tuple[str, staff_forms.CaseForm] | None = None,
    status: int = 200,
    template: ReplyTemplate | None = None,
) -> HttpResponse:
    user = request.user
    names = _available(case, user)
    forms: dict[str, Any] = {
        name: ACTIONS[name].form_class(case=case, prefix=name) for name in names
    }
    if template is not None and "reply" in forms:
        # The chosen template, filled in for this case: the official edits it, then sends.
        forms["reply"] = staff_forms.ReplyForm(
            case=case,
            prefix="reply",
            initial={
                "text": selectors.reply_template_text(template, case, user),
                "template": template.pk,
            },
        )
    if invalid and invalid[0] not in PHOTO_ACTIONS:
        forms[invalid[0]] = invalid[1]
    can_redact = has_perm(user, "feedback.redact_case_photo", case)
    photos = []
    for photo in case.photos.all():
        toggle = "photo_hide" if photo.is_public else "photo_show"
        panel = {
            "photo": photo,
            "toggle": toggle,
            "toggle_form": _photo_form(toggle, case, photo.pk),
            "redact_form": _photo_form("photo_redact", case, photo.pk),
        }
        if invalid and invalid[0] in PHOTO_ACTIONS:
            name, form = invalid
            if str(form.data.get(f"{name}-photo")) == str(photo.pk):
                panel["redact_form" if name == "photo_redact" else "toggle_form"] = form
        photos.append(panel)
    history = list(selectors.staff_updates(case))
    sent = delivery_states(update.notification_id for update in history)
    updates = [
        {
            "update": update,
            "audience": _audience(update.kind),
            "internal": update.kind == UpdateKind.NOTE,
            # What became of the message that told the citizen, from the outbox.
            "deliveries": sent.get(update.notification_id or 0, []),
            "messaged": update.notification_id is not None
            or (update.kind in REPLY_KINDS and update.channel in MESSAGE_CHANNELS),
        }
        for update in history
    ]
    reply_form = forms.get("reply")
    context: dict[str, Any] = {
        "case": case,
        # What the case is linked to in the parts above feedback (an inspection's finding).
        "case_links": links.links_for(case),
        "forms": forms,
        "reply_channel": reply_form.channel if reply_form else case.reply_channel,
        "photos": photos,
        "can_redact": can_redact,
        "updates": updates,
        "audit_entries": audit_log_rows(case, AUDIT_ACTIONS),
        "merged_cases": list(case.merged_cases.order_by("pk").only("pk", "number")),
        "is_overdue": selectors.is_overdue(case),
        "answers": selectors.attribute_answers(case),
        "channels": ReplyChannel,
        "reply_templates": list(selectors.reply_templates_for(case)) if reply_form else [],
        "chosen_template": template,
    }
    if invalid:
        context["form"] = invalid[1]  # the page title says the form has errors
    return render(request, "feedback/staff/detail.html", context, status=status)


@login_required
@require_GET
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    case = selectors.access_case(request.user, pk)
    # ?mall=<id>: the reply form starts from that template (a GET form, so it works without
    # JavaScript); an id that names no template for this case is ignored.
    template_id = parse_id(request.GET.get("mall"))
    template = (
        selectors.reply_templates_for(case).filter(pk=template_id).first()
        if template_id is not None
        else None
    )
    return _render_detail(request, case, template=template)


@login_required
@require_POST
def act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    spec = action_or_404(ACTIONS, action)
    user = request.user
    case = selectors.access_case(user, pk)
    if action in PHOTO_ACTIONS:
        form = _photo_form(action, case, request.POST.get(f"{action}-photo", ""), request.POST)
    else:
        form = spec.form_class(request.POST, case=case, prefix=action)
    if action == "merge" and form.is_valid() and not form.cleaned_data["confirm"]:
        # Merging closes this case for good: show both cases and ask first.
        return render(
            request,
            "feedback/staff/merge_confirm.html",
            {"case": case, "other": form.cleaned_data["number"]},
        )
    return handle_action_post(
        request,
        case,
        spec,
        form,
        success_url=case.staff_url(),
        # The service rolled back; show the case as it is stored.
        invalid=lambda form: _render_detail(
            request, selectors.access_case(user, pk), invalid=(action, form), status=400
        ),
    )


# --- Registering a case for a citizen --------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def register(request: HttpRequest) -> HttpResponse:
    user = request.user
    _require_handler(user)
    form = staff_forms.RegisterForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            case = services.case_create(
                actor=user,
                source=data["source"],
                kind=data["kind"],
                category=data["category"],
                description=data["description"],
                address=data["address"],
                lat=data["lat"],
                lon=data["lon"],
                reporter_name=data["reporter_name"],
                reporter_email=data["reporter_email"],
                reporter_phone=data["reporter_phone"],
                reply_channel=data["reply_channel"],
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            done = _("Ärende %(number)s är registrerat.") % {"number": case.number}
            if case.reply_channel == ReplyChannel.EMAIL:
                done += " " + _("Ett kvitto med ärendenumret är skickat med e-post.")
            elif case.reply_channel == ReplyChannel.SMS:
                done += " " + _("Ett kvitto med ärendenumret är skickat som sms.")
            else:
                done += " " + _("Ge personen ärendenumret.")
            messages.success(request, done)
            return redirect(case.staff_url())
    return render(request, "feedback/staff/register.html", {"form": form})
