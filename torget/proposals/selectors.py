"""Reads for medborgarförslag: the public list and search, one proposal with its access check,
the live support count and supports per day for the chart."""

import datetime
import hashlib
import json
import re
import time
from typing import Any

from django.conf import settings
from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import (
    Case,
    Count,
    DateTimeField,
    ExpressionWrapper,
    F,
    IntegerField,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.expressions import CombinedExpression
from django.db.models.functions import TruncDate
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from torget.accounts.models import User
from torget.accounts.permissions import has_perm
from torget.accounts.types import Actor
from torget.geo.models import Area
from torget.organisation.models import Topic
from torget.proposals.models import (
    ACTIVE_SUPPORT,
    PUBLIC_STATUSES,
    VISIBLE_CONDITION,
    Event,
    Origin,
    Proposal,
    Status,
    Support,
)
from torget.proposals.permissions import can_use_staff_pages

# Sort keys as they appear in the address (?sortera=…).
SORT_NEWEST = "nyast"
SORT_SUPPORTS = "mest-stod"
SORT_ENDING = "slutar-snart"
SORT_RELEVANCE = "relevans"
SORTS = (SORT_NEWEST, SORT_SUPPORTS, SORT_ENDING, SORT_RELEVANCE)

# Full-text search on PostgreSQL. The expression must stay exactly the one the GIN index in
# migration 0002 was built on (proposal_search_swedish), or PostgreSQL cannot use the index.
SEARCH_CONFIG = "swedish"

# What list pages read of a proposal: enough for a card, never the author's account.
LIST_FIELDS = (
    "pk",
    "title",
    "body",
    "status",
    "origin",
    "published_at",
    "signing_ends_on",
    "support_count",
    "threshold",
    "author_name",
    "organisation_name",
    "hidden_at",
    "topic__name",
    "topic__slug",
    "area__name",
    "area__slug",
)

SUPPORT_COUNT_SECONDS = 5
SUPPORTS_PER_DAY_SECONDS = 60
# The public list goes this deep (50 pages of 20) in any one order; beyond, the page asks to
# search or filter. Deep OFFSET pages cost a walk over every row before them, and nobody reads
# page 2000: they search. A search ranks (at most) this many newest matches.
LIST_MAX_ROWS = 1000
PAGE_SIZE = 20
LIST_VERSION_KEY = "proposals:list-version"


def search_vector() -> CombinedExpression:
    return SearchVector("title", weight="A", config=SEARCH_CONFIG) + SearchVector(
        "body", weight="B", config=SEARCH_CONFIG
    )


# The partial indexes' condition: PostgreSQL uses them only for a query that implies it.
VISIBLE = VISIBLE_CONDITION


def _visible() -> QuerySet[Proposal]:
    return Proposal.objects.filter(VISIBLE)


def _area_and_below(area: Area) -> list[int]:
    """The area and every area inside it: a proposal in Berga is also one in Söder."""
    ids = [area.pk]
    level = [area.pk]
    # Area trees are shallow (kommun › kommundel › stadsdel); the bound guards against cycles.
    for _depth in range(10):
        level = list(Area.objects.filter(parent_id__in=level).values_list("pk", flat=True))
        level = [pk for pk in level if pk not in ids]
        if not level:
            break
        ids.extend(level)
    return ids


def _search_terms(q: str) -> tuple[list[str], list[str]]:
    """Words to include and exclude, read the way websearch_to_tsquery reads them."""
    include: list[str] = []
    exclude: list[str] = []
    for token in re.findall(r'-?"[^"]*"|\S+', q):
        negated = token.startswith("-")
        word = token.lstrip("-").strip('"').strip()
        if not word or word.lower() == "or":
            continue
        (exclude if negated else include).append(word)
    return include, exclude


def _search(proposals: QuerySet[Proposal], q: str) -> QuerySet[Proposal]:
    if connection.vendor == "postgresql":
        query = SearchQuery(q, config=SEARCH_CONFIG, search_type="websearch")
        # alias, not annotate: the vector is for the WHERE (and its GIN index) only; selected,
        # it would be rebuilt from the text for every row shown.
        return proposals.alias(search=search_vector()).filter(search=query)
    # SQLite and others: every word must be in the title or the text.
    include, exclude = _search_terms(q)
    for word in include:
        proposals = proposals.filter(Q(title__icontains=word) | Q(body__icontains=word))
    for word in exclude:
        proposals = proposals.exclude(Q(title__icontains=word) | Q(body__icontains=word))
    return proposals


def _matching(
    *,
    q: str = "",
    status: str = "",
    topic: Topic | None = None,
    area: Area | None = None,
    sort: str = "",
) -> QuerySet[Proposal]:
    """The public proposals a list holds, in no order (what its count counts)."""
    proposals = _visible()
    if status:
        if status not in PUBLIC_STATUSES:
            return proposals.none()
        proposals = proposals.filter(status=status)
    if topic is not None:
        proposals = proposals.filter(topic=topic)
    if area is not None:
        proposals = proposals.filter(area__in=_area_and_below(area))
    if q:
        proposals = _search(proposals, q)
    if sort == SORT_ENDING:
        proposals = proposals.filter(status=Status.SIGNING)
    return proposals


def proposals_public(
    *,
    q: str = "",
    status: str = "",
    topic: Topic | None = None,
    area: Area | None = None,
    sort: str = "",
) -> QuerySet[Proposal]:
    """Published, not hidden proposals, filtered and sorted for the public list.

    Each sort walks one of the model's indexes (the partial ones on the public proposals for
    the whole list, one category or one area; the (status, …) ones for one status). With a
    search the default order is relevance (title words weigh more than words in the text).
    """
    q = q.strip()
    proposals = (
        _matching(q=q, status=status, topic=topic, area=area, sort=sort)
        .select_related("topic", "area")
        .only(*LIST_FIELDS)
    )
    if not sort:
        sort = SORT_RELEVANCE if q else SORT_NEWEST
    # With a search, the matches come from the GIN index and are sorted afterwards. Sorted on
    # the bare columns, PostgreSQL may instead walk a btree index in list order and rebuild
    # each row's text vector to test it (about a second for a common word at 100,000
    # proposals); the same values as expressions (+ 0) keep it on the GIN index.
    published: Any = F("published_at")
    supports: Any = F("support_count")
    ends: Any = F("signing_ends_on")
    if q and connection.vendor == "postgresql":
        published = ExpressionWrapper(
            F("published_at") + datetime.timedelta(0), output_field=DateTimeField()
        )
        supports = ExpressionWrapper(F("support_count") + 0, output_field=IntegerField())
        ends = ExpressionWrapper(
            F("signing_ends_on") + datetime.timedelta(0), output_field=DateTimeField()
        )
    newest = (published.desc(), F("pk").desc())
    if sort == SORT_SUPPORTS:
        return proposals.order_by(supports.desc(), *newest)
    if sort == SORT_ENDING:
        return proposals.order_by(ends.asc(), F("pk").desc())
    if sort == SORT_RELEVANCE and q:
        if connection.vendor == "postgresql":
            # Ranked on the title (weight A); newest first among equals. Ranking on the whole
            # vector would rebuild every hit's text vector (the index stores none): about a
            # second for a common word at 100,000 proposals, against some 50 ms for titles.
            # Only the newest LIST_MAX_ROWS matches are ranked (the list goes no deeper), so a
            # common word costs the same as a rare one.
            query = SearchQuery(q, config=SEARCH_CONFIG, search_type="websearch")
            title = SearchVector("title", weight="A", config=SEARCH_CONFIG)
            # Read first (one short query on the GIN index): as a subquery, the planner
            # tends to scan the whole table to join it.
            candidates = list(
                proposals.order_by(*newest).values_list("pk", flat=True)[:LIST_MAX_ROWS]
            )
            return (
                _visible()
                .select_related("topic", "area")
                .only(*LIST_FIELDS)
                .filter(pk__in=candidates)
                .annotate(rank=SearchRank(title, query))
                .order_by("-rank", "-published_at", "-pk")
            )
        # Without ranking, a word in the title first.
        include, _exclude = _search_terms(q)
        if include:
            in_title = Q(*(Q(title__icontains=word) for word in include))
            return proposals.alias(
                title_match=Case(When(in_title, then=Value(1)), default=Value(0))
            ).order_by("-title_match", *newest)
    return proposals.order_by(*newest)


def list_version() -> str:
    """The public list's version: part of every cached count and page of the list, and
    changed whenever a proposal changes (`list_forget`)."""
    version = cache.get(LIST_VERSION_KEY)
    if version is None:
        cache.add(LIST_VERSION_KEY, str(time.time_ns()), None)
        version = cache.get(LIST_VERSION_KEY)
    return str(version)


def list_forget() -> None:
    """A proposal changed (new, published, hidden, decided, counted): every cached count and
    page of the public list is out of date."""
    cache.set(LIST_VERSION_KEY, str(time.time_ns()), None)


def list_cache_key(kind: str, *parts: Any) -> str:
    """A cache key for the public list under its current version."""
    digest = hashlib.sha256(repr(parts).encode()).hexdigest()[:32]
    return f"proposals:list:{kind}:{list_version()}:{digest}"


def _rounded(n: int) -> int:
    """An estimate to two significant figures (90 123 → 90 000)."""
    digits = len(str(n))
    return int(round(n, -(digits - 2))) if digits > 2 else n


def _estimate(proposals: QuerySet[Proposal]) -> int:
    """How many rows the database expects the query to give, from its statistics (the
    planner's estimate, as reltuples for the whole table): no rows are read."""
    if connection.vendor != "postgresql":
        return proposals.count()
    sql, params = proposals.order_by().values("pk").query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (FORMAT JSON) " + sql, params)
        plan = cursor.fetchone()[0]
    if isinstance(plan, str):
        plan = json.loads(plan)
    return int(plan[0]["Plan"]["Plan Rows"])


class PublicProposalPaginator(Paginator[Proposal]):
    """Pages of the public list, at most LIST_MAX_ROWS deep (`count` is what the pages hold).

    The number of proposals behind the list is counted only up to LIST_MAX_ROWS + 1 (a few
    rows of an index); beyond that it is the database's estimate (`estimated`), shown as
    "cirka". Both are cached until a proposal changes (`list_forget`).
    """

    def __init__(
        self,
        proposals: QuerySet[Proposal],
        per_page: int,
        *,
        matching: QuerySet[Proposal],
        filters: dict[str, Any],
    ) -> None:
        super().__init__(proposals, per_page)
        self.matching = matching
        self.filters = filters
        self._figures: tuple[int, int, bool] | None = None

    def _compute(self) -> tuple[int, int, bool]:
        capped = self.matching.order_by()[: LIST_MAX_ROWS + 1].count()
        if capped <= LIST_MAX_ROWS:
            return capped, capped, False
        total = max(_rounded(_estimate(self.matching)), LIST_MAX_ROWS)
        return LIST_MAX_ROWS, total, True

    def figures(self) -> tuple[int, int, bool]:
        if self._figures is None:
            seconds = settings.PROPOSALS_LIST_CACHE_SECONDS
            if seconds <= 0:
                self._figures = self._compute()
            else:
                filters = self.filters
                topic, area = filters.get("topic"), filters.get("area")
                key = list_cache_key(
                    "count",
                    (filters.get("q") or "").strip(),
                    filters.get("status") or "",
                    topic.pk if topic else None,
                    area.pk if area else None,
                    filters.get("sort") == SORT_ENDING,
                )
                cached = cache.get(key)
                if cached is None:
                    cached = self._compute()
                    cache.set(key, cached, seconds)
                self._figures = (int(cached[0]), int(cached[1]), bool(cached[2]))
        return self._figures

    @property
    def count(self) -> int:
        return self.figures()[0]

    @property
    def total(self) -> int:
        """How many proposals match (an estimate when `estimated`)."""
        return self.figures()[1]

    @property
    def estimated(self) -> bool:
        return self.figures()[2]

    @property
    def capped(self) -> bool:
        """Whether more proposals match than the pages reach."""
        return self.estimated


def proposals_public_page(
    *,
    number: Any,
    per_page: int = PAGE_SIZE,
    q: str = "",
    status: str = "",
    topic: Topic | None = None,
    area: Area | None = None,
    sort: str = "",
) -> Page[Proposal]:
    """One page of `proposals_public` (a bad page number gives the first page, one beyond the
    last page the last, and no page is deeper than LIST_MAX_ROWS)."""
    proposals = proposals_public(q=q, status=status, topic=topic, area=area, sort=sort)
    matching = _matching(q=q.strip(), status=status, topic=topic, area=area, sort=sort)
    filters = {"q": q, "status": status, "topic": topic, "area": area, "sort": sort}
    paginator = PublicProposalPaginator(proposals, per_page, matching=matching, filters=filters)
    return paginator.get_page(number)


def meeting_proposals_public() -> QuerySet[Proposal]:
    """seed 004 §8: proposals raised at dialogue meetings, each with its public page."""
    return (
        _visible()
        .filter(origin=Origin.MEETING)
        .select_related("topic", "area", "preparing_body", "responsible_politician")
        .only(
            *LIST_FIELDS,
            "source",
            "decided_on",
            "outcome",
            "answer",
            "decision_document",
            "preparing_body__name",
            "responsible_politician__display_name",
            "responsible_politician__full_name",
            "responsible_politician__closed_at",
        )
        .order_by("-published_at", "-pk")
    )


def proposal_access(user: Actor, pk: int) -> Proposal:
    """One proposal for its page. A proposal this user may not see answers 404, as one that
    does not exist: whether a rejected or unpublished proposal exists is nobody's business."""
    proposal = get_object_or_404(
        Proposal.objects.select_related(
            "topic", "area", "preparing_body", "responsible_politician"
        ),
        pk=pk,
    )
    # Public proposals (hidden ones too: their page shows the public reason) are for everyone,
    # anonymous visitors included; the rest only for the author and the staff who handle them.
    if proposal.status in PUBLIC_STATUSES:
        return proposal
    if not has_perm(user, "proposals.view_proposal_page", proposal):
        raise Http404
    return proposal


def access_proposal_for_staff(user: Actor, pk: int) -> Proposal:
    """The proposal for the staff pages, for a user who may see them (checked before the
    lookup, so others cannot tell which proposals exist)."""
    if not can_use_staff_pages(user):
        raise PermissionDenied
    return get_object_or_404(
        Proposal.objects.select_related(
            "topic",
            "area",
            "author",
            "responsible_politician",
            "registered_by",
            "moderated_by",
            "preparing_body",
            "repeat_of",
        ),
        pk=pk,
    )


def access_proposal_supporters(user: Actor, pk: int) -> Proposal:
    """The proposal whose supporters this user may list (the staff pages first, as above)."""
    if not can_use_staff_pages(user):
        raise PermissionDenied
    proposal = get_object_or_404(Proposal, pk=pk)
    if not has_perm(user, "proposals.view_supporters", proposal):
        raise PermissionDenied
    return proposal


def access_proposal_for_assisted_support(user: Actor, pk: int) -> Proposal:
    """The proposal on which this user registers supports for others (a paper form, a service
    desk): the contact centre's permission first, then the lookup."""
    if not has_perm(user, "proposals.register_on_behalf"):
        raise PermissionDenied
    return get_object_or_404(Proposal.objects.select_related("topic"), pk=pk)


def _sees_every_proposal(user: Actor) -> bool:
    # Those who may use the staff pages, which show every proposal's image and documents,
    # hidden ones included.
    return can_use_staff_pages(user)


def access_proposal_file(user: Actor, pk: int, *, event_pk: int | None = None) -> tuple[Any, bool]:
    """What a proposal's file belongs to (the proposal, or one of its events with `event_pk`)
    and whether the file is public. Public with a published proposal that is not hidden (and a
    public event); else only for staff, and the author while the proposal is not hidden (the
    author's own page shows it). 404 for everyone else, as for a file that does not exist."""
    proposal = get_object_or_404(Proposal, pk=pk)
    owner: Any = proposal
    public = proposal.is_public
    if event_pk is not None:
        owner = get_object_or_404(Event, pk=event_pk, proposal=proposal)
        public = public and owner.is_public
    if public:
        return owner, True
    if _sees_every_proposal(user):
        return owner, False
    is_author = getattr(user, "is_authenticated", False) and proposal.author_id == user.pk
    if is_author and proposal.hidden_at is None and (event_pk is None or owner.is_public):
        return owner, False
    raise Http404


def proposals_of_author(user: User) -> QuerySet[Proposal]:
    """The author's own proposals in every status, for Mina sidor."""
    return (
        Proposal.objects.filter(author=user)
        .select_related("topic")
        .only(
            *[f for f in LIST_FIELDS if not f.startswith("area__")],
            "created_at",
            "rejection_reason",
            "rejection_text",
            "author_id",
        )
        .order_by("-created_at", "-pk")
    )


def proposals_supported_by(user: User) -> QuerySet[Proposal]:
    """Proposals this account supports now (withdrawn supports are not listed)."""
    return (
        Proposal.objects.filter(
            supports__user=user,
            supports__withdrawn_at__isnull=True,
            supports__duplicate_of__isnull=True,
        )
        .select_related("topic")
        .only(*[f for f in LIST_FIELDS if not f.startswith("area__")])
        .order_by("-published_at", "-pk")
        .distinct()
    )


def supports_flagged_duplicate(proposal: Proposal) -> QuerySet[Support]:
    """Supports flagged as a second support by someone already counted (issue 15: one
    personnummer in two digit scripts), for staff to review. Never counted."""
    return (
        Support.objects.filter(proposal_id=proposal.pk, duplicate_of__isnull=False)
        .select_related("duplicate_of")
        .only("pk", "created_at", "channel", "withdrawn_at", "duplicate_of__created_at")
        .order_by("created_at", "pk")
    )


def support_count_key(proposal_id: int) -> str:
    """The cache entry of a proposal's support count (see `support_count_live`)."""
    return f"proposals:support-count:{proposal_id}"


def support_count_live(proposal: Proposal) -> int:
    """The exact number of active supports, cached a few seconds: a popular proposal's page
    is read far more often than supports arrive, and a count a few seconds old is fine."""

    def count() -> int:
        return Support.objects.filter(ACTIVE_SUPPORT, proposal_id=proposal.pk).count()

    value = cache.get_or_set(support_count_key(proposal.pk), count, timeout=SUPPORT_COUNT_SECONDS)
    return int(value or 0)


def support_count_forget(proposal_id: int) -> None:
    """After someone's own support or withdrawal: their next page shows it counted."""
    cache.delete(support_count_key(proposal_id))


def _chart_days(proposal: Proposal) -> tuple[datetime.date, datetime.date] | None:
    if proposal.published_at is None or proposal.threshold is None:
        return None
    first = timezone.localdate(proposal.published_at)
    last = timezone.localdate()
    if proposal.signing_ends_on is not None:
        last = min(last, proposal.signing_ends_on)
    if last < first:
        return None
    return first, last


def supports_per_day(proposal: Proposal) -> list[tuple[datetime.date, int]]:
    """Active supports per local day, every day of the signing period so far (zeros too)."""
    span = _chart_days(proposal)
    if span is None:
        return []
    first, last = span

    def compute() -> list[tuple[datetime.date, int]]:
        rows = (
            Support.objects.filter(ACTIVE_SUPPORT, proposal_id=proposal.pk)
            .annotate(day=TruncDate("created_at"))
            .values("day")
            .annotate(n=Count("pk"))
            .order_by("day")
        )
        counts = {row["day"]: row["n"] for row in rows}
        days = (last - first).days + 1
        return [
            (first + datetime.timedelta(days=i), counts.get(first + datetime.timedelta(days=i), 0))
            for i in range(days)
        ]

    key = f"proposals:per-day:{proposal.pk}:{first.isoformat()}:{last.isoformat()}"
    result = cache.get_or_set(key, compute, timeout=SUPPORTS_PER_DAY_SECONDS)
    return list(result or [])


def supports_given(*, since: datetime.datetime | None = None) -> int:
    """How many supports have been given (withdrawn ones too: they were given), all time or
    since a moment; for the operators' metrics, not for any proposal's count."""
    supports = Support.objects.all()
    if since is not None:
        supports = supports.filter(created_at__gte=since)
    return supports.count()
