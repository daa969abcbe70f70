"""Pages of the results part: the sections on the dialogue's staff and public pages, one item
with the actions its status allows, recording an item, the two feedback points, and an
utskott's own list. Views parse a form, call one service and redirect, or show the page again
with the rule's message."""

from collections.abc import Callable
from typing import Any

from django import forms as django_forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from torget.accounts.types import Actor
from torget.core.actions import Action, action_or_404, handle_action_post
from torget.core.forms import apply_service_errors
from torget.core.media import serve_file
from torget.dialogues import selectors as dialogue_selectors
from torget.dialogues.models import Dialogue
from torget.results import forms, selectors, services
from torget.results.models import ItemStatus, Kind, PointKind, ResultItem
from torget.results.permissions import can_raise, can_see_utskott, can_work_with_item

# --- Sections on the dialogue's pages ----------------------------------------------------------


def staff_section(request: HttpRequest, dialogue: Dialogue) -> str:
    """ "Resultat" on the dialogue's staff page: the items, and the feedback points."""
    user = request.user
    can_work = dialogue_selectors.can_work_with(user, dialogue)
    points = selectors.published_points(dialogue)
    proposal_state = selectors.decision_proposal_state(dialogue)
    return render_to_string(
        "results/staff_section.html",
        {
            "dialogue": dialogue,
            "items": list(selectors.items_of(dialogue)),
            "can_work": can_work,
            "summary": points.get(PointKind.SUMMARY),
            "decision_proposal": points.get(PointKind.DECISION_PROPOSAL),
            "proposal_skip": selectors.skipped_points(dialogue).get(PointKind.DECISION_PROPOSAL),
            "proposal_state": str(proposal_state),
            "may_publish_summary": can_work and dialogue.status in services.SUMMARY_STATUSES,
            "may_publish_proposal": can_work and proposal_state == selectors.PointState.DUE,
            "corrections": _corrections(dialogue, public=False),
        },
        request=request,
    )


def _corrections(dialogue: Dialogue, *, public: bool) -> list[dict[str, Any]]:
    return [
        {"correction": c, "changes": c.changes(public=public)}
        for c in selectors.corrections_of(dialogue, public=public)
    ]


def public_section(request: HttpRequest, dialogue: Dialogue) -> str:
    """ "Sammanställning" on the public page: only what was published, never a note or name."""
    points = selectors.published_points(dialogue)
    if not points or not dialogue.is_public:
        return ""
    return render_to_string(
        "results/public_section.html",
        {
            "summary": points.get(PointKind.SUMMARY),
            "decision_proposal": points.get(PointKind.DECISION_PROPOSAL),
            "corrections": _corrections(dialogue, public=True),
        },
        request=request,
    )


@require_GET
def point_document(request: HttpRequest, pk: int) -> HttpResponseBase:
    """The decision proposal's PDF, behind the same check as the section that links it."""
    point, public = selectors.access_point_document(request.user, pk)
    return serve_file(
        point.document, public=public, content_type="application/pdf", filename="beslutsforslag.pdf"
    )


# --- One item ----------------------------------------------------------------------------------


# The steps a politician takes rather than the staff who work with the item.
BY_POLITICIAN = {"lyft"}


def _step(
    form_class: type[django_forms.Form],
    call: Callable[[ResultItem, Any, dict[str, Any]], Any],
    done: Any,
    *,
    button: Any,
    step: str,
) -> Action[ResultItem]:
    def take(item: ResultItem, actor: Actor, form: Any) -> str:
        call(item, actor, form.cleaned_data)
        return str(done)

    return Action(form_class, take, button=button, step=step)


ACTIONS: dict[str, Action[ResultItem]] = {
    "klassificera": _step(
        forms.ClassifyFields,
        lambda item, user, data: services.item_classify(
            item=item, actor=user, kind=data["kind"], politician=data["politician"]
        ),
        gettext_lazy("Punkten är klassificerad."),
        button=gettext_lazy("Klassificera"),
        step="classify",
    ),
    "lyft": _step(
        forms.RaiseForm,
        lambda item, user, data: services.mark_raised_politically(
            item=item, actor=user, raised_how=data["raised_how"], note=data["note"]
        ),
        gettext_lazy("Frågan är registrerad som lyft politiskt och punkten är stängd."),
        button=gettext_lazy("Registrera att frågan är lyft politiskt"),
        step="raise",
    ),
    "namnd": _step(
        forms.AssignForm,
        lambda item, user, data: services.assign_to_namnd(item=item, actor=user, **data),
        gettext_lazy("Punkten är lämnad till nämnden och bereds."),
        button=gettext_lazy("Lämna till nämnd för beredning"),
        step="assign",
    ),
    "tidplan": _step(
        forms.TimelineForm,
        lambda item, user, data: services.timeline_add(item=item, actor=user, **data),
        gettext_lazy("Steget är tillagt i tidplanen och utskottets ledamöter får ett mejl."),
        button=gettext_lazy("Lägg till i tidplanen"),
        step="timeline",
    ),
    "kontaktcenter": _step(
        forms.ForwardForm,
        lambda item, user, data: services.forward_to_contact_centre(item=item, actor=user, **data),
        gettext_lazy("Frågan är skickad till kontaktcenter som ett ärende."),
        button=gettext_lazy("Skicka till kontaktcenter"),
        step="forward",
    ),
    "forslag": _step(
        forms.ProposalForm,
        lambda item, user, data: services.register_as_proposal(item=item, actor=user, **data),
        gettext_lazy("Förslaget är registrerat och publicerat och kopplat till punkten."),
        button=gettext_lazy("Registrera som medborgarförslag"),
        step="proposal",
    ),
    "aterkoppling": _step(
        forms.FeedbackForm,
        lambda item, user, data: services.utskott_feedback_record(
            item=item, actor=user, text=data["text"]
        ),
        gettext_lazy("Återkopplingen till utskottet är registrerad."),
        button=gettext_lazy("Registrera återkoppling till utskottet"),
        step="feedback",
    ),
    "ratta": _step(
        forms.ItemCorrectionForm,
        lambda item, user, data: services.item_correct(item=item, actor=user, **data),
        gettext_lazy("Punkten är rättad. Den tidigare versionen är sparad."),
        button=gettext_lazy("Rätta punkten"),
        step="correct",
    ),
    "klassificera-om": _step(
        forms.ReclassifyForm,
        lambda item, user, data: services.item_reclassify(item=item, actor=user, **data),
        gettext_lazy("Punkten är klassificerad om och hanteras nu som den nya typen."),
        button=gettext_lazy("Klassificera om"),
        step="reclassify",
    ),
    "stang": _step(
        forms.CloseForm,
        lambda item, user, data: services.item_close(item=item, actor=user),
        gettext_lazy("Punkten är stängd."),
        button=gettext_lazy("Stäng punkten"),
        step="close",
    ),
}


def _may(slug: str, user: Actor, item: ResultItem) -> bool:
    if slug in BY_POLITICIAN:
        return can_raise(user, item)
    return can_work_with_item(user, item)


def _action_forms(item: ResultItem, user: Actor) -> dict[str, dict[str, Any]]:
    allowed = set(services.allowed_actions(item))
    shown: dict[str, dict[str, Any]] = {}
    for slug, action in ACTIONS.items():
        if action.step in allowed and _may(slug, user, item):
            if slug == "klassificera-om" and not item.kind:
                continue  # the first classification is "klassificera"
            form = action.form_class(prefix=slug)
            if slug == "forslag":
                form.initial = {"body": item.description or item.title}
            if slug == "ratta":
                form.initial = {"title": item.title, "description": item.description}
            shown[slug] = {"slug": slug, "action": action, "form": form}
    return shown


def _render_item(
    request: HttpRequest,
    item: ResultItem,
    *,
    invalid: tuple[str, django_forms.Form] | None = None,
    page_errors: list[str] | None = None,
) -> HttpResponse:
    user = request.user
    today = timezone.localdate()
    action_forms = _action_forms(item, user)
    if invalid and invalid[0] in action_forms:
        action_forms[invalid[0]]["form"] = invalid[1]
    context: dict[str, Any] = {
        "item": item,
        "dialogue": item.dialogue,
        "actions": list(action_forms.values()),
        "timeline": selectors.timeline(item, today),
        "overdue": selectors.is_overdue(item, today),
        "case_reply": selectors.case_reply(item),
        "can_work": can_work_with_item(user, item),
        "can_see_utskott": item.utskott is not None and can_see_utskott(user, item.utskott),
        "page_errors": page_errors or [],
        "held": item.status == ItemStatus.HELD,
        "corrections": [
            {"correction": c, "changes": c.changes(public=False)}
            for c in selectors.corrections_of_item(item)
        ],
        "is_party_political": item.kind == Kind.PARTY_POLITICAL,
    }
    if invalid:
        context["form"] = invalid[1]
    status = 400 if invalid or page_errors else 200
    return render(request, "results/item.html", context, status=status)


@login_required
@require_GET
def item_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _render_item(request, selectors.access_item(request.user, pk))


@login_required
@require_POST
def item_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    spec = action_or_404(ACTIONS, action)
    user = request.user
    item = selectors.access_item(user, pk)
    if not _may(action, user, item):
        raise PermissionDenied

    def refused(error: ValidationError) -> HttpResponse | None:
        if action in _action_forms(item, user):
            return None  # on the form, which the page still offers
        return _render_item(request, item, page_errors=list(error.messages))

    return handle_action_post(
        request,
        item,
        spec,
        spec.form_class(request.POST, prefix=action),
        success_url=item.get_absolute_url(),
        invalid=lambda form: _render_item(request, item, invalid=(action, form)),
        refused=refused,
    )


@login_required
@require_http_methods(["GET", "POST"])
def item_new(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    dialogue = dialogue_selectors.access_dialogue(user, pk)
    if not dialogue_selectors.can_work_with(user, dialogue):
        raise PermissionDenied
    form = forms.ItemForm(request.POST or None, dialogue=dialogue)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            item = services.item_create(dialogue=dialogue, actor=user, **data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Punkten är registrerad."))
            return redirect(item.get_absolute_url())
    return render(
        request,
        "results/item_new.html",
        {"dialogue": dialogue, "form": form},
        status=400 if form.errors else 200,
    )


# --- Feedback points ---------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def summary_publish(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    dialogue = dialogue_selectors.access_dialogue(user, pk)
    if not dialogue_selectors.can_work_with(user, dialogue):
        raise PermissionDenied
    draft = services.summary_text(dialogue)
    # Another part's text to start from (a survey's published summary), appended to the draft.
    addition = request.GET.get("tillagg", "").strip()[:10000]
    if addition:
        draft = f"{draft}\n\n{addition}"
    form = forms.SummaryForm(request.POST or None, initial={"text": draft})
    if request.method == "POST" and form.is_valid():
        try:
            point = services.summary_publish(
                dialogue=dialogue, actor=user, text=form.cleaned_data["text"]
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(
                request,
                _(
                    "Sammanställningen är publicerad på dialogens sida och skickad till "
                    "%(count)s anmälda deltagare och dialogens bevakare."
                )
                % {"count": point.recipients},
            )
            return redirect(dialogue.staff_url())
    counts, listed = services.summary_draft(dialogue)
    return render(
        request,
        "results/summary_form.html",
        {
            "dialogue": dialogue,
            "form": form,
            "counts": [(Kind(kind).label, count) for kind, count in counts.items()],
            "listed": listed,
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def decision_proposal_publish(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    dialogue = dialogue_selectors.access_dialogue(user, pk)
    if not dialogue_selectors.can_work_with(user, dialogue):
        raise PermissionDenied
    form = forms.DecisionProposalForm(
        request.POST or None, request.FILES or None, dialogue=dialogue
    )
    if request.method == "POST" and form.is_valid():
        try:
            point = services.decision_proposal_publish(
                dialogue=dialogue, actor=user, **form.cleaned_data
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(
                request,
                _(
                    "Beslutsförslaget är publicerat på dialogens sida och skickat till "
                    "%(count)s anmälda deltagare och dialogens bevakare."
                )
                % {"count": point.recipients},
            )
            return redirect(dialogue.staff_url())
    return render(
        request,
        "results/decision_proposal_form.html",
        {"dialogue": dialogue, "form": form},
        status=400 if form.errors else 200,
    )


# --- An utskott's items ------------------------------------------------------------------------


@login_required
@require_GET
def utskott_items(request: HttpRequest, slug: str) -> HttpResponse:
    body = selectors.access_utskott(request.user, slug)
    today = timezone.localdate()
    rows = []
    for item in selectors.items_of_utskott(body):
        steps = list(item.steps.all())
        for step in steps:
            step.item = item  # loaded already; spares a query per step
        rows.append(
            {
                "item": item,
                "steps": [{"step": s, "overdue": s.is_overdue(today)} for s in steps],
                "overdue": item.status == ItemStatus.PREPARING
                and any(s.due_on and s.due_on < today for s in steps),
            }
        )
    return render(request, "results/utskott.html", {"body": body, "rows": rows})


def _for_work(request: HttpRequest, pk: int) -> Dialogue:
    dialogue = dialogue_selectors.access_dialogue(request.user, pk)
    if not dialogue_selectors.can_work_with(request.user, dialogue):
        raise PermissionDenied
    return dialogue


@login_required
@require_http_methods(["GET", "POST"])
def decision_proposal_skip(request: HttpRequest, pk: int) -> HttpResponse:
    """Record why feedback point 3 is not given before the decision (it then shows as missed)."""
    user = request.user
    dialogue = _for_work(request, pk)
    form = forms.SkipDecisionProposalForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.decision_proposal_skip(
                dialogue=dialogue, actor=user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(
                request,
                _(
                    "Skälet är registrerat. Beslutet i frågan kan registreras, och "
                    "återkopplingen om beslutsförslaget visas som missad."
                ),
            )
            return redirect(dialogue.staff_url() + "#resultat")
    return render(
        request,
        "results/decision_proposal_skip.html",
        {"dialogue": dialogue, "form": form},
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def summary_correct(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    dialogue = _for_work(request, pk)
    point = selectors.published_points(dialogue).get(PointKind.SUMMARY)
    if point is None:
        raise Http404
    form = forms.SummaryCorrectionForm(request.POST or None, initial={"text": point.text})
    if request.method == "POST" and form.is_valid():
        try:
            correction = services.summary_correct(
                dialogue=dialogue, actor=user, **form.cleaned_data
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _correction_done(correction))
            return redirect(dialogue.staff_url() + "#resultat")
    return render(
        request,
        "results/correction_form.html",
        {
            "dialogue": dialogue,
            "form": form,
            "heading": _("Rätta sammanställningen"),
            "earlier": point.text,
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def decision_proposal_correct(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    dialogue = _for_work(request, pk)
    point = selectors.published_points(dialogue).get(PointKind.DECISION_PROPOSAL)
    if point is None:
        raise Http404
    form = forms.DecisionProposalCorrectionForm(
        request.POST or None,
        initial={
            "text": point.text,
            "deciding_body": point.deciding_body_id,
            "expected_on": point.expected_on,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            correction = services.decision_proposal_correct(
                dialogue=dialogue, actor=user, **form.cleaned_data
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _correction_done(correction))
            return redirect(dialogue.staff_url() + "#resultat")
    return render(
        request,
        "results/correction_form.html",
        {
            "dialogue": dialogue,
            "form": form,
            "heading": _("Rätta beslutsförslaget"),
            "earlier": point.text,
        },
        status=400 if form.errors else 200,
    )


def _correction_done(correction: Any) -> str:
    return _(
        "Rättelsen är sparad och visas på dialogens sida med dagens datum. Den tidigare "
        "versionen finns kvar, och %(count)s anmälda deltagare och dialogens bevakare får "
        "besked."
    ) % {"count": correction.recipients}
