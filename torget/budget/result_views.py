"""Pages of the count, the result and the decision: the public result with every project's
votes, cost and why it did or did not get money; the staff's count (both methods side by side
before publishing) and the publish button; the staff's record of the political decision; and
this part's sections on the round's public and staff pages."""

from typing import Any, cast

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from torget.budget import counting, result_services, selectors
from torget.budget.models import Ballot, BudgetRound, CountingMethod, Phase
from torget.budget.permissions import can_manage
from torget.core import inputs
from torget.core.forms import apply_service_errors
from torget.dialogues.staff_forms import DateInput
from torget.organisation.models import Body

PUBLISHED_PHASES = frozenset({Phase.RESULT, Phase.DECIDED, Phase.FINISHED})
COUNTABLE_PHASES = frozenset({Phase.COUNTING}) | PUBLISHED_PHASES
PREVIEW_SECONDS = 600


class DecisionForm(forms.Form):
    body = forms.ModelChoiceField(
        label=gettext_lazy("Organ som fattade beslutet"), queryset=Body.objects.order_by("name")
    )
    decided_on = inputs.DateField(label=gettext_lazy("Beslutsdatum"), widget=DateInput)
    reference = forms.CharField(
        label=gettext_lazy("Diarienummer (frivilligt)"), required=False, max_length=40
    )
    text = forms.CharField(
        label=gettext_lazy("Beslutet"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=gettext_lazy("Beslutets text, som den står i protokollet."),
    )
    funded_numbers = forms.TypedMultipleChoiceField(
        label=gettext_lazy("Projekt som får pengar"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy(
            "Förvalt är de projekt som fick pengar i resultatet. Om beslutet avviker från "
            "resultatet, ändra här: avvikelsen registreras och syns på resultatsidan."
        ),
    )

    def clean_decided_on(self) -> Any:
        # Also checked by the service; here too, so that all errors show at once.
        day = self.cleaned_data["decided_on"]
        if day and day > timezone.localdate():
            raise ValidationError(_("Beslutet kan inte vara framåt i tiden."))
        return day

    def __init__(self, *args: Any, round: BudgetRound, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast(forms.TypedMultipleChoiceField, self.fields["funded_numbers"])
        field.choices = [
            (idea.number, f"{idea.number}. {idea.title} ({counting.kronor(idea.cost or 0)} kr)")
            for idea in selectors.projects_of(round)
        ]


# --- Presentation ------------------------------------------------------------------------------


def presented(result: dict[str, Any]) -> dict[str, Any]:
    """A stored or fresh result, with its texts in the reader's language."""
    rows = [
        dict(
            row,
            reason_text=counting.reason_text(row),
            cost_text=counting.kronor(row["cost"]),
            votes_text=counting.kronor(row["votes"]),
            points_text=counting.kronor(row["points"]),
        )
        for row in result["projects"]
    ]
    return dict(
        result,
        projects=rows,
        winners=[row for row in sorted(rows, key=lambda r: r["order"] or 0) if row["funded"]],
        rule=counting.rule_text(
            result["method"], bool(result.get("ranking")), result.get("points_top") or 0
        ),
        tie_break=counting.tie_break_text(),
        method_label=str(CountingMethod(result["method"]).label),
        budget_text=counting.kronor(result["budget"]),
        spent_text=counting.kronor(result["spent"]),
        left_text=counting.kronor(result["left"]),
        share_text=counting.kronor(result["share"] or 0),
    )


def _decision(round: BudgetRound) -> dict[str, Any] | None:
    if not round.decided_on:
        return None
    funded = list(selectors.projects_of(round).filter(funded=True).values_list("number", flat=True))
    return {
        "body": round.decision_body,
        "decided_on": round.decided_on,
        "reference": round.decision_reference,
        "text": round.decision_text,
        "funded": funded,
        "deviates": sorted(funded) != sorted(round.result.get("funded", [])),
    }


def _preview(round: BudgetRound, method: str) -> dict[str, Any]:
    """A count for the staff's preview; counting 100,000 ballots takes seconds, so it is kept
    a while, under a key that changes with any new ballot."""
    ballots = Ballot.objects.filter(round=round)
    key = f"budget:count:{round.pk}:{method}:{ballots.count()}:{ballots.filter(superseded=True).count()}"
    result = cache.get(key)
    if result is None:
        result = counting.count(round, method=method)
        cache.set(key, result, PREVIEW_SECONDS)
    return presented(result)


# --- Sections on the round's pages -------------------------------------------------------------


def staff_round_context(request: HttpRequest, round: BudgetRound) -> dict[str, Any]:
    """What this part adds to the staff round page (budget/staff/round.html)."""
    return {
        "result_part": {
            "countable": round.phase in COUNTABLE_PHASES,
            "published": round.phase in PUBLISHED_PHASES and bool(round.result),
            "may_publish": round.phase == Phase.COUNTING and can_manage(request.user, round),
            "may_decide": round.phase == Phase.RESULT and can_manage(request.user, round),
            "count_url": reverse("budget:staff_count", args=[round.pk]),
            "decision_url": reverse("budget:staff_decision", args=[round.pk]),
            "result_url": reverse("budget:result", args=[round.pk]),
            "decision": _decision(round),
        }
    }


def round_context(request: HttpRequest, round: BudgetRound) -> dict[str, Any]:
    """What this part adds to the public round page (budget/round.html)."""
    if round.phase not in PUBLISHED_PHASES or not round.result:
        return {"result_part": None}
    return {
        "result_part": {
            "result": presented(round.result),
            "url": reverse("budget:result", args=[round.pk]),
            "decision": _decision(round),
        }
    }


# --- Pages -------------------------------------------------------------------------------------


@require_GET
def result(request: HttpRequest, pk: int) -> HttpResponse:
    round = selectors.access_public(pk)
    if round.phase not in PUBLISHED_PHASES or not round.result:
        raise Http404
    return render(
        request,
        "budget/result.html",
        {
            "round": round,
            "result": presented(round.result),
            "decision": _decision(round),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def staff_count(request: HttpRequest, pk: int) -> HttpResponse:
    round = selectors.access_for_work(request.user, pk)
    if request.method == "POST":
        try:
            result_services.result_publish(round=round, actor=request.user)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
            return redirect("budget:staff_count", round.pk)
        messages.success(
            request,
            _(
                "Resultatet är publicerat på omgångens sida. Omgångens bevakare får besked. "
                "Registrera det politiska beslutet när det är fattat."
            ),
        )
        return redirect(round.staff_url())
    previews = []
    if round.phase in COUNTABLE_PHASES:
        previews = [_preview(round, method) for method in CountingMethod.values]
    return render(
        request,
        "budget/staff/count.html",
        {
            "round": round,
            "previews": previews,
            "countable": round.phase in COUNTABLE_PHASES,
            "may_publish": round.phase == Phase.COUNTING,
            "published": presented(round.result) if round.result else None,
            "method_label": str(CountingMethod(round.counting_method).label),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def staff_decision(request: HttpRequest, pk: int) -> HttpResponse:
    round = selectors.access_for_work(request.user, pk)
    open_ = round.phase == Phase.RESULT
    form = DecisionForm(
        request.POST if request.method == "POST" and open_ else None,
        round=round,
        initial={"funded_numbers": (round.result or {}).get("funded", [])},
    )
    if request.method == "POST":
        if not open_:
            messages.error(request, _("Beslutet kan registreras när resultatet är publicerat."))
            return redirect("budget:staff_decision", round.pk)
        if form.is_valid():
            data = form.cleaned_data
            try:
                result_services.decision_record(
                    round=round,
                    actor=request.user,
                    body=data["body"],
                    decided_on=data["decided_on"],
                    reference=data["reference"],
                    text=data["text"],
                    funded_numbers=data["funded_numbers"],
                )
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                messages.success(
                    request,
                    _(
                        "Beslutet är registrerat. Projekten som fick pengar är planerade och "
                        "kan följas på omgångens sida."
                    ),
                )
                return redirect(round.staff_url())
    return render(
        request,
        "budget/staff/decision.html",
        {
            "round": round,
            "form": form,
            "open": open_,
            "result": presented(round.result) if round.result else None,
            "decision": _decision(round),
        },
        status=400 if form.errors else 200,
    )
