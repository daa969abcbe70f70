"""The filters of each list (django-filter). A value that is not valid (an unknown area, a
date that is not a date, a status that does not exist) answers 400 with the reason, never a
500 and never a silently unfiltered list.

An area filter takes the area's slug and includes the areas inside it: what happens in
Berga happens in Söder too (the public pages read areas the same way).
"""

from __future__ import annotations

from typing import Any

import django_filters as filters
from django import forms
from django.db.models import QuerySet

from torget.budget.models import PUBLIC_PHASES, BudgetRound, Idea, IdeaStatus, Progress
from torget.councils.models import Council, CouncilKind, CouncilStatus
from torget.dialogues.models import NOT_PUBLIC, Dialogue, LadderStep, Status
from torget.feedback.models import Case, Category, CategoryUse, StatusGroup
from torget.geo.models import Area, AreaKind
from torget.geo.selectors import areas_within
from torget.inspections.models import Inspection
from torget.meetings.models import Meeting, MeetingStatus
from torget.organisation.models import Body, Topic
from torget.proposals.models import PUBLIC_STATUSES, Outcome, Proposal
from torget.proposals.models import Status as ProposalStatus
from torget.results.models import FeedbackPoint, PointKind

# The largest id a database integer holds: a bigger one is a 400, not a database error.
MAX_ID = 2**63 - 1


class IdField(forms.IntegerField):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(*args, **kwargs)


class IdFilter(filters.NumberFilter):
    field_class = IdField


class YearField(forms.IntegerField):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("min_value", 1900)
        kwargs.setdefault("max_value", 2999)
        super().__init__(*args, **kwargs)


class YearFilter(filters.NumberFilter):
    field_class = YearField


def _through_ids(model: Any, field: str, ids: list[int]) -> QuerySet[Any]:
    """The ids of `model` rows tied to one of the areas by its many-to-many `field`."""
    through = model._meta.get_field(field).remote_field.through
    return through.objects.filter(area_id__in=ids).values(f"{model._meta.model_name}_id")


def _area_filter(path: str, *, m2m_of: Any = None) -> filters.ModelChoiceFilter:
    """`path`: the area's foreign key; or, with `m2m_of` (a model), the path to that model's
    id and "areas" its many-to-many field (a subquery, not a join: no duplicate rows)."""

    def method(queryset: QuerySet[Any], name: str, value: Area | None) -> QuerySet[Any]:
        if value is None:
            return queryset
        ids = areas_within([value.pk])
        if m2m_of is not None:
            return queryset.filter(**{f"{path}__in": _through_ids(m2m_of, "areas", ids)})
        return queryset.filter(**{f"{path}__in": ids})

    return filters.ModelChoiceFilter(
        queryset=Area.objects.all(),
        to_field_name="slug",
        method=method,
        label="Område (kortnamn); områden inom det ingår",
    )


def _topic_filter(path: str) -> filters.ModelChoiceFilter:
    return filters.ModelChoiceFilter(
        field_name=path, queryset=Topic.objects.all(), to_field_name="slug", label="Ämne (kortnamn)"
    )


def _choices(choices: Any, *, leave_out: Any = ()) -> list[tuple[str, str]]:
    return [(value, label) for value, label in choices if value not in leave_out]


class DialogueFilter(filters.FilterSet):
    area = _area_filter("pk", m2m_of=Dialogue)
    topic = _topic_filter("topics")
    status = filters.ChoiceFilter(choices=_choices(Status.choices, leave_out=NOT_PUBLIC))
    ladder_step = filters.ChoiceFilter(choices=LadderStep.choices, label="Steg på trappan")
    starts_after = filters.DateFilter(field_name="starts_on", lookup_expr="gte")
    starts_before = filters.DateFilter(field_name="starts_on", lookup_expr="lte")
    ends_after = filters.DateFilter(field_name="ends_on", lookup_expr="gte")
    ends_before = filters.DateFilter(field_name="ends_on", lookup_expr="lte")

    class Meta:
        model = Dialogue
        fields: list[str] = []


class MeetingFilter(filters.FilterSet):
    area = _area_filter("area")
    dialogue = IdFilter(field_name="dialogue_id", label="Dialogens id")
    body = filters.ModelChoiceFilter(
        queryset=Body.objects.all(), to_field_name="slug", label="Organ (kortnamn)"
    )
    status = filters.ChoiceFilter(choices=_choices(MeetingStatus.choices, leave_out={"utkast"}))
    starts_after = filters.DateFilter(field_name="starts_at", lookup_expr="date__gte")
    starts_before = filters.DateFilter(field_name="starts_at", lookup_expr="date__lte")

    class Meta:
        model = Meeting
        fields: list[str] = []


class FeedbackPointFilter(filters.FilterSet):
    dialogue = IdFilter(field_name="dialogue_id", label="Dialogens id")
    kind = filters.ChoiceFilter(choices=PointKind.choices)
    area = _area_filter("dialogue_id", m2m_of=Dialogue)
    published_after = filters.DateFilter(field_name="published_at", lookup_expr="date__gte")
    published_before = filters.DateFilter(field_name="published_at", lookup_expr="date__lte")

    class Meta:
        model = FeedbackPoint
        fields: list[str] = []


class ProposalFilter(filters.FilterSet):
    area = _area_filter("area")
    topic = _topic_filter("topic")
    status = filters.ChoiceFilter(
        choices=_choices(ProposalStatus.choices, leave_out=set(ProposalStatus) - PUBLIC_STATUSES)
    )
    outcome = filters.ChoiceFilter(choices=_choices(Outcome.choices))
    published_after = filters.DateFilter(field_name="published_at", lookup_expr="date__gte")
    published_before = filters.DateFilter(field_name="published_at", lookup_expr="date__lte")
    decided_after = filters.DateFilter(field_name="decided_on", lookup_expr="gte")
    decided_before = filters.DateFilter(field_name="decided_on", lookup_expr="lte")

    class Meta:
        model = Proposal
        fields: list[str] = []


class BudgetRoundFilter(filters.FilterSet):
    area = _area_filter("pk", m2m_of=BudgetRound)
    phase = filters.ChoiceFilter(
        choices=[
            (value, label)
            for value, label in BudgetRound._meta.get_field("phase").choices  # type: ignore[union-attr]
            if value in PUBLIC_PHASES
        ]
    )
    dialogue = IdFilter(field_name="dialogue_id", label="Dialogens id")

    class Meta:
        model = BudgetRound
        fields: list[str] = []


class IdeaFilter(filters.FilterSet):
    round = IdFilter(field_name="round_id", label="Omgångens id")
    status = filters.ChoiceFilter(choices=IdeaStatus.choices)
    progress = filters.ChoiceFilter(choices=_choices(Progress.choices, leave_out={""}))
    funded = filters.TypedChoiceFilter(
        choices=[("true", "true"), ("false", "false")],
        coerce=lambda value: value == "true",
        label="Får pengar (true eller false)",
    )
    area = _area_filter("round_id", m2m_of=BudgetRound)

    class Meta:
        model = Idea
        fields: list[str] = []


class CouncilFilter(filters.FilterSet):
    area = _area_filter("area")
    kind = filters.ChoiceFilter(choices=CouncilKind.choices)
    status = filters.ChoiceFilter(choices=CouncilStatus.choices)

    class Meta:
        model = Council
        fields: list[str] = []


class InspectionFilter(filters.FilterSet):
    council = filters.ModelChoiceFilter(
        queryset=Council.objects.all(), to_field_name="slug", label="Rådet (kortnamn)"
    )
    area = _area_filter("council__area")
    year = YearFilter()
    date_after = filters.DateFilter(field_name="date", lookup_expr="gte")
    date_before = filters.DateFilter(field_name="date", lookup_expr="lte")

    class Meta:
        model = Inspection
        fields: list[str] = []


class FaultReportFilter(filters.FilterSet):
    area = _area_filter("area")
    category = filters.ModelChoiceFilter(
        queryset=Category.objects.filter(use=CategoryUse.FAULT),
        to_field_name="code",
        label="Kategori (kod)",
    )
    status = filters.ChoiceFilter(
        field_name="status__group", choices=StatusGroup.choices, label="Öppet eller avslutat"
    )
    created_after = filters.DateFilter(field_name="created_at", lookup_expr="date__gte")
    created_before = filters.DateFilter(field_name="created_at", lookup_expr="date__lte")
    updated_after = filters.DateFilter(field_name="updated_at", lookup_expr="date__gte")

    class Meta:
        model = Case
        fields: list[str] = []


class AreaFilter(filters.FilterSet):
    kind = filters.ChoiceFilter(choices=AreaKind.choices)
    parent = filters.ModelChoiceFilter(
        queryset=Area.objects.all(), to_field_name="slug", label="Ligger i (kortnamn)"
    )

    class Meta:
        model = Area
        fields: list[str] = []
