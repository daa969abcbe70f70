"""The public datasets, registered once at start-up (ApiConfig.ready()): for the API, the bulk
exports and the open-data catalogue alike (torget.api.datasets).

Each dataset's rows come from its app's public selector (what the public pages show, nothing
more), with what its serializer reads fetched up front, so a page costs a fixed number of
queries. The API's own options for each (filters, orderings, paging) are kept beside it in
`ENDPOINTS`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from torget.api import datasets, filters, serializers
from torget.api.datasets import Dataset


@dataclass(frozen=True)
class Endpoint:
    """How /api/v1/<slug>/ serves a dataset."""

    dataset: Dataset
    filterset: type
    # Fields that `?ordering=` accepts (each also with "-"), and the default.
    orderings: tuple[str, ...]
    default_ordering: str
    # Keyset paging for the big lists; page numbers for the small ones.
    keyset: bool
    # The field the detail address takes (/api/v1/<slug>/<value>/).
    lookup_field: str = "pk"
    lookup_regex: str = "[0-9]{1,18}"
    # An example query for the documentation page.
    example: str = ""
    # Rows per page by default where a row is large, if less than API_PAGE_SIZE.
    page_size: int | None = None


ENDPOINTS: dict[str, Endpoint] = {}


def _endpoint(endpoint: Endpoint) -> None:
    datasets.register(endpoint.dataset)
    ENDPOINTS[endpoint.dataset.slug] = endpoint


# --- The rows -------------------------------------------------------------------------------------
# Imports inside the functions: the registry is read at start-up, the models after it.


def dialogue_rows() -> QuerySet[Any]:
    from torget.dialogues.models import Event, PlannedMethod, PlannedTargetGroup
    from torget.dialogues.selectors import dialogues_public

    # Every related list into an attribute of its own (to_attr): a prefetch into the related
    # manager makes a queryset for each row, which costs more than the page's SQL.
    return (
        dialogues_public()
        .prefetch_related(None)
        .prefetch_related(
            Prefetch("areas", to_attr="api_areas"),
            Prefetch("topics", to_attr="api_topics"),
            Prefetch(
                "methods",
                queryset=PlannedMethod.objects.select_related("method").order_by("order", "pk"),
                to_attr="api_methods",
            ),
            Prefetch(
                "target_groups",
                queryset=PlannedTargetGroup.objects.select_related("group"),
                to_attr="api_target_groups",
            ),
            Prefetch(
                "events",
                queryset=Event.objects.filter(is_public=True).order_by("happened_on", "pk"),
                to_attr="public_events",
            ),
        )
    )


def meeting_rows() -> QuerySet[Any]:
    from torget.meetings.models import AgendaItem
    from torget.meetings.selectors import meetings_public

    return meetings_public().prefetch_related(
        Prefetch("agenda", queryset=AgendaItem.objects.order_by("order", "pk"))
    )


def result_rows() -> QuerySet[Any]:
    from torget.dialogues.selectors import dialogues_public
    from torget.results.models import FeedbackPoint

    # Published feedback points (återkoppling) of public dialogues: the results as published.
    return FeedbackPoint.objects.filter(
        dialogue__in=dialogues_public().values("pk")
    ).select_related("dialogue", "deciding_body")


def proposal_rows() -> QuerySet[Any]:
    from torget.proposals.models import Event
    from torget.proposals.selectors import proposals_public

    # The public list's selector reads only a card's fields; the API publishes them all.
    return (
        proposals_public()
        .defer(None)
        .select_related("topic", "area", "preparing_body")
        .prefetch_related(
            Prefetch(
                "events",
                queryset=Event.objects.filter(is_public=True)
                .select_related("body")
                .order_by("occurred_on", "pk"),
                to_attr="public_events",
            )
        )
    )


def budget_round_rows() -> QuerySet[Any]:
    from torget.budget.selectors import public_rounds

    return public_rounds().prefetch_related("areas")


def budget_idea_rows() -> QuerySet[Any]:
    from torget.budget.models import PUBLIC_PHASES, Idea

    # Every idea of a round the presidium approved, as the round's public idea list shows them.
    return Idea.objects.filter(round__phase__in=PUBLIC_PHASES)


def council_rows() -> QuerySet[Any]:
    from torget.councils.models import CouncilMember
    from torget.councils.selectors import councils_public

    today = timezone.localdate()
    current = CouncilMember.objects.filter(term_from__lte=today).filter(
        Q(term_to__isnull=True) | Q(term_to__gte=today)
    )
    return councils_public().prefetch_related(
        Prefetch(
            "members",
            queryset=current.order_by("represents", "organisation", "role", "pk"),
            to_attr="current_members",
        )
    )


def inspection_rows() -> QuerySet[Any]:
    from torget.inspections.models import Action, Finding, InspectionGroup
    from torget.inspections.selectors import published_protocols

    return published_protocols().prefetch_related(
        Prefetch(
            "groups",
            queryset=InspectionGroup.objects.filter(attended=True).order_by("pk"),
            to_attr="attended_groups",
        ),
        Prefetch(
            "findings",
            queryset=Finding.objects.select_related("case").order_by("pk"),
        ),
        "findings__causes",
        Prefetch("findings__actions", queryset=Action.objects.order_by("due_on", "pk")),
    )


def fault_report_rows() -> QuerySet[Any]:
    from torget.feedback.selectors import cases_public

    return cases_public()


def area_rows() -> QuerySet[Any]:
    from torget.geo.selectors import areas_public

    return areas_public()


def register_all() -> None:
    _endpoint(
        Endpoint(
            Dataset(
                slug="dialoger",
                title=_("Medborgardialoger"),
                description=_(
                    "Kommunens medborgardialoger: fråga, steg på delaktighetstrappan, plan "
                    "(metoder och målgrupper), datum, beslut och historik."
                ),
                rows=dialogue_rows,
                serializer=serializers.DialogueSerializer,
                modified_field="updated_at",
                themes=("GOVE", "SOCI"),
                keywords=("medborgardialog", "delaktighet"),
            ),
            filters.DialogueFilter,
            orderings=("id", "starts_on", "ends_on", "updated_at", "created_at"),
            default_ordering="-id",
            keyset=True,
            example="?status=pagar&ordering=-starts_on",
            # A dialogue row carries its plan, methods, target groups and history.
            page_size=20,
        )
    )
    _endpoint(
        Endpoint(
            Dataset(
                slug="moten",
                title=_("Dialogmöten"),
                description=_("Möten i medborgardialoger och utskott: tid, plats, dagordning."),
                rows=meeting_rows,
                serializer=serializers.MeetingSerializer,
                modified_field="updated_at",
                keywords=("dialogmöte", "möte"),
            ),
            filters.MeetingFilter,
            orderings=("id", "starts_at", "updated_at"),
            default_ordering="-starts_at",
            keyset=False,
            example="?starts_after=2026-01-01&ordering=starts_at",
        )
    )
    _endpoint(
        Endpoint(
            Dataset(
                slug="resultat",
                title=_("Resultat och återkoppling"),
                description=_(
                    "Publicerade sammanställningar av dialogernas resultat och beslutsförslag, "
                    "som de skickades till deltagarna."
                ),
                rows=result_rows,
                serializer=serializers.FeedbackPointSerializer,
                modified_field="published_at",
                keywords=("återkoppling", "resultat"),
            ),
            filters.FeedbackPointFilter,
            orderings=("id", "published_at"),
            default_ordering="-published_at",
            keyset=False,
            example="?kind=sammanstallning",
        )
    )
    _endpoint(
        Endpoint(
            Dataset(
                slug="forslag",
                title=_("Medborgarförslag"),
                description=_(
                    "Publicerade medborgarförslag: antal stöd, tidslinje, beredning och beslut. "
                    "Förslagsställarens namn ingår inte."
                ),
                rows=proposal_rows,
                serializer=serializers.ProposalSerializer,
                keywords=("medborgarförslag", "e-förslag"),
            ),
            filters.ProposalFilter,
            orderings=("id", "published_at", "support_count", "signing_ends_on", "decided_on"),
            default_ordering="-published_at",
            keyset=True,
            example="?status=beslutat&ordering=-support_count",
        )
    )
    _endpoint(
        Endpoint(
            Dataset(
                slug="medborgarbudget",
                title=_("Medborgarbudget: omgångar"),
                description=_(
                    "Medborgarbudgetens omgångar: belopp, områden, datum, regler, resultat och "
                    "beslut."
                ),
                rows=budget_round_rows,
                serializer=serializers.BudgetRoundSerializer,
                modified_field="updated_at",
                themes=("GOVE", "ECON"),
                keywords=("medborgarbudget",),
            ),
            filters.BudgetRoundFilter,
            orderings=("id", "ideas_open_on", "voting_closes_on", "updated_at"),
            default_ordering="-ideas_open_on",
            keyset=False,
            example="?phase=resultat",
        )
    )
    _endpoint(
        Endpoint(
            Dataset(
                slug="medborgarbudget-projekt",
                title=_("Medborgarbudget: idéer och projekt"),
                description=_(
                    "Idéerna i medborgarbudgetens omgångar, med granskning, kostnad, om de får "
                    "pengar och hur genomförandet går. Idégivarens namn ingår inte."
                ),
                rows=budget_idea_rows,
                serializer=serializers.IdeaSerializer,
                modified_field="updated_at",
                themes=("GOVE", "ECON"),
                keywords=("medborgarbudget", "idé", "projekt"),
            ),
            filters.IdeaFilter,
            orderings=("id", "created_at", "updated_at", "interest_count", "cost"),
            default_ordering="-id",
            keyset=True,
            example="?funded=true&ordering=-interest_count",
        )
    )
    _endpoint(
        Endpoint(
            Dataset(
                slug="rad",
                title=_("Råd"),
                description=_(
                    "Trygghetsråd och andra råd: område, utskott, fokusfrågor och vilka "
                    "organisationer som är med (inte personernas namn)."
                ),
                rows=council_rows,
                serializer=serializers.CouncilSerializer,
                modified_field="updated_at",
                keywords=("trygghetsråd", "råd"),
            ),
            filters.CouncilFilter,
            orderings=("id", "name", "updated_at"),
            default_ordering="name",
            keyset=False,
            example="?status=aktivt",
        )
    )
    _endpoint(
        Endpoint(
            Dataset(
                slug="besiktningar",
                title=_("Trygghetsbesiktningar"),
                description=_(
                    "Publicerade protokoll från trygghetsbesiktningar: fynd, orsaker och åtgärder."
                ),
                rows=inspection_rows,
                serializer=serializers.InspectionSerializer,
                modified_field="updated_at",
                themes=("GOVE", "JUST"),
                keywords=("trygghetsbesiktning", "trygghet"),
            ),
            filters.InspectionFilter,
            orderings=("id", "date", "published_at"),
            default_ordering="-date",
            keyset=False,
            example="?year=2026",
        )
    )
    _endpoint(
        Endpoint(
            Dataset(
                slug="felanmalningar",
                title=_("Felanmälningar"),
                description=_(
                    "Publika felanmälningar: kategori, plats, status och datum. Vem som "
                    "anmälde ingår aldrig."
                ),
                rows=fault_report_rows,
                serializer=serializers.FaultReportSerializer,
                modified_field="updated_at",
                themes=("GOVE", "TRAN"),
                keywords=("felanmälan", "synpunkter"),
            ),
            filters.FaultReportFilter,
            orderings=("created_at", "updated_at"),
            default_ordering="-created_at",
            keyset=True,
            lookup_field="number",
            lookup_regex="[^/]{1,20}",
            example="?status=open&ordering=-created_at",
        )
    )
    _endpoint(
        Endpoint(
            Dataset(
                slug="omraden",
                title=_("Områden"),
                description=_(
                    "Kommunens områden (kommundelar, stadsdelar …) med gränser; som GeoJSON "
                    "under /api/v1/omraden/geojson/."
                ),
                rows=area_rows,
                serializer=serializers.AreaSerializer,
                themes=("REGI",),
                keywords=("område", "geodata"),
            ),
            filters.AreaFilter,
            orderings=("id", "name"),
            default_ordering="name",
            keyset=False,
            example="?kind=stadsdel",
        )
    )
