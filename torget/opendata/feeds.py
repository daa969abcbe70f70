"""RSS 2.0 and Atom feeds (Django's syndication framework) of what is new and public: dialogues,
citizen proposals, decisions (on proposals, and in the matter of a dialogue) and the published
summaries of dialogues' results. Each takes `?omrade=<area>` and `?amne=<topic>`; an unknown
one answers 404. Nothing goes in a feed that its public page does not show, and no private
person's name (not even a proposal's shown name).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from torget.dialogues import selectors as dialogue_selectors
from torget.dialogues.models import Dialogue, Status
from torget.geo.models import Area
from torget.geo.selectors import areas_within
from torget.organisation.models import Topic
from torget.proposals import selectors as proposal_selectors
from torget.proposals.models import Proposal
from torget.proposals.models import Status as ProposalStatus
from torget.results.models import FeedbackPoint, PointKind

# A dialogue's decision in the matter is public from these steps on (as on its page).
DECISION_PUBLIC = frozenset(
    {Status.DECISION_MADE, Status.FEEDBACK_GIVEN, Status.EVALUATED, Status.CLOSED}
)
# Words of a text shown in an item's summary.
SUMMARY_WORDS = 80


@dataclass(frozen=True)
class Filters:
    area: Area | None = None
    topic: Topic | None = None
    # The area and every area inside it: what happens in Berga happens in Söder too.
    area_ids: tuple[int, ...] = ()

    def query(self) -> str:
        parts = []
        if self.area is not None:
            parts.append(f"omrade={self.area.slug}")
        if self.topic is not None:
            parts.append(f"amne={self.topic.slug}")
        return "?" + "&".join(parts) if parts else ""

    def suffix(self) -> str:
        names = [obj.name for obj in (self.area, self.topic) if obj is not None]
        return f" ({', '.join(names)})" if names else ""


def filters_from(request: HttpRequest) -> Filters:
    """?omrade= and ?amne= by slug; a value that names nothing (or is given twice) is a 404."""
    found: dict[str, Any] = {}
    for param, model, key in (("omrade", Area, "area"), ("amne", Topic, "topic")):
        values = request.GET.getlist(param)
        if not values:
            continue
        if len(values) > 1 or not values[0] or len(values[0]) > 150:
            raise Http404
        obj = model.objects.filter(slug=values[0]).first()
        if obj is None:
            raise Http404
        found[key] = obj
    if "area" in found:
        found["area_ids"] = tuple(areas_within([found["area"].pk]))
    return Filters(**found)


def _aware(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))


def _summary(text: str) -> str:
    return Truncator(text).words(SUMMARY_WORDS)


class _Feed(Feed):  # type: ignore[type-arg]
    """One kind's feed; the subclasses below say what, and `_flavours` makes an RSS 2.0 and an
    Atom view of each."""

    kind = ""  # the URL name's stem: "dialogues", "proposals", …
    heading = ""
    about = ""
    list_url = "opendata:index"

    def __call__(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        # One shared document for every reader and cache: in the site's own language.
        with translation.override(settings.LANGUAGE_CODE):
            response = super().__call__(request, *args, **kwargs)
        # The same answer for everyone; a reader polling often gets it from a cache.
        response["Cache-Control"] = "public, max-age=300"
        return response

    def get_object(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Filters:
        return filters_from(request)

    def title(self, obj: Filters) -> str:
        return f"{self.heading}{obj.suffix()}"

    def description(self, obj: Filters) -> str:
        return self.about

    subtitle = description

    def link(self, obj: Filters) -> str:
        return reverse(self.list_url)

    def feed_url(self, obj: Filters) -> str:
        return reverse(f"opendata:{self.kind}_{self.flavour}") + obj.query()

    flavour = "rss"

    def limit(self) -> int:
        return max(1, settings.OPEN_DATA_FEED_ITEMS)


# --- Dialogues ----------------------------------------------------------------------------------


class DialogueFeed(_Feed):
    kind = "dialogues"
    list_url = "dialogues:list"

    @property
    def heading(self) -> str:  # type: ignore[override]
        return _("Nya medborgardialoger")

    @property
    def about(self) -> str:  # type: ignore[override]
        return _("Medborgardialoger som kommunen har beslutat om, de senaste först.")

    def items(self, obj: Filters) -> list[Dialogue]:
        dialogues = dialogue_selectors.dialogues_public()
        if obj.area is not None:
            dialogues = dialogues.filter(areas__in=obj.area_ids).distinct()
        if obj.topic is not None:
            dialogues = dialogues.filter(topics=obj.topic)
        return list(dialogues.order_by("-created_at", "-pk")[: self.limit()])

    def item_title(self, item: Dialogue) -> str:
        return item.title

    def item_description(self, item: Dialogue) -> str:
        return _summary(item.summary)

    def item_link(self, item: Dialogue) -> str:
        return item.get_absolute_url()

    def item_pubdate(self, item: Dialogue) -> datetime.datetime:
        return item.created_at

    def item_updateddate(self, item: Dialogue) -> datetime.datetime:
        return item.updated_at

    def item_categories(self, item: Dialogue) -> list[str]:
        return [area.name for area in item.areas.all()] + [
            topic.name for topic in item.topics.all()
        ]


# --- Proposals ----------------------------------------------------------------------------------


class ProposalFeed(_Feed):
    kind = "proposals"
    list_url = "proposals:list"

    @property
    def heading(self) -> str:  # type: ignore[override]
        return _("Nya medborgarförslag")

    @property
    def about(self) -> str:  # type: ignore[override]
        return _("Medborgarförslag som har publicerats, de senaste först.")

    def items(self, obj: Filters) -> list[Proposal]:
        proposals = proposal_selectors.proposals_public(area=obj.area, topic=obj.topic)
        return list(proposals.order_by("-published_at", "-pk")[: self.limit()])

    def item_title(self, item: Proposal) -> str:
        return item.title

    def item_description(self, item: Proposal) -> str:
        return _summary(item.body)

    def item_link(self, item: Proposal) -> str:
        return item.get_absolute_url()

    def item_pubdate(self, item: Proposal) -> datetime.datetime | None:
        return item.published_at

    def item_categories(self, item: Proposal) -> list[str]:
        return [
            str(name)
            for name in (item.area and item.area.name, item.topic and item.topic.name)
            if name
        ]


# --- Decisions ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Decision:
    """A decision shown on a public page: a proposal's, or a dialogue's in the matter."""

    key: str  # for the guid: "forslag-12", "dialog-3"
    title: str
    text: str
    link: str
    decided_on: datetime.date


class DecisionFeed(_Feed):
    kind = "decisions"
    list_url = "opendata:index"

    @property
    def heading(self) -> str:  # type: ignore[override]
        return _("Nya beslut")

    @property
    def about(self) -> str:  # type: ignore[override]
        return _(
            "Beslut om medborgarförslag och beslut i frågan efter medborgardialoger, de senaste först."
        )

    def _proposals(self, obj: Filters) -> QuerySet[Proposal]:
        return (
            proposal_selectors.proposals_public(
                status=ProposalStatus.DECIDED, area=obj.area, topic=obj.topic
            )
            .filter(decided_on__isnull=False)
            .select_related(None)
            .only("pk", "title", "decided_on", "outcome", "answer")
            .order_by("-decided_on", "-pk")
        )

    def _dialogues(self, obj: Filters) -> QuerySet[Dialogue]:
        dialogues = (
            Dialogue.objects.filter(status__in=DECISION_PUBLIC, outcome_decided_on__isnull=False)
            .exclude(outcome_decision="")
            .only("pk", "title", "outcome_decision", "outcome_decided_on")
        )
        if obj.area is not None:
            dialogues = dialogues.filter(areas__in=obj.area_ids).distinct()
        if obj.topic is not None:
            dialogues = dialogues.filter(topics=obj.topic)
        return dialogues.order_by("-outcome_decided_on", "-pk")

    def items(self, obj: Filters) -> list[Decision]:
        limit = self.limit()
        found = (
            [
                Decision(
                    key=f"forslag-{proposal.pk}",
                    title=_("Beslut om förslaget: %(title)s") % {"title": proposal.title},
                    text=" ".join(
                        part
                        for part in (proposal.get_outcome_display(), proposal.answer)
                        if part  # type: ignore[attr-defined]
                    ),
                    link=proposal.get_absolute_url() + "#decision-heading",
                    decided_on=proposal.decided_on,
                )
                for proposal in self._proposals(obj)[:limit]
                if proposal.decided_on is not None
            ]
            + [
                Decision(
                    key=f"dialog-{dialogue.pk}",
                    title=_("Beslut efter dialogen: %(title)s") % {"title": dialogue.title},
                    text=dialogue.outcome_decision,
                    link=dialogue.get_absolute_url() + "#results-heading",
                    decided_on=dialogue.outcome_decided_on,
                )
                for dialogue in self._dialogues(obj)[:limit]
                if dialogue.outcome_decided_on is not None
            ]
        )
        found.sort(key=lambda decision: (decision.decided_on, decision.key), reverse=True)
        return found[:limit]

    def item_title(self, item: Decision) -> str:
        return item.title

    def item_description(self, item: Decision) -> str:
        return _summary(item.text)

    def item_link(self, item: Decision) -> str:
        return item.link

    def item_guid(self, item: Decision) -> str:
        return f"{settings.SITE_URL}{item.link.split('#')[0]}#beslut-{item.key}"

    item_guid_is_permalink = False

    def item_pubdate(self, item: Decision) -> datetime.datetime:
        return _aware(item.decided_on)


# --- Published results --------------------------------------------------------------------------


class ResultFeed(_Feed):
    kind = "results"
    list_url = "dialogues:list"

    @property
    def heading(self) -> str:  # type: ignore[override]
        return _("Publicerade resultat")

    @property
    def about(self) -> str:  # type: ignore[override]
        return _("Sammanställningar av resultaten från medborgardialoger, de senaste först.")

    def items(self, obj: Filters) -> list[FeedbackPoint]:
        points = (
            FeedbackPoint.objects.filter(
                kind=PointKind.SUMMARY,
                dialogue__in=dialogue_selectors.dialogues_public().values("pk"),
            )
            .select_related("dialogue")
            .only("pk", "text", "published_at", "dialogue__id", "dialogue__title")
        )
        if obj.area is not None:
            points = points.filter(dialogue__areas__in=obj.area_ids).distinct()
        if obj.topic is not None:
            points = points.filter(dialogue__topics=obj.topic)
        return list(points.order_by("-published_at", "-pk")[: self.limit()])

    def item_title(self, item: FeedbackPoint) -> str:
        return _("Resultat från dialogen: %(title)s") % {"title": item.dialogue.title}

    def item_description(self, item: FeedbackPoint) -> str:
        return _summary(item.text)

    def item_link(self, item: FeedbackPoint) -> str:
        return item.dialogue.get_absolute_url() + "#summary-heading"

    def item_guid(self, item: FeedbackPoint) -> str:
        return f"{settings.SITE_URL}{item.dialogue.get_absolute_url()}#resultat-{item.pk}"

    item_guid_is_permalink = False

    def item_pubdate(self, item: FeedbackPoint) -> datetime.datetime:
        return item.published_at


# --- The two flavours of each -------------------------------------------------------------------


def _flavours(base: type[_Feed]) -> tuple[_Feed, _Feed]:
    rss = type(f"{base.__name__}Rss", (base,), {"feed_type": Rss201rev2Feed, "flavour": "rss"})
    atom = type(f"{base.__name__}Atom", (base,), {"feed_type": Atom1Feed, "flavour": "atom"})
    return rss(), atom()


dialogues_rss, dialogues_atom = _flavours(DialogueFeed)
proposals_rss, proposals_atom = _flavours(ProposalFeed)
decisions_rss, decisions_atom = _flavours(DecisionFeed)
results_rss, results_atom = _flavours(ResultFeed)

# (URL name stem, Swedish path word, heading) of each feed, for the pages that link to them.
FEEDS = (
    ("dialogues", "dialoger", DialogueFeed),
    ("proposals", "forslag", ProposalFeed),
    ("decisions", "beslut", DecisionFeed),
    ("results", "resultat", ResultFeed),
)
