"""The staff pages under /personal/dialoger/: every dialogue by where it is in the process,
registering an initiative, one dialogue with its plan, what is still missing before the next
step, one form per step the user may take, and the plan's target groups, methods and dates.

The rules live in workflow.py and the writes in services.py; these views parse a form, call one
service and redirect, or show the page again with the rule's own message.
"""

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from torget.accounts.types import Actor
from torget.audit.selectors import audit_log_rows
from torget.core.actions import Action, action_or_404, handle_action_post
from torget.core.forms import apply_service_errors
from torget.dialogues import sections, selectors, services, staff_forms, workflow
from torget.dialogues.models import (
    FINISHED,
    LADDER_MEANINGS,
    ONGOING,
    PLANNED,
    Dialogue,
    InitiativeKind,
    LadderStep,
    Status,
    ladder_label,
)

# --- Access ----------------------------------------------------------------------------------


def _require_staff(user: Actor) -> None:
    if not (selectors.can_see_staff_pages(user) or selectors.can_work_with(user)):
        raise PermissionDenied


# --- The list --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Section:
    slug: str
    label: Any
    statuses: frozenset[str]


SECTIONS = [
    Section(
        "att-besluta",
        gettext_lazy("Initiativ och förslag som väntar på beslut"),
        frozenset({Status.INITIATIVE}),
    ),
    Section("planeras", gettext_lazy("Beslutade och planeras"), frozenset(PLANNED)),
    Section("pagar", gettext_lazy("Pågår"), frozenset(ONGOING)),
    Section("avslutade", gettext_lazy("Avslutade och inställda"), frozenset(FINISHED)),
    Section("avslag", gettext_lazy("Avslagna initiativ"), frozenset({Status.DECLINED})),
]
MINE = "mina"


def _staff_dialogues() -> QuerySet[Dialogue]:
    # Staff see every dialogue, the initiatives not yet public included.
    return Dialogue.objects.select_related(
        "initiating_body", "administration", "deciding_body", "process_leader"
    ).order_by("-created_at", "-pk")


@login_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    user = request.user
    _require_staff(user)
    shown = request.GET.get("visa", "")
    dialogues = list(_staff_dialogues())
    mine = [d for d in dialogues if user.pk in (d.process_leader_id, d.supporting_official_id)]
    by_status: dict[str, list[Dialogue]] = {}
    for dialogue in dialogues:
        by_status.setdefault(dialogue.status, []).append(dialogue)
    sections: list[dict[str, Any]] = []
    for section in SECTIONS:
        rows = [d for status in sorted(section.statuses) for d in by_status.get(status, [])]
        rows.sort(key=lambda d: (d.created_at, d.pk), reverse=True)
        sections.append({"section": section, "rows": rows, "count": len(rows)})
    if shown == MINE:
        mine_ids = {d.pk for d in mine}
        visible = [s | {"rows": [d for d in s["rows"] if d.pk in mine_ids]} for s in sections]
        visible = [s for s in visible if s["rows"]]
    elif shown in {s.slug for s in SECTIONS}:
        visible = [s for s in sections if s["section"].slug == shown]
    else:
        shown = ""
        visible = sections
    return render(
        request,
        "dialogues/staff/index.html",
        {
            "sections": sections,
            "visible": visible,
            "shown": shown,
            "mine_count": len(mine),
            "waiting_count": sections[0]["count"],
            "total": len(dialogues),
            "can_initiate": selectors.can_work_with(user),
        },
    )


# --- A new initiative ------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def initiate(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not selectors.can_work_with(user):
        raise PermissionDenied
    form = staff_forms.InitiateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            dialogue = services.dialogue_initiate(
                actor=user,
                title=data["title"],
                summary=data["summary"],
                initiative_kind=data["initiative_kind"],
                initiating_body=(
                    data["initiating_body"]
                    if data["initiative_kind"] == InitiativeKind.POLITICAL
                    else None
                ),
                administration=data["administration"],
                plan_year=data["plan_year"],
                plan_priority=data["plan_priority"],
                special_weight=data["special_weight"],
                areas=data["areas"],
                topics=data["topics"],
                kind=data["kind"],
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(
                request,
                _(
                    "Brukardialogen är registrerad. Den visas publikt när ansvarig "
                    "tjänsteperson har startat den."
                )
                if dialogue.is_service_dialogue
                else _(
                    "Initiativet är registrerat. Det visas inte publikt förrän det ansvariga "
                    "organets presidium har beslutat om dialogen."
                ),
            )
            return redirect(dialogue.staff_url())
    status = 400 if form.errors else 200
    return render(request, "dialogues/staff/initiate.html", {"form": form}, status=status)


# --- One dialogue ----------------------------------------------------------------------------

# What the audit log's action codes mean, for the dialogue's page.
AUDIT_ACTIONS: dict[str, Any] = {
    "dialogue.initiated": gettext_lazy("Initiativ registrerat"),
    "dialogue.requested": gettext_lazy("Förslag från medborgare"),
    "dialogue.updated": gettext_lazy("Uppgifter ändrade"),
    "dialogue.target_group_added": gettext_lazy("Målgrupp tillagd"),
    "dialogue.target_group_removed": gettext_lazy("Målgrupp borttagen"),
    "dialogue.method_added": gettext_lazy("Metod tillagd"),
    "dialogue.method_removed": gettext_lazy("Metod borttagen"),
    "dialogue.date_added": gettext_lazy("Datum tillagt"),
    "dialogue.date_removed": gettext_lazy("Datum borttaget"),
    "dialogue.director_proposal_recorded": gettext_lazy("Kommundirektörens förslag registrerat"),
    "dialogue.consultation_recorded": gettext_lazy("Samråd med berört presidium registrerat"),
    "dialogue.method_decision_recorded": gettext_lazy("Beslut om metod registrerat"),
} | {f"dialogue.{name}": step.label for name, step in workflow.ALL_STEPS.items()}

# The checklist's heading for the steps that need things filled in elsewhere first.
MISSING_BEFORE: dict[str, Any] = {
    "start_planning": gettext_lazy("Detta saknas innan planeringen kan börja:"),
    "approve_plan": gettext_lazy("Detta saknas innan planen kan godkännas:"),
    "open": gettext_lazy("Detta saknas innan dialogen kan öppnas:"),
    "compile": gettext_lazy("Detta saknas innan resultaten kan sammanställas:"),
    "record_decision": gettext_lazy("Detta saknas innan beslutet i frågan kan registreras:"),
    "close": gettext_lazy("Detta saknas innan dialogen kan avslutas:"),
}
EVENT_LABELS: dict[str, Any] = {
    "initiate": gettext_lazy("Initiativ registrerat"),
    "request": gettext_lazy("Förslag från medborgare"),
} | {name: step.label for name, step in workflow.ALL_STEPS.items()}

PLAN_STATUSES = frozenset({Status.DECIDED, Status.PLANNING})
DATES_CLOSED = frozenset({Status.DECLINED, Status.CANCELLED, Status.CLOSED})


def _slug(step_name: str) -> str:
    return step_name.replace("_", "-")


def _step_by_slug(dialogue: Dialogue, slug: str) -> workflow.Step | None:
    return {_slug(name): step for name, step in workflow.steps_for(dialogue).items()}.get(slug)


def _missing(dialogue: Dialogue) -> list[dict[str, Any]]:
    """What still blocks the steps whose rules ask for things filled in on the edit page, in
    the plan or by another part (the feedback points). A step's own fields are asked for by
    its form, so for such a step only the rules other parts added are listed."""
    steps = workflow.steps_for(dialogue)
    checks = [step for step in steps.values() if dialogue.status in step.sources]
    if dialogue.status == Status.DECIDED:
        # Planning can start on the plan before the step is taken: show what approval needs.
        checks.append(workflow.STEPS["approve_plan"])
    missing = []
    if dialogue.status == Status.INITIATIVE and "decide" in steps:
        # 004 §2: what must be recorded on this page before KS presidium's decision.
        before = [str(message) for rule in workflow.BEFORE_DECISION if (message := rule(dialogue))]
        if before:
            missing.append(
                {
                    "step": steps["decide"],
                    "heading": _("Detta saknas innan beslutet om dialogen kan registreras:"),
                    "rules": before,
                }
            )
    for step in checks:
        broken = (
            workflow.added_rules_broken(step, dialogue)
            if step.fields
            else workflow.broken_rules(step, dialogue)
        )
        if broken:
            heading = MISSING_BEFORE.get(step.name) or _(
                "Detta saknas innan steget ”%(step)s” kan tas:"
            ) % {"step": step.label}
            missing.append({"step": step, "heading": heading, "rules": broken})
    return missing


def _render_detail(
    request: HttpRequest,
    dialogue: Dialogue,
    *,
    invalid: tuple[str, Any] | None = None,
    status: int = 200,
) -> HttpResponse:
    """The dialogue's page; `invalid` is the form (by its key) that was posted with errors."""
    user = request.user
    can_work = selectors.can_work_with(user, dialogue)
    step_forms = {
        step.name: {
            "step": step,
            "slug": _slug(step.name),
            "form": staff_forms.StepForm(step=step, dialogue=dialogue),
            # Declining and cancelling end the dialogue: the red button.
            "danger": step.name in ("decline", "cancel"),
        }
        for step in workflow.allowed_steps(dialogue, user)
    }
    plan_open = can_work and dialogue.status in PLAN_STATUSES
    dates_open = can_work and dialogue.status not in DATES_CLOSED
    before_decision = can_work and dialogue.status == Status.INITIATIVE
    target_groups = list(dialogue.target_groups.select_related("group"))
    planned_groups = {planned.group_id for planned in target_groups}
    methods = list(dialogue.methods.select_related("method").order_by("order", "id"))
    plan_forms: dict[str, Any] = {}
    if plan_open:
        plan_forms["add-target-group"] = staff_forms.TargetGroupForm(dialogue=dialogue, prefix="tg")
        plan_forms["add-method"] = staff_forms.MethodForm(dialogue=dialogue, prefix="method")
    if dates_open:
        plan_forms["add-date"] = staff_forms.DateForm(dialogue=dialogue, prefix="date")
    if before_decision and dialogue.decided_by_ks:
        plan_forms["director-proposal"] = staff_forms.DirectorProposalForm(
            dialogue=dialogue, prefix="proposal"
        )
    if before_decision and dialogue.initiative_kind == InitiativeKind.CITIZEN:
        plan_forms["add-consultation"] = staff_forms.ConsultationForm(
            dialogue=dialogue, prefix="consultation"
        )
    decision_forms = {
        planned.pk: staff_forms.MethodDecisionForm(
            dialogue=dialogue, planned=planned, prefix="decision"
        )
        for planned in methods
        if plan_open and planned.method.decision
    }
    page_errors: list[str] = []
    if invalid:
        key, form = invalid
        if key in step_forms:
            step_forms[key]["form"] = form
        elif key in plan_forms:
            plan_forms[key] = form
        elif key == "method-decision" and getattr(form, "planned", None) is not None:
            decision_forms[form.planned.pk] = form
        else:
            # A removal, or a step no longer open to this dialogue: say it at the top.
            page_errors = [str(e) for errors in form.errors.values() for e in errors]
    events = [
        {"event": event, "label": EVENT_LABELS.get(event.step, event.step)}
        for event in dialogue.events.select_related("actor")
    ]
    context: dict[str, Any] = {
        "dialogue": dialogue,
        "can_work": can_work,
        "sections": sections.render(sections.STAFF, request, dialogue),
        "can_edit": can_work and bool(staff_forms.editable_fields(dialogue)),
        "ladder_label": ladder_label(dialogue.ladder_step) if dialogue.ladder_step else "",
        "ladder_meaning": (
            LADDER_MEANINGS[LadderStep(dialogue.ladder_step)] if dialogue.ladder_step else ""
        ),
        "missing": _missing(dialogue),
        "step_forms": list(step_forms.values()),
        "plan_open": plan_open,
        "dates_open": dates_open,
        "target_group_form": plan_forms.get("add-target-group"),
        "method_form": plan_forms.get("add-method"),
        "date_form": plan_forms.get("add-date"),
        "page_errors": page_errors,
        "target_groups": target_groups,
        "checklist": [
            {"group": group, "planned": group.pk in planned_groups}
            for group in selectors.target_groups()
        ],
        "methods": [
            {"planned": planned, "decision_form": decision_forms.get(planned.pk)}
            for planned in methods
        ],
        "method_decisions": [planned for planned in methods if planned.method.decision],
        "director_proposal_form": plan_forms.get("director-proposal"),
        "consultation_form": plan_forms.get("add-consultation"),
        "consultations": list(dialogue.consultations.select_related("body")),
        "information_not_first": bool(methods) and not methods[0].method.is_information,
        "dates": list(dialogue.dates.select_related("area")),
        "areas": list(dialogue.areas.order_by("name")),
        "topics": list(dialogue.topics.order_by("name")),
        "events": events,
        "audit_entries": audit_log_rows(dialogue, AUDIT_ACTIONS),
        "is_citizen_request": dialogue.initiative_kind == InitiativeKind.CITIZEN,
        "decided_by_ks": dialogue.decided_by_ks,
    }
    if invalid and not page_errors:
        context["form"] = invalid[1]  # the page title says the form has errors
    return render(request, "dialogues/staff/detail.html", context, status=status)


@login_required
@require_GET
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _render_detail(request, selectors.access_dialogue(request.user, pk))


@login_required
@require_http_methods(["GET", "POST"])
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    dialogue = selectors.access_dialogue_for_work(user, pk)
    fields = staff_forms.editable_fields(dialogue)
    if not fields:
        messages.info(
            request,
            _("Inget går att ändra när dialogen har status ”%(status)s”.")
            % {"status": dialogue.get_status_display()},  # type: ignore[attr-defined]
        )
        return redirect(dialogue.staff_url())
    form_class = staff_forms.edit_form_class(dialogue)
    # The form works on its own copy: what it cleans is passed to the service, never saved.
    form = form_class(request.POST or None, instance=selectors.access_dialogue(user, pk))
    if request.method == "POST" and form.is_valid():
        values = {name: form.cleaned_data[name] for name in fields}
        try:
            services.dialogue_update(dialogue=dialogue, actor=user, **values)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Ändringarna är sparade."))
            return redirect(dialogue.staff_url())
    return render(
        request,
        "dialogues/staff/edit.html",
        {"dialogue": dialogue, "form": form},
        status=400 if form.errors else 200,
    )


def _take_step(dialogue: Dialogue, actor: Actor, form: Any) -> str:
    services.dialogue_step(
        dialogue=dialogue,
        step=form.step.name,
        actor=actor,
        text=form.cleaned_data["text"],
        happened_on=form.happened_on(),
        **form.values(),
    )
    dialogue.refresh_from_db()
    return _("Klart: %(step)s. Dialogen har nu status ”%(status)s”.") % {
        "step": form.step.label,
        "status": Status(dialogue.status).label,
    }


@login_required
@require_POST
def step(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    user = request.user
    dialogue = selectors.access_dialogue(user, pk)
    spec = _step_by_slug(dialogue, step)
    if spec is None:
        raise Http404
    if not workflow.may_take(spec, user, dialogue):
        raise PermissionDenied
    return handle_action_post(
        request,
        dialogue,
        Action(staff_forms.StepForm, _take_step),
        staff_forms.StepForm(request.POST, step=spec, dialogue=dialogue),
        success_url=dialogue.staff_url(),
        # Nothing was stored; show the dialogue as it is.
        invalid=lambda form: _render_detail(
            request, selectors.access_dialogue(user, pk), invalid=(spec.name, form), status=400
        ),
    )


# --- The plan --------------------------------------------------------------------------------


def _add_target_group(dialogue: Dialogue, actor: Actor, form: Any) -> str:
    data = form.cleaned_data
    planned = services.target_group_add(
        dialogue=dialogue,
        actor=actor,
        effort=data["effort"],
        group=data["group"],
        other=data["other"] if data["group"] is None else "",
    )
    return _("Målgruppen ”%(group)s” är med i planen.") % {"group": planned}


def _remove_target_group(dialogue: Dialogue, actor: Actor, form: Any) -> str:
    planned = form.cleaned_data["item"]
    services.target_group_remove(planned=planned, actor=actor)
    return _("Målgruppen ”%(group)s” är borttagen ur planen.") % {"group": planned}


def _add_method(dialogue: Dialogue, actor: Actor, form: Any) -> str:
    data = form.cleaned_data
    planned = services.method_add(
        dialogue=dialogue,
        actor=actor,
        method=data["method"],
        order=data["order"],
        starts_on=data["starts_on"],
        ends_on=data["ends_on"],
        note=data["note"],
    )
    return _("Metoden ”%(method)s” är med i planen som nummer %(order)s.") % {
        "method": planned.method,
        "order": planned.order,
    }


def _remove_method(dialogue: Dialogue, actor: Actor, form: Any) -> str:
    planned = form.cleaned_data["item"]
    services.method_remove(planned=planned, actor=actor)
    return _("Metoden ”%(method)s” är borttagen ur planen.") % {"method": planned}


def _add_date(dialogue: Dialogue, actor: Actor, form: Any) -> str:
    data = form.cleaned_data
    date = services.date_add(
        dialogue=dialogue,
        actor=actor,
        title=data["title"],
        starts_at=data["starts_at"],
        ends_at=data["ends_at"],
        place=data["place"],
        area=data["area"],
        description=data["description"],
    )
    return _("Datumet ”%(title)s” är tillagt.") % {"title": date.title}


def _remove_date(dialogue: Dialogue, actor: Actor, form: Any) -> str:
    date = form.cleaned_data["item"]
    services.date_remove(date=date, actor=actor)
    return _("Datumet ”%(title)s” är borttaget.") % {"title": date.title}


def _record_director_proposal(dialogue: Dialogue, actor: Actor, form: Any) -> str:
    data = form.cleaned_data
    services.director_proposal_record(
        dialogue=dialogue,
        actor=actor,
        proposed_on=data["proposed_on"],
        text=data["text"],
        reference=data["reference"],
    )
    return _("Kommundirektörens förslag är registrerat.")


def _add_consultation(dialogue: Dialogue, actor: Actor, form: Any) -> str:
    data = form.cleaned_data
    consultation = services.consultation_add(
        dialogue=dialogue,
        actor=actor,
        body=data["body"],
        held_on=data["held_on"],
        outcome=data["outcome"],
    )
    return _("Samrådet med presidiet i %(body)s är registrerat.") % {"body": consultation.body}


def _record_method_decision(dialogue: Dialogue, actor: Actor, form: Any) -> str:
    planned = services.method_decision_record(
        planned=form.cleaned_data["item"], actor=actor, **form.values()
    )
    return _("Beslutet om metoden ”%(method)s” är registrerat.") % {"method": planned.method}


PLAN_ACTIONS: dict[str, Action[Dialogue]] = {
    "add-target-group": Action(staff_forms.TargetGroupForm, _add_target_group, prefix="tg"),
    "remove-target-group": Action(staff_forms.RemoveTargetGroupForm, _remove_target_group),
    "add-method": Action(staff_forms.MethodForm, _add_method, prefix="method"),
    "remove-method": Action(staff_forms.RemoveMethodForm, _remove_method),
    "add-date": Action(staff_forms.DateForm, _add_date, prefix="date"),
    "remove-date": Action(staff_forms.RemoveDateForm, _remove_date),
    "director-proposal": Action(
        staff_forms.DirectorProposalForm, _record_director_proposal, prefix="proposal"
    ),
    "add-consultation": Action(
        staff_forms.ConsultationForm, _add_consultation, prefix="consultation"
    ),
    "method-decision": Action(
        staff_forms.MethodDecisionForm, _record_method_decision, prefix="decision"
    ),
}
ANCHORS = {
    "target-group": "malgrupper",
    "method": "metoder",
    "date": "datum",
    "proposal": "fore-beslut",
    "consultation": "fore-beslut",
    "decision": "metoder",
}


@login_required
@require_POST
def plan_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    spec = action_or_404(PLAN_ACTIONS, action)
    user = request.user
    dialogue = selectors.access_dialogue_for_work(user, pk)
    anchor = ANCHORS[action.split("-", 1)[1]]
    return handle_action_post(
        request,
        dialogue,
        spec,
        spec.form_class(request.POST, dialogue=dialogue, prefix=spec.prefix or None),
        success_url=reverse("dialogues:staff_detail", args=[dialogue.pk]) + f"#{anchor}",
        invalid=lambda form: _render_detail(
            request, selectors.access_dialogue(user, pk), invalid=(action, form), status=400
        ),
    )
