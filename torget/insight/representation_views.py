"""The representativeness pages: a dialogue's (public and staff) and the overall one.

Every figure on them has gone through the small-number suppression (representation.py), the
staff page included: it adds the plan's target groups with their planned effort, not finer
numbers.
"""

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.views.decorators.http import require_safe

from torget.dialogues import selectors as dialogue_selectors
from torget.dialogues.models import PLAN_PUBLIC, Dialogue
from torget.insight.representation import (
    Representation,
    representation_for_dialogue,
    representation_overall,
)
from torget.insight.representation_charts import comparison_chart


def _context(result: Representation, **extra: Any) -> dict[str, Any]:
    charts = [
        (breakdown, comparison_chart(breakdown, chart_id=f"chart-{breakdown.key}"))
        for breakdown in result.breakdowns
    ]
    return {"result": result, "charts": charts, **extra}


@require_safe
def dialogue_public(request: HttpRequest, pk: int) -> HttpResponse:
    dialogue = dialogue_selectors.public_dialogue(pk)
    result = representation_for_dialogue(dialogue)
    if dialogue.status not in PLAN_PUBLIC:
        # The plan (and so its target groups) is not public yet.
        result.target_groups = []
    return render(
        request,
        "insight/representation/dialogue.html",
        _context(result, dialogue=dialogue, staff=False),
    )


@login_required
@require_safe
def dialogue_staff(request: HttpRequest, pk: int) -> HttpResponse:
    dialogue = dialogue_selectors.access_dialogue(request.user, pk)
    result = representation_for_dialogue(dialogue)
    return render(
        request,
        "insight/representation/dialogue.html",
        _context(result, dialogue=dialogue, staff=True),
    )


@require_safe
def overall(request: HttpRequest) -> HttpResponse:
    return render(
        request, "insight/representation/overall.html", _context(representation_overall())
    )


# --- Links from the dialogue's pages (dialogues.sections) ---------------------------------------


def public_section(request: HttpRequest, dialogue: Dialogue) -> str:
    """A link to the dialogue's representativeness: the same for everyone, no query."""
    return render_to_string(
        "insight/representation/_section.html", {"dialogue": dialogue, "staff": False}
    )


def staff_section(request: HttpRequest, dialogue: Dialogue) -> str:
    return render_to_string(
        "insight/representation/_section.html", {"dialogue": dialogue, "staff": True}
    )
