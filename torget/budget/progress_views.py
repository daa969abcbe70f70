"""Pages of the implementation: the public list of a round's funded projects with their
progress, money spent and updates; an update's photo; the staff list of projects and the
form that reports a project's progress; and this part's sections of the round pages. The
rules are in `budget.progress`; the round's "finish" step is taken on the round's page
(round_views.staff_step), and its evaluation is the dialogue's (torget.evaluation)."""

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Prefetch, QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_safe

from torget.budget import progress as services
from torget.budget import selectors
from torget.budget.models import BudgetRound, Idea, Phase, Progress, ProgressUpdate
from torget.budget.permissions import can_manage, can_read_staff
from torget.core import inputs
from torget.core.forms import apply_service_errors
from torget.core.media import serve_file
from torget.dialogues.staff_forms import DateInput
from torget.evaluation import selectors as evaluation_selectors
from torget.evaluation import services as evaluation_services

# Phases in which the projects are followed (and shown).
FOLLOWED = frozenset({Phase.DECIDED, Phase.FINISHED})
MONEY_MAX = 10**12  # far beyond any round, well inside the database's integer


def _funded(round: BudgetRound, *, with_updates: bool = False) -> QuerySet[Idea]:
    ideas = round.ideas.filter(funded=True).order_by("number")
    if with_updates:
        ideas = ideas.prefetch_related(
            Prefetch("updates", queryset=ProgressUpdate.objects.order_by("-created_at", "-pk"))
        )
    return ideas


def _totals(projects: list[Idea]) -> dict[str, Any]:
    return {
        "count": len(projects),
        "done": sum(1 for idea in projects if idea.progress == Progress.DONE),
        "cost": sum(idea.cost or 0 for idea in projects),
        "spent": sum(idea.money_spent or 0 for idea in projects),
    }


def _evaluation(round: BudgetRound) -> dict[str, Any]:
    """Where the round's evaluation stands: the dialogue's survey and internal evaluation."""
    dialogue = round.dialogue
    survey = evaluation_selectors.survey_for(dialogue)
    internal = evaluation_selectors.internal_evaluation_for(dialogue)
    return {
        "url": reverse("evaluation:staff", args=[dialogue.pk]),
        "survey": survey,
        "send_refusal": evaluation_services.send_refusal(dialogue) if survey is None else None,
        "internal": internal,
    }


# --- Sections of the round pages ---------------------------------------------------------------


def round_context(request: HttpRequest, round: BudgetRound) -> dict[str, Any]:
    """What this part adds to the public round page (budget/round.html, which includes
    budget/_round_projects.html): the funded projects once the decision is made."""
    if round.phase not in FOLLOWED:
        return {"progress_followed": False}
    projects = list(_funded(round))
    return {
        "progress_followed": True,
        "progress_projects": projects,
        "progress_totals": _totals(projects),
    }


def staff_round_context(request: HttpRequest, round: BudgetRound) -> dict[str, Any]:
    """What this part adds to the staff round page (budget/staff/round.html, which includes
    budget/staff/_round_projects.html)."""
    if round.phase not in FOLLOWED:
        return {"progress_followed": False}
    projects = list(_funded(round))
    manages = can_manage(request.user, round)
    return {
        "progress_followed": True,
        "progress_projects": projects,
        "progress_totals": _totals(projects),
        "progress_can_finish": manages
        and round.phase == Phase.DECIDED
        and services.all_done(round),
        "progress_evaluation": _evaluation(round) if manages else None,
    }


# --- Public ------------------------------------------------------------------------------------


@require_safe
def projects(request: HttpRequest, pk: int) -> HttpResponse:
    """Medborgarbudgetens projekt: what was decided and how far each project has come."""
    round = selectors.access_public(pk)
    followed = round.phase in FOLLOWED
    items = list(_funded(round, with_updates=True)) if followed else []
    return render(
        request,
        "budget/projects.html",
        {
            "round": round,
            "dialogue": round.dialogue,
            "followed": followed,
            "projects": items,
            "totals": _totals(items),
            "finished": round.phase == Phase.FINISHED,
        },
    )


@require_safe
def update_photo(request: HttpRequest, update_pk: int) -> HttpResponseBase:
    """An update's photo, for everyone once the round is public; staff who read the round
    see it at the same address before that (an update exists only after the decision, so
    this is a safeguard, not a path anyone takes)."""
    update = get_object_or_404(ProgressUpdate.objects.select_related("idea__round"), pk=update_pk)
    round = update.idea.round
    if round.is_public:
        return serve_file(update.photo, public=True, content_type="image/jpeg")
    if request.user.is_authenticated and can_read_staff(request.user, round):
        return serve_file(update.photo, public=False, content_type="image/jpeg")
    raise Http404


# --- Staff -------------------------------------------------------------------------------------


class ReportForm(forms.Form):
    """Lägesrapport: one step of a funded project, as the förvaltning reports it."""

    progress = forms.ChoiceField(
        label=gettext_lazy("Projektets läge"),
        choices=[(step.value, step.label) for step in services.STEPS],
        widget=forms.RadioSelect,
        error_messages={"required": gettext_lazy("Välj projektets läge.")},
    )
    text = forms.CharField(
        label=gettext_lazy("Vad har hänt?"),
        help_text=gettext_lazy("Visas för alla på projektets sida och skickas till bevakarna."),
        max_length=services.TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": gettext_lazy("Skriv vad som har hänt i projektet.")},
    )
    money_spent = forms.IntegerField(
        label=gettext_lazy("Använt hittills (kronor)"),
        help_text=gettext_lazy(
            "Hela beloppet som projektet har kostat hittills. Krävs när projektet är klart."
        ),
        required=False,
        min_value=0,
        max_value=MONEY_MAX,
    )
    done_on = inputs.DateField(
        label=gettext_lazy("Klart datum"),
        help_text=gettext_lazy("Krävs när projektet är klart. Inte ett datum i framtiden."),
        required=False,
        widget=DateInput(),
    )
    photo = forms.FileField(
        label=gettext_lazy("Foto"),
        required=False,
        help_text=gettext_lazy("JPEG, PNG eller WebP. Platsuppgifter och annan metadata tas bort."),
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )
    photo_alt = forms.CharField(
        label=gettext_lazy("Vad visar fotot?"),
        help_text=gettext_lazy("Krävs med ett foto, för den som inte kan se det."),
        required=False,
        max_length=services.ALT_MAX,
    )
    reason = forms.CharField(
        label=gettext_lazy("Varför går projektet tillbaka ett steg?"),
        help_text=gettext_lazy(
            "Bara när läget blir ett tidigare steg än nu, till exempel om ett fel upptäcks "
            "efter att projektet var klart. Visas först i lägesrapporten."
        ),
        required=False,
        max_length=services.REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


def _staff_project_page(
    request: HttpRequest, idea: Idea, form: ReportForm | None, *, status: int = 200
) -> HttpResponse:
    round = idea.round
    refused = services.refusal(idea)
    return render(
        request,
        "budget/staff/project.html",
        {
            "round": round,
            "dialogue": round.dialogue,
            "idea": idea,
            "updates": list(idea.updates.order_by("-created_at", "-pk")),
            "form": None if refused else form,
            "refusal": refused,
        },
        status=status,
    )


@login_required
@require_safe
def staff_projects(request: HttpRequest, pk: int) -> HttpResponse:
    """The round's funded projects for the förvaltning: where each stands, a link to report,
    and, when all are done, the round's last step and its evaluation."""
    round = selectors.access_for_review(request.user, pk)
    followed = round.phase in FOLLOWED
    items = list(_funded(round, with_updates=True)) if followed else []
    manages = can_manage(request.user, round)
    return render(
        request,
        "budget/staff/projects.html",
        {
            "round": round,
            "dialogue": round.dialogue,
            "followed": followed,
            "projects": items,
            "totals": _totals(items),
            "can_finish": manages and round.phase == Phase.DECIDED and services.all_done(round),
            "evaluation": _evaluation(round) if manages and followed else None,
            "today": timezone.localdate(),
        },
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def staff_project(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    """One funded project: its updates and the form to report the next step."""
    idea = selectors.access_idea_for_review(request.user, pk, number)
    if not idea.funded:
        raise Http404
    initial = {
        "progress": idea.progress or Progress.PLANNED,
        "money_spent": idea.money_spent,
        "done_on": idea.done_on,
    }
    if request.method != "POST":
        return _staff_project_page(request, idea, ReportForm(initial=initial))
    refused = services.refusal(idea)
    if refused:
        messages.error(request, refused)
        return redirect("budget:staff_project", pk=idea.round_id, number=idea.number)
    form = ReportForm(request.POST, request.FILES, initial=initial)
    if form.is_valid():
        data = form.cleaned_data
        before = idea.progress
        try:
            services.progress_report(
                idea=idea,
                actor=request.user,
                progress=data["progress"],
                text=data["text"],
                money_spent=data["money_spent"],
                done_on=data["done_on"],
                photo=data["photo"],
                photo_alt=data["photo_alt"],
                reason=data["reason"],
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            if data["progress"] != before:
                done = _(
                    "Lägesrapporten är publicerad och projektet är nu %(progress)s. "
                    "Omgångens bevakare får besked."
                ) % {"progress": str(Progress(data["progress"]).label).lower()}
            else:
                done = _("Lägesrapporten är publicerad på projektets sida.")
            messages.success(request, done)
            return redirect(
                reverse("budget:staff_projects", args=[idea.round_id]) + f"#projekt-{idea.number}"
            )
    return _staff_project_page(request, idea, form, status=400)
