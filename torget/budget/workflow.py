"""A budget round's life, in one table (SKR's steps for a citizen budget):

    utkast ─approve→ godkänd ─open_ideas→ idéer ─start_review→ granskning ─open_voting→
    omröstning ─close_voting→ räkning ─publish_result→ resultat ─record_decision→ beslutad
    ─finish→ avslutad

The responsible presidium approves the set-up before citizens see anything; the förvaltning
reviews and costs every idea before the vote; the result is counted and published before the
politicians decide, and nothing is carried out before the decision. Each step is audited and
announced to the round's followers (budget.services.round_step). The services take these
steps through `PROCESS.take()` (toolbox `core.workflow`).
"""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from torget.budget.models import BudgetRound, IdeaStatus, Phase, VotingRule
from torget.core import workflow


class BudgetError(workflow.WorkflowError):
    pass


def approval_recorded(round: BudgetRound) -> str | None:
    if not (round.approved_on and round.approved_by_body_id):
        return _(
            "Presidiets godkännande är inte registrerat. Registrera vilket organ som godkände "
            "upplägget och när."
        )
    return None


def rule_is_complete(round: BudgetRound) -> str | None:
    if round.voting_rule != VotingRule.KNAPSACK and not round.votes_per_ballot:
        return _("Ange hur många röster varje valsedel har för den valda röstningsregeln.")
    return None


def every_idea_reviewed(round: BudgetRound) -> str | None:
    if round.ideas.filter(status=IdeaStatus.SUBMITTED).exists():
        return _(
            "Alla idéer är inte granskade. Förvaltningen ska bedöma varje idé som genomförbar "
            "eller inte, med motivering, innan omröstningen öppnar."
        )
    return None


def has_projects(round: BudgetRound) -> str | None:
    if not round.ideas.filter(status=IdeaStatus.FEASIBLE).exists():
        return _("Det finns inga genomförbara projekt att rösta om.")
    return None


def result_counted(round: BudgetRound) -> str | None:
    if not round.result:
        return _("Rösterna är inte räknade. Räkna rösterna innan resultatet publiceras.")
    return None


def decision_recorded(round: BudgetRound) -> str | None:
    if not (round.decided_on and round.decision_body_id):
        return _("Ange vilket organ som fattade beslutet och när.")
    return None


def every_project_done(round: BudgetRound) -> str | None:
    if round.ideas.filter(funded=True).exclude(progress="klar").exists():
        return _("Alla projekt som fick pengar är inte klara än.")
    return None


def _refused(round: BudgetRound, step: workflow.Step) -> str:
    return _("Omgången är i fasen %(phase)s, så det går inte att %(step)s nu.") % {
        "phase": str(Phase(round.phase).label).lower(),
        "step": str(step.label).lower(),
    }


PROCESS: workflow.Workflow[BudgetRound, workflow.Step] = workflow.Workflow(
    model=BudgetRound,
    status_field="phase",
    steps=[
        workflow.Step(
            name="approve",
            sources=frozenset({Phase.DRAFT}),
            target=Phase.APPROVED,
            label=gettext_lazy("Registrera presidiets godkännande"),
            guards=(approval_recorded, rule_is_complete),
        ),
        workflow.Step(
            name="open_ideas",
            sources=frozenset({Phase.APPROVED}),
            target=Phase.IDEAS,
            label=gettext_lazy("Börja ta emot idéer"),
            guards=(approval_recorded, rule_is_complete),
        ),
        workflow.Step(
            name="start_review",
            sources=frozenset({Phase.IDEAS}),
            target=Phase.REVIEW,
            label=gettext_lazy("Sluta ta emot idéer och börja granska"),
        ),
        workflow.Step(
            name="open_voting",
            sources=frozenset({Phase.REVIEW}),
            target=Phase.VOTING,
            label=gettext_lazy("Öppna omröstningen"),
            guards=(every_idea_reviewed, has_projects),
        ),
        workflow.Step(
            name="close_voting",
            sources=frozenset({Phase.VOTING}),
            target=Phase.COUNTING,
            label=gettext_lazy("Stäng omröstningen"),
        ),
        workflow.Step(
            name="publish_result",
            sources=frozenset({Phase.COUNTING}),
            target=Phase.RESULT,
            label=gettext_lazy("Publicera resultatet"),
            guards=(result_counted,),
        ),
        workflow.Step(
            name="record_decision",
            sources=frozenset({Phase.RESULT}),
            target=Phase.DECIDED,
            label=gettext_lazy("Registrera det politiska beslutet"),
            guards=(decision_recorded,),
        ),
        workflow.Step(
            name="finish",
            sources=frozenset({Phase.DECIDED}),
            target=Phase.FINISHED,
            label=gettext_lazy("Avsluta omgången"),
            guards=(every_project_done,),
        ),
    ],
    refused=_refused,
    error=BudgetError,
)
