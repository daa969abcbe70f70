"""What each public dataset publishes of a row: public fields only.

Never an e-mail address, a phone number, a personal identity number, a private person's
name (a proposal's author, a budget idea's shown name, a fault report's reporter, a council
member's name) or an internal note. Each serializer reads only what its queryset in
registry.py fetched (select_related / prefetch_related), so a page is a fixed number of
queries whatever its size.
"""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import get_language
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from torget.budget.models import BudgetRound, Idea
from torget.councils.models import Council, CouncilMember
from torget.dialogues.models import (
    PLAN_PUBLIC,
    Dialogue,
    Event,
    PlannedMethod,
    PlannedTargetGroup,
)
from torget.feedback.models import Case
from torget.geo.models import Area
from torget.inspections.models import Action, Cause, Finding, Inspection, InspectionGroup
from torget.meetings.models import AgendaItem, Meeting
from torget.organisation.models import Body, Topic
from torget.proposals.models import Event as ProposalEvent
from torget.proposals.models import Proposal
from torget.results.models import FeedbackPoint

# --- Small references -------------------------------------------------------------------------


_LABELS: dict[tuple[Any, str, str], dict[Any, str]] = {}


class ChoiceLabel(serializers.CharField):
    """A choice's label, as `get_<field>_display()` gives it, in the request's language.

    Django's `get_<field>_display()` rebuilds the field's choices at every call, which costs
    more than the rest of an API row; this keeps them once per field."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("read_only", True)
        super().__init__(**kwargs)

    def to_representation(self, value: Any) -> str:
        model = self.parent.Meta.model
        # Translated once per language, not once per row.
        key = (model, self.source, get_language())
        labels = _LABELS.get(key)
        if labels is None:
            choices = model._meta.get_field(self.source).flatchoices
            labels = _LABELS[key] = {choice: str(label) for choice, label in choices}
        return labels.get(value, str(value))


class AreaRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Area
        fields = ["id", "slug", "name"]


class TopicRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Topic
        fields = ["id", "slug", "name"]


class BodyRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Body
        fields = ["id", "slug", "name"]


class _Absolute(serializers.Serializer):
    """Adds `url`: the row's public page on Torget."""

    url = serializers.SerializerMethodField(help_text="Sidan på Torget (relativ adress).")

    def get_url(self, obj: Any) -> str:
        return str(obj.get_absolute_url())


# --- Dialoger ------------------------------------------------------------------------------------


class PlannedMethodSerializer(serializers.ModelSerializer):
    code = serializers.CharField(source="method.code")
    name = serializers.CharField(source="method.name")
    ladder_step = serializers.IntegerField(source="method.ladder_step")

    class Meta:
        model = PlannedMethod
        fields = ["code", "name", "ladder_step", "order", "starts_on", "ends_on", "note"]


class PlannedTargetGroupSerializer(serializers.ModelSerializer):
    code = serializers.CharField(source="group.code", default="")
    name = serializers.SerializerMethodField()

    class Meta:
        model = PlannedTargetGroup
        fields = ["code", "name", "effort"]

    def get_name(self, obj: PlannedTargetGroup) -> str:
        return obj.group.name if obj.group is not None else obj.other


class DialoguePlanSerializer(serializers.ModelSerializer):
    methods = PlannedMethodSerializer(many=True, read_only=True, source="api_methods")
    target_groups = PlannedTargetGroupSerializer(
        many=True, read_only=True, source="api_target_groups"
    )

    class Meta:
        model = Dialogue
        fields = [
            "methods",
            "target_groups",
            "communication_plan",
            "documentation_plan",
            "feedback_plan",
            "evaluation_plan",
        ]


class DialogueEventSerializer(serializers.ModelSerializer):
    status_label = ChoiceLabel(source="status")

    class Meta:
        model = Event
        fields = ["happened_on", "step", "status", "status_label", "text"]


class DialogueSerializer(_Absolute, serializers.ModelSerializer):
    status_label = ChoiceLabel(source="status")
    kind_label = ChoiceLabel(source="kind")
    ladder_step_label = ChoiceLabel(source="ladder_step", allow_null=True)
    deciding_body = BodyRefSerializer(allow_null=True)
    administration = serializers.CharField(
        source="administration.name", default=None, allow_null=True
    )
    areas = AreaRefSerializer(many=True, source="api_areas")
    topics = TopicRefSerializer(many=True, source="api_topics")
    plan = serializers.SerializerMethodField(
        help_text="Dialogens plan (metoder, målgrupper), när planen är godkänd; annars null."
    )
    history = DialogueEventSerializer(many=True, source="public_events")

    class Meta:
        model = Dialogue
        fields = [
            "id",
            "url",
            "title",
            "status",
            "status_label",
            "kind",
            "kind_label",
            "summary",
            "question",
            "open_to_influence",
            "earlier_decisions",
            "ladder_step",
            "ladder_step_label",
            "how_to_take_part",
            "starts_on",
            "ends_on",
            "decision_expected_on",
            "decided_on",
            "decision_reference",
            "deciding_body",
            "administration",
            "areas",
            "topics",
            "plan",
            "results_summary",
            "outcome_decision",
            "outcome_decided_on",
            "outcome_reference",
            "feedback_text",
            "history",
            "created_at",
            "updated_at",
        ]

    @extend_schema_field(DialoguePlanSerializer(allow_null=True))
    def get_plan(self, obj: Dialogue) -> dict[str, Any] | None:
        if obj.status not in PLAN_PUBLIC:
            return None
        # One plan serializer for the whole page: making one per row costs REST framework's
        # introspection of the model's fields again for every row.
        if not hasattr(self, "_plan"):
            self._plan = DialoguePlanSerializer(context=self.context)
        return self._plan.to_representation(obj)  # type: ignore[no-any-return]


# --- Möten ---------------------------------------------------------------------------------------


class AgendaItemSerializer(serializers.ModelSerializer):
    class Meta:
        model = AgendaItem
        fields = ["order", "title", "minutes", "citizens_time"]


class MeetingSerializer(_Absolute, serializers.ModelSerializer):
    status_label = ChoiceLabel(source="status")
    dialogue = serializers.SerializerMethodField()
    body = BodyRefSerializer(allow_null=True)
    method = serializers.CharField(source="method.name", default=None, allow_null=True)
    area = AreaRefSerializer(allow_null=True)
    agenda = serializers.SerializerMethodField(
        help_text="Dagordningen, när den är publicerad; annars en tom lista."
    )

    class Meta:
        model = Meeting
        fields = [
            "id",
            "url",
            "title",
            "purpose",
            "status",
            "status_label",
            "starts_at",
            "ends_at",
            "place",
            "area",
            "link",
            "accessibility",
            "registration_required",
            "capacity",
            "cancellation_reason",
            "dialogue",
            "body",
            "method",
            "agenda",
            "updated_at",
        ]

    @extend_schema_field(
        {
            "type": "object",
            "nullable": True,
            "properties": {"id": {"type": "integer"}, "title": {"type": "string"}},
        }
    )
    def get_dialogue(self, obj: Meeting) -> dict[str, Any] | None:
        dialogue = obj.dialogue
        if dialogue is None:
            return None
        return {"id": dialogue.pk, "title": dialogue.title}

    @extend_schema_field(AgendaItemSerializer(many=True))
    def get_agenda(self, obj: Meeting) -> list[Any]:
        if obj.agenda_published_at is None:
            return []
        if not hasattr(self, "_agenda"):
            self._agenda = AgendaItemSerializer(many=True, context=self.context)
        return self._agenda.to_representation(obj.agenda.all())  # type: ignore[no-any-return]


# --- Resultat och återkoppling ---------------------------------------------------------------


class FeedbackPointSerializer(serializers.ModelSerializer):
    kind_label = ChoiceLabel(source="kind")
    dialogue = serializers.SerializerMethodField()
    deciding_body = BodyRefSerializer(allow_null=True)
    counts = serializers.DictField(child=serializers.IntegerField(), help_text="Antal per typ.")
    items = serializers.ListField(
        child=serializers.DictField(child=serializers.CharField()),
        help_text="Punkterna som publicerades: rubrik och typ.",
    )
    document_url = serializers.SerializerMethodField()

    class Meta:
        model = FeedbackPoint
        fields = [
            "id",
            "dialogue",
            "kind",
            "kind_label",
            "text",
            "counts",
            "items",
            "deciding_body",
            "expected_on",
            "published_at",
            "document_url",
        ]

    @extend_schema_field(
        {
            "type": "object",
            "properties": {
                "id": {"type": "integer"},
                "title": {"type": "string"},
                "url": {"type": "string"},
            },
        }
    )
    def get_dialogue(self, obj: FeedbackPoint) -> dict[str, Any]:
        return {
            "id": obj.dialogue_id,
            "title": obj.dialogue.title,
            "url": obj.dialogue.get_absolute_url(),
        }

    def get_document_url(self, obj: FeedbackPoint) -> str | None:
        if not obj.document:
            return None
        return reverse("results:point_document", args=[obj.pk])


# --- Medborgarförslag -------------------------------------------------------------------------


class ProposalEventSerializer(serializers.ModelSerializer):
    kind_label = ChoiceLabel(source="kind")
    body = BodyRefSerializer(allow_null=True)

    class Meta:
        model = ProposalEvent
        fields = ["occurred_on", "kind", "kind_label", "reference", "text", "body"]


class ProposalSerializer(_Absolute, serializers.ModelSerializer):
    status_label = ChoiceLabel(source="status")
    topic = TopicRefSerializer(allow_null=True)
    area = AreaRefSerializer(allow_null=True)
    preparing_body = BodyRefSerializer(allow_null=True)
    outcome_label = ChoiceLabel(source="outcome")
    decision_document_url = serializers.SerializerMethodField()
    timeline = ProposalEventSerializer(many=True, source="public_events")

    class Meta:
        model = Proposal
        fields = [
            "id",
            "url",
            "title",
            "body",
            "status",
            "status_label",
            "topic",
            "area",
            "origin",
            "organisation_name",
            "published_at",
            "signing_ends_on",
            "support_count",
            "threshold",
            "threshold_reached_at",
            "diary_number",
            "preparing_body",
            "preparation_due",
            "decided_on",
            "outcome",
            "outcome_label",
            "answer",
            "decision_document_url",
            "timeline",
        ]

    def get_decision_document_url(self, obj: Proposal) -> str | None:
        return obj.decision_document_url() or None


# --- Medborgarbudget ---------------------------------------------------------------------------


class BudgetRoundSerializer(_Absolute, serializers.ModelSerializer):
    phase_label = ChoiceLabel(source="phase")
    dialogue = serializers.SerializerMethodField()
    areas = AreaRefSerializer(many=True)
    responsible_administration = serializers.CharField(
        source="responsible_administration.name", default=None, allow_null=True
    )
    result = serializers.SerializerMethodField(
        help_text="Rösträkningens resultat, när det är publicerat; annars null."
    )
    decision_body = BodyRefSerializer(allow_null=True)

    class Meta:
        model = BudgetRound
        fields = [
            "id",
            "url",
            "title",
            "description",
            "amount",
            "phase",
            "phase_label",
            "dialogue",
            "areas",
            "criteria",
            "responsible_administration",
            "min_age",
            "residence",
            "voting_rule",
            "votes_per_ballot",
            "counting_method",
            "ideas_open_on",
            "ideas_close_on",
            "review_ends_on",
            "voting_opens_on",
            "voting_closes_on",
            "approved_on",
            "approval_reference",
            "result",
            "result_published_at",
            "decision_body",
            "decided_on",
            "decision_reference",
            "decision_text",
            "updated_at",
        ]

    @extend_schema_field(
        {
            "type": "object",
            "nullable": True,
            "properties": {"id": {"type": "integer"}, "title": {"type": "string"}},
        }
    )
    def get_dialogue(self, obj: BudgetRound) -> dict[str, Any] | None:
        if obj.dialogue_id is None:
            return None
        return {"id": obj.dialogue_id, "title": obj.dialogue.title}

    @extend_schema_field({"type": "object", "nullable": True, "additionalProperties": True})
    def get_result(self, obj: BudgetRound) -> Any:
        return obj.result if obj.result_published_at else None


class IdeaSerializer(serializers.ModelSerializer):
    status_label = ChoiceLabel(source="status")
    progress_label = ChoiceLabel(source="progress")
    url = serializers.SerializerMethodField()

    class Meta:
        model = Idea
        fields = [
            "id",
            "url",
            "round",
            "number",
            "title",
            "description",
            "place",
            "lat",
            "lon",
            "estimated_cost",
            "status",
            "status_label",
            "status_reason",
            "cost",
            "merged_into",
            "interest_count",
            "funded",
            "progress",
            "progress_label",
            "money_spent",
            "done_on",
            "created_at",
            "updated_at",
        ]

    def get_url(self, obj: Idea) -> str:
        return reverse("budget:idea", args=[obj.round_id, obj.number])


# --- Råd ------------------------------------------------------------------------------------------


class CouncilMemberSerializer(serializers.ModelSerializer):
    """A member by organisation and role only, as the public council page shows them."""

    represents_label = ChoiceLabel(source="represents")

    class Meta:
        model = CouncilMember
        fields = ["organisation", "role", "represents", "represents_label", "term_from", "term_to"]


class CouncilSerializer(_Absolute, serializers.ModelSerializer):
    kind_label = ChoiceLabel(source="kind")
    status_label = ChoiceLabel(source="status")
    area = AreaRefSerializer(allow_null=True)
    utskott = BodyRefSerializer(allow_null=True)
    members = CouncilMemberSerializer(many=True, source="current_members")

    class Meta:
        model = Council
        fields = [
            "id",
            "url",
            "slug",
            "name",
            "kind",
            "kind_label",
            "description",
            "area",
            "utskott",
            "focus_questions",
            "status",
            "status_label",
            "closed_on",
            "members",
            "updated_at",
        ]


# --- Trygghetsbesiktningar ---------------------------------------------------------------------


class InspectionGroupSerializer(serializers.ModelSerializer):
    group_label = ChoiceLabel(source="group")

    class Meta:
        model = InspectionGroup
        fields = ["group", "group_label", "attendees"]


class CauseSerializer(serializers.ModelSerializer):
    class Meta:
        model = Cause
        fields = ["id", "description", "influenced_by"]


class ActionSerializer(serializers.ModelSerializer):
    status_label = ChoiceLabel(source="status")

    class Meta:
        model = Action
        fields = [
            "id",
            "cause",
            "description",
            "responsible_kind",
            "due_on",
            "status",
            "status_label",
            "not_done_reason",
        ]


class FindingSerializer(serializers.ModelSerializer):
    category_label = ChoiceLabel(source="category")
    causes = CauseSerializer(many=True)
    actions = ActionSerializer(many=True)
    fault_report = serializers.SerializerMethodField(
        help_text="Felanmälans ärendenummer, om fyndet blev en publik felanmälan."
    )

    class Meta:
        model = Finding
        fields = [
            "id",
            "category",
            "category_label",
            "description",
            "address",
            "lat",
            "lon",
            "problem",
            "causes",
            "actions",
            "fault_report",
        ]

    def get_fault_report(self, obj: Finding) -> str | None:
        case = obj.case
        if case is None or not case.is_public or case.merged_into_id is not None:
            return None
        return str(case.number)


class InspectionSerializer(_Absolute, serializers.ModelSerializer):
    council = serializers.SerializerMethodField()
    area = AreaRefSerializer(source="council.area", allow_null=True)
    season_label = ChoiceLabel(source="season")
    status_label = ChoiceLabel(source="status")
    groups = InspectionGroupSerializer(many=True, source="attended_groups")
    findings = FindingSerializer(many=True)

    class Meta:
        model = Inspection
        fields = [
            "id",
            "url",
            "council",
            "area",
            "date",
            "year",
            "season",
            "season_label",
            "meeting_point",
            "description",
            "status",
            "status_label",
            "published_at",
            "groups",
            "findings",
            "updated_at",
        ]

    @extend_schema_field(
        {
            "type": "object",
            "properties": {
                "id": {"type": "integer"},
                "slug": {"type": "string"},
                "name": {"type": "string"},
            },
        }
    )
    def get_council(self, obj: Inspection) -> dict[str, Any]:
        return {"id": obj.council_id, "slug": obj.council.slug, "name": obj.council.name}

    def get_url(self, obj: Inspection) -> str:
        return reverse("inspections:public_protocol", args=[obj.pk])


# --- Felanmälningar ---------------------------------------------------------------------------


class FaultReportSerializer(serializers.ModelSerializer):
    """A public fault report: what the public map shows, never who reported it."""

    id = serializers.CharField(source="number", help_text="Ärendenumret (stabilt).")
    url = serializers.SerializerMethodField()
    category = serializers.SerializerMethodField()
    area = AreaRefSerializer(allow_null=True)
    status = serializers.CharField(source="status.name")
    status_group = serializers.CharField(source="status.group")
    administration = serializers.CharField(
        source="administration.name", default=None, allow_null=True
    )
    description = serializers.CharField(source="public_description")

    class Meta:
        model = Case
        fields = [
            "id",
            "url",
            "category",
            "description",
            "lat",
            "lon",
            "address",
            "area",
            "status",
            "status_group",
            "is_open",
            "administration",
            "created_at",
            "updated_at",
            "closed_at",
        ]

    @extend_schema_field(
        {"type": "object", "properties": {"code": {"type": "string"}, "name": {"type": "string"}}}
    )
    def get_category(self, obj: Case) -> dict[str, str]:
        return {"code": obj.category.code, "name": obj.category.name}

    def get_url(self, obj: Case) -> str:
        return reverse("feedback:public_detail", args=[obj.number])


# --- Områden ------------------------------------------------------------------------------------


class AreaSerializer(serializers.ModelSerializer):
    kind_label = ChoiceLabel(source="kind")
    parent = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True)
    bbox = serializers.SerializerMethodField(
        help_text="Områdets gränser: [min_lon, min_lat, max_lon, max_lat] (WGS 84)."
    )

    class Meta:
        model = Area
        fields = ["id", "slug", "name", "kind", "kind_label", "parent", "description", "bbox"]

    @extend_schema_field({"type": "array", "items": {"type": "number"}, "minItems": 4})
    def get_bbox(self, obj: Area) -> list[float]:
        return [obj.min_lon, obj.min_lat, obj.max_lon, obj.max_lat]


def area_feature(area: Area) -> dict[str, Any]:
    """One area as a GeoJSON Feature (RFC 7946)."""
    return {
        "type": "Feature",
        "id": area.slug,
        "geometry": area.geometry,
        "properties": {
            "id": area.pk,
            "slug": area.slug,
            "name": area.name,
            "kind": area.kind,
            "parent": area.parent.slug if area.parent_id else None,  # type: ignore[union-attr]
        },
    }
