"""Staff pages for proposals under /personal/forslag/: the work lists, one proposal with its
whole timeline and a form for each step the user may take, the assisted channel (proposals and
supports received on paper or at a service desk) and the CSV exports.

Every change goes through `services` (and so through `workflow.transition`). The pages offer
only what `workflow.allowed_steps` allows, and the step view refuses anything else, so no
proposal skips a step whatever is posted.
"""

import csv
import datetime
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, F, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from torget.accounts.permissions import has_perm
from torget.accounts.types import Actor
from torget.audit import services as audit
from torget.core.actions import Action, action_or_404, handle_action_post
from torget.core.forms import apply_service_errors
from torget.organisation.selectors import municipality_get
from torget.proposals import selectors, services, staff_forms, workflow
from torget.proposals.models import ACTIVE_SUPPORT, Proposal, Status, Support
from torget.proposals.permissions import can_use_staff_pages

PER_PAGE = 50

# --- Who may do what -------------------------------------------------------------------------


def _require(user: Actor, allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


# --- Reads -----------------------------------------------------------------------------------


def _active_supports() -> Coalesce:
    """The exact number of active supports, as a subquery (the stored `support_count` is
    refreshed periodically and only for lists the public sees)."""
    counted = (
        Support.objects.filter(ACTIVE_SUPPORT, proposal=OuterRef("pk"))
        .order_by()
        .values("proposal")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


@dataclass(frozen=True)
class Section:
    slug: str
    label: Any
    condition: Q
    ordering: tuple[Any, ...]


SECTIONS = [
    # Oldest first: the one that has waited longest is moderated first.
    Section("granska", gettext_lazy("Att granska"), Q(status=Status.SUBMITTED), ("created_at",)),
    Section(
        "insamling", gettext_lazy("Samlar stöd"), Q(status=Status.SIGNING), ("signing_ends_on",)
    ),
    Section(
        "till-kf", gettext_lazy("Till KF"), Q(status=Status.TO_COUNCIL), ("threshold_reached_at",)
    ),
    Section(
        "bereds",
        gettext_lazy("Bereds"),
        Q(status=Status.PREPARING),
        (F("preparation_due").asc(nulls_last=True),),
    ),
    Section(
        "dialogmoten",
        gettext_lazy("Från dialogmöten"),
        Q(status=Status.REGISTERED),
        ("published_at",),
    ),
    Section(
        "avslutade",
        gettext_lazy("Avslutade"),
        Q(status__in=[Status.REJECTED, Status.MOVED, Status.UNSUPPORTED, Status.DECIDED]),
        ("-created_at",),
    ),
]
SECTIONS_BY_SLUG = {section.slug: section for section in SECTIONS}


def _section_counts() -> tuple[list[int], int]:
    """How many proposals each section holds, and how many in preparation are overdue:
    one query."""
    aggregates: dict[str, Any] = {
        f"n{i}": Count("pk", filter=section.condition) for i, section in enumerate(SECTIONS)
    }
    aggregates["overdue"] = Count(
        "pk",
        filter=Q(status=Status.PREPARING, preparation_due__lt=timezone.localdate()),
    )
    counts = Proposal.objects.aggregate(**aggregates)
    return [counts[f"n{i}"] for i in range(len(SECTIONS))], counts["overdue"]


def _section_list(section: Section) -> QuerySet[Proposal]:
    return (
        Proposal.objects.filter(section.condition)
        .select_related("topic", "area", "preparing_body", "responsible_politician")
        .annotate(active_supports=_active_supports())
        .order_by(*section.ordering, "pk")
    )


# --- Index -----------------------------------------------------------------------------------


@login_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    user = request.user
    _require(user, can_use_staff_pages(user))
    current = SECTIONS_BY_SLUG.get(request.GET.get("visa", ""), SECTIONS[0])
    counts, overdue = _section_counts()
    page = Paginator(_section_list(current), PER_PAGE).get_page(request.GET.get("sida"))
    return render(
        request,
        "proposals/staff/index.html",
        {
            "sections": [
                {"section": section, "count": count, "current": section == current}
                for section, count in zip(SECTIONS, counts, strict=True)
            ],
            "current": current,
            "page": page,
            "overdue": overdue,
            "can_register": has_perm(user, "proposals.register_on_behalf"),
            "can_register_meeting": has_perm(user, "proposals.register_proposal_step"),
        },
    )


# --- One proposal and its steps --------------------------------------------------------------

Take = Callable[[Proposal, Any, dict[str, Any]], Proposal]


def _step(
    form_class: type[staff_forms.StepForm],
    take: Take,
    done: Callable[[Proposal], str],
    button: Any,
    **options: Any,
) -> Action[Proposal]:
    """A form on the detail page (a workflow step, or hiding and showing again): its message is
    written from the proposal as the service left it."""

    def take_and_say(proposal: Proposal, actor: Actor, form: Any) -> str:
        take(proposal, actor, form.cleaned_data)
        return done(proposal)

    return Action(form_class, take_and_say, button=button, **options)


ACTIONS: dict[str, Action[Proposal]] = {
    "publish": _step(
        staff_forms.PublishForm,
        lambda p, actor, data: services.proposal_publish(proposal=p, actor=actor),
        lambda p: (
            _("Förslaget är publicerat. Insamlingen av stöd pågår till och med %(date)s.")
            % {"date": p.signing_ends_on.isoformat() if p.signing_ends_on else ""}
        ),
        gettext_lazy("Publicera förslaget"),
    ),
    "reject": _step(
        staff_forms.RejectForm,
        lambda p, actor, data: services.proposal_reject(
            proposal=p,
            actor=actor,
            reason=data["reason"],
            text=data["text"],
            repeat_of=data["repeat_of"],
        ),
        lambda p: _("Förslaget är avvisat. Förslagsställaren får veta skälet."),
        gettext_lazy("Avvisa förslaget"),
        danger=True,
    ),
    "move": _step(
        staff_forms.MoveForm,
        lambda p, actor, data: services.proposal_move_to_feedback(
            proposal=p, actor=actor, text=data["text"]
        ),
        lambda p: _("Förslaget är flyttat till synpunkter och felanmälan."),
        gettext_lazy("Flytta förslaget"),
    ),
    "assign": _step(
        staff_forms.AssignForm,
        lambda p, actor, data: services.proposal_assign(
            proposal=p,
            actor=actor,
            body=data["body"],
            due=data["due"],
            occurred_on=data["occurred_on"],
            reference=data["reference"],
        ),
        lambda p: _("Förslaget bereds nu av %(body)s.") % {"body": p.preparing_body},
        gettext_lazy("Lämna till nämnden"),
    ),
    "lift": _step(
        staff_forms.LiftForm,
        lambda p, actor, data: services.proposal_lift(
            proposal=p,
            actor=actor,
            body=data["body"],
            due=data["due"],
            occurred_on=data["occurred_on"],
            reference=data["reference"],
        ),
        lambda p: _("Förslaget är lyft till %(body)s.") % {"body": p.preparing_body},
        gettext_lazy("Lyft förslaget"),
    ),
    "decide": _step(
        staff_forms.DecideForm,
        lambda p, actor, data: services.proposal_decide(
            proposal=p,
            actor=actor,
            body=data["body"],
            outcome=data["outcome"],
            answer=data["answer"],
            occurred_on=data["occurred_on"],
            reference=data["reference"],
            document=data["document"],
        ),
        lambda p: _("Beslutet är registrerat och publicerat på förslagets sida."),
        gettext_lazy("Registrera beslutet"),
    ),
    "hide": _step(
        staff_forms.HideForm,
        lambda p, actor, data: services.proposal_hide(
            proposal=p, actor=actor, reason=data["reason"]
        ),
        lambda p: _("Förslaget är dolt. Skälet visas på förslagets sida."),
        gettext_lazy("Dölj förslaget"),
        heading=gettext_lazy("Dölj förslaget"),
        danger=True,
    ),
    "unhide": _step(
        staff_forms.UnhideForm,
        lambda p, actor, data: services.proposal_unhide(proposal=p, actor=actor),
        lambda p: _("Förslaget visas igen."),
        gettext_lazy("Visa förslaget igen"),
        heading=gettext_lazy("Visa förslaget igen"),
    ),
}


def _available_actions(proposal: Proposal, user: Actor) -> list[str]:
    names = [step.name for step in workflow.allowed_steps(proposal, user)]
    if has_perm(user, "proposals.moderate_proposal", proposal):
        if proposal.hidden_at is not None:
            names.append("unhide")
        elif proposal.published_at is not None:
            names.append("hide")
    return names


def _refusal(proposal: Proposal, user: Actor, name: str) -> str | None:
    """Why this user may not take this step now: PermissionDenied when they may never take
    it, a message when the proposal is not where the step starts."""
    if name in workflow.STEPS:
        step = workflow.STEPS[name]
        if step.permission == workflow.SYSTEM:
            raise Http404
        if not has_perm(user, step.permission, proposal):
            raise PermissionDenied
        if proposal.status not in step.sources:
            return _("Förslaget har status ”%(status)s” och kan inte gå vidare med ”%(step)s”.") % {
                "status": proposal.get_status_display(),
                "step": step.label,
            }
        return None
    if not has_perm(user, "proposals.moderate_proposal", proposal):
        raise PermissionDenied
    if name not in _available_actions(proposal, user):
        if name == "unhide":
            return _("Förslaget är inte dolt.")
        return _("Bara publicerade förslag som inte redan är dolda kan döljas.")
    return None


@dataclass
class Panel:
    name: str
    action: Action[Proposal]
    form: staff_forms.StepForm

    @property
    def label(self) -> Any:
        return self.action.heading or workflow.STEPS[self.name].label


def _render_detail(
    request: HttpRequest,
    proposal: Proposal,
    *,
    invalid: tuple[str, staff_forms.StepForm] | None = None,
    status: int = 200,
) -> HttpResponse:
    user = request.user
    names = _available_actions(proposal, user)
    if invalid and invalid[0] not in names:
        names.append(invalid[0])
    panels = [
        Panel(
            name,
            ACTIONS[name],
            invalid[1]
            if invalid and invalid[0] == name
            else ACTIONS[name].form_class(prefix=name, proposal=proposal),
        )
        for name in names
    ]
    context: dict[str, Any] = {
        "proposal": proposal,
        "events": proposal.events.select_related("body", "created_by"),
        "support_count": proposal.supports.filter(ACTIVE_SUPPORT).count(),
        "duplicates": list(selectors.supports_flagged_duplicate(proposal)),
        "panels": panels,
        "statuses": Status,
        "can_see_contact": has_perm(user, "proposals.register_on_behalf"),
        "can_register_support": has_perm(user, "proposals.register_on_behalf")
        and proposal.is_signing_open,
        "can_export_supporters": has_perm(user, "proposals.view_supporters", proposal),
    }
    if invalid:
        context["form"] = invalid[1]  # the page title says the form has errors
    return render(request, "proposals/staff/detail.html", context, status=status)


@login_required
@require_GET
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _render_detail(request, selectors.access_proposal_for_staff(request.user, pk))


@login_required
@require_POST
def step(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    action = action_or_404(ACTIONS, step)
    user = request.user
    proposal = selectors.access_proposal_for_staff(user, pk)
    here = reverse("proposals:staff_detail", kwargs={"pk": proposal.pk})
    refusal = _refusal(proposal, user, step)
    if refusal:
        messages.error(request, refusal)
        return redirect(here)

    def refused(error: ValidationError) -> HttpResponse | None:
        if not isinstance(error, workflow.TransitionRefused):
            return None
        # Someone else took a step first: show where the proposal is now.
        messages.error(request, error.messages[0])
        return redirect(here)

    return handle_action_post(
        request,
        proposal,
        action,
        action.form_class(request.POST, request.FILES, prefix=step, proposal=proposal),
        success_url=here,
        # The service rolled back; show the proposal as it is stored.
        invalid=lambda form: _render_detail(
            request,
            selectors.access_proposal_for_staff(user, pk),
            invalid=(step, form),
            status=400,
        ),
        refused=refused,
    )


# --- The assisted channel --------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def register_on_behalf(request: HttpRequest) -> HttpResponse:
    user = request.user
    _require(user, has_perm(user, "proposals.register_on_behalf"))
    municipality = municipality_get()
    form = staff_forms.RegisterOnBehalfForm(
        request.POST or None, organisations_allowed=municipality.proposal_organisations_allowed
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            proposal = services.proposal_register_on_behalf(
                actor=user,
                author_name=data["author_name"],
                pin=data["pin"],
                evidence=form.evidence_text(),
                title=data["title"],
                body=data["body"],
                topic=data["topic"],
                area=data["area"],
                contact_email=data["contact_email"],
                organisation_name=data.get("organisation_name", ""),
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(
                request,
                _("Förslaget är registrerat och väntar på granskning som andra förslag."),
            )
            return redirect("proposals:staff_detail", pk=proposal.pk)
    return render(request, "proposals/staff/register_on_behalf.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def register_from_meeting(request: HttpRequest) -> HttpResponse:
    user = request.user
    _require(user, has_perm(user, "proposals.register_proposal_step"))
    # A meeting's page links here with ?mote=<id> so the meeting is already chosen.
    form = staff_forms.RegisterFromMeetingForm(
        request.POST or None, initial={"meeting": request.GET.get("mote") or None}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            proposal = services.proposal_register_from_meeting(
                actor=user,
                title=data["title"],
                body=data["body"],
                topic=data["topic"],
                area=data["area"],
                source=data["source"],
                meeting=data["meeting"],
                responsible_politician=data["responsible_politician"],
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(
                request,
                _(
                    "Förslaget är registrerat och publicerat. %(name)s har fått ett meddelande "
                    "om att lyfta det till en nämnd."
                )
                % {"name": data["responsible_politician"].get_full_name() or _("Politikern")},
            )
            return redirect("proposals:staff_detail", pk=proposal.pk)
    return render(request, "proposals/staff/register_from_meeting.html", {"form": form})


def _support_refused_message(error: services.SupportRefused) -> str:
    """The service speaks to the citizen ("Du stödjer redan …"); here staff read it."""
    code = getattr(error, "code", None)
    if code == "duplicate":
        return _("Personen stödjer redan det här förslaget.")
    if code == "residence":
        return _(
            "Personen finns inte i registret över folkbokförda i kommunen och kan inte "
            "stödja förslaget."
        )
    if code == "age":
        return _("Personen har inte fyllt %(age)d år och kan inte stödja förslag.") % {
            "age": municipality_get().proposal_min_age
        }
    return error.messages[0]


@login_required
@require_http_methods(["GET", "POST"])
def register_support(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    proposal = selectors.access_proposal_for_assisted_support(user, pk)
    form = staff_forms.SupportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.support_add_assisted(
                proposal=proposal,
                actor=user,
                pin=form.cleaned_data["pin"],
                evidence=form.evidence_text(),
            )
        except services.SupportRefused as error:
            form.add_error(None, _support_refused_message(error))
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(
                request,
                _("Stödet är registrerat. Förslaget har nu %(count)d stöd.")
                % {"count": proposal.supports.filter(ACTIVE_SUPPORT).count()},
            )
            # Back to an empty form: paper forms usually come in a pile.
            return redirect("proposals:staff_support", pk=proposal.pk)
    return render(
        request,
        "proposals/staff/register_support.html",
        {
            "proposal": proposal,
            "form": form,
            "support_count": proposal.supports.filter(ACTIVE_SUPPORT).count(),
        },
    )


# --- CSV exports -----------------------------------------------------------------------------


class _Echo:
    """A file-like object whose write() hands the line back, for csv.writer in a stream."""

    def write(self, value: str) -> str:
        return value


def _cell(value: Any) -> Any:
    # Text that a spreadsheet would read as a formula stays text (CSV injection).
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return "" if value is None else value


def _date(value: datetime.date | datetime.datetime | None) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
    return value.isoformat()


def _csv_response(
    filename: str, header: list[Any], rows: Callable[[], Iterable[list[Any]]]
) -> StreamingHttpResponse:
    """Semicolon-separated UTF-8 with a byte order mark: what Excel in Sweden opens as is.
    Streamed, so a long list is never held in memory."""
    writer = csv.writer(_Echo(), delimiter=";")
    language = translation.get_language()

    def lines() -> Iterator[str]:
        # The rows are made while the response is sent, after the view has returned.
        with translation.override(language):
            yield "\ufeff" + writer.writerow([str(title) for title in header])
            for row in rows():
                yield writer.writerow([_cell(value) for value in row])

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_GET
def export_csv(request: HttpRequest) -> StreamingHttpResponse:
    _require(request.user, can_use_staff_pages(request.user))
    header = [
        gettext_lazy("Id"),
        gettext_lazy("Rubrik"),
        gettext_lazy("Status"),
        gettext_lazy("Kategori"),
        gettext_lazy("Område"),
        gettext_lazy("Publicerat"),
        gettext_lazy("Insamlingen slutar"),
        gettext_lazy("Stöd som krävs"),
        gettext_lazy("Antal stöd"),
        gettext_lazy("Diarienummer"),
        gettext_lazy("Beredande nämnd"),
        gettext_lazy("Beslut"),
        gettext_lazy("Beslutsdatum"),
        gettext_lazy("Adress"),
    ]

    def rows() -> Iterator[list[Any]]:
        proposals = (
            Proposal.objects.select_related("topic", "area", "preparing_body")
            .annotate(active_supports=_active_supports())
            .order_by("pk")
        )
        for p in proposals.iterator(chunk_size=1000):
            yield [
                p.pk,
                p.title,
                p.get_status_display(),
                p.topic.name,
                p.area.name if p.area else "",
                _date(p.published_at),
                _date(p.signing_ends_on),
                p.threshold,
                p.active_supports,  # type: ignore[attr-defined]
                p.diary_number,
                p.preparing_body.name if p.preparing_body else "",
                p.get_outcome_display(),
                _date(p.decided_on),
                # Only pages the public can open: a rejected proposal has none.
                request.build_absolute_uri(p.get_absolute_url()) if p.is_public else "",
            ]

    filename = f"medborgarforslag-{timezone.localdate():%Y-%m-%d}.csv"
    return _csv_response(filename, header, rows)


@login_required
@require_GET
def supporters_csv(request: HttpRequest, pk: int) -> StreamingHttpResponse:
    """Who supports a proposal: only as much as the law requires. Never the personnummer or
    the person key; withdrawn supports are not supporters. Every export is in the audit log."""
    user = request.user
    proposal = selectors.access_proposal_supporters(user, pk)
    audit.record(actor=user, action="proposal.supporters_exported", obj=proposal)
    header = [
        gettext_lazy("Stöd givet"),
        gettext_lazy("Kanal"),
        gettext_lazy("Konto"),
        gettext_lazy("Folkbokföring vid kontrollen"),
    ]

    def rows() -> Iterator[list[Any]]:
        supports = (
            Support.objects.filter(ACTIVE_SUPPORT, proposal=proposal)
            .select_related("user", "verification")
            # Not even read from the database: person_key stays where it is.
            .only(
                "created_at",
                "channel",
                "user__display_name",
                "user__full_name",
                "user__closed_at",
                "verification__residence",
            )
            .order_by("created_at", "pk")
        )
        for support in supports.iterator(chunk_size=1000):
            yield [
                _date(support.created_at),
                support.get_channel_display(),
                support.user.public_name if support.user else "",
                support.verification.get_residence_display() if support.verification else "",
            ]

    filename = f"stodjare-forslag-{proposal.pk}-{timezone.localdate():%Y-%m-%d}.csv"
    return _csv_response(filename, header, rows)
