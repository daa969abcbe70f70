"""Reads for proposals: what the public list holds, who may open a proposal, the live count
and supports per day."""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404
from django.utils import timezone
from freezegun import freeze_time

from torget.accounts.roles import Role
from torget.accounts.tests.factories import CitizenFactory, UserFactory
from torget.geo.tests.factories import AreaFactory
from torget.organisation.tests.factories import TopicFactory
from torget.proposals import selectors
from torget.proposals.models import PUBLIC_STATUSES, Origin, Outcome, Status
from torget.proposals.tests.factories import (
    ProposalFactory,
    SigningProposalFactory,
    SupportFactory,
)

pytestmark = pytest.mark.django_db


def titles(queryset):
    return [p.title for p in queryset]


class TestProposalsPublic:
    def test_only_public_statuses_and_never_hidden(self):
        for status in Status:
            SigningProposalFactory(
                title=status.value,
                status=status,
                outcome=Outcome.APPROVED if status == Status.DECIDED else "",
            )
        SigningProposalFactory(title="dolt", hidden_at=timezone.now())
        assert set(titles(selectors.proposals_public())) == {s.value for s in PUBLIC_STATUSES}

    def test_a_status_that_is_not_public_gives_nothing(self):
        ProposalFactory()
        SigningProposalFactory()
        assert not selectors.proposals_public(status=Status.SUBMITTED).exists()
        assert selectors.proposals_public(status=Status.SIGNING).count() == 1

    def test_topic_and_area_with_the_areas_inside_it(self):
        topic = TopicFactory()
        municipality = AreaFactory()
        south = AreaFactory(parent=municipality)
        berga = AreaFactory(parent=south)
        elsewhere = AreaFactory()
        SigningProposalFactory(title="berga", area=berga, topic=topic)
        SigningProposalFactory(title="söder", area=south)
        SigningProposalFactory(title="annat", area=elsewhere)
        SigningProposalFactory(title="inget område")
        assert set(titles(selectors.proposals_public(area=municipality))) == {"berga", "söder"}
        assert titles(selectors.proposals_public(area=berga)) == ["berga"]
        assert titles(selectors.proposals_public(topic=topic)) == ["berga"]

    def test_sorts(self):
        today = timezone.localdate()
        now = timezone.now()
        SigningProposalFactory(
            title="a",
            support_count=5,
            published_at=now - datetime.timedelta(days=2),
            signing_ends_on=today + datetime.timedelta(days=30),
        )
        SigningProposalFactory(
            title="b",
            support_count=50,
            published_at=now - datetime.timedelta(days=1),
            signing_ends_on=today + datetime.timedelta(days=3),
        )
        SigningProposalFactory(
            title="c",
            status=Status.DECIDED,
            outcome=Outcome.ANSWERED,
            support_count=10,
            published_at=now,
        )
        assert titles(selectors.proposals_public()) == ["c", "b", "a"]
        assert titles(selectors.proposals_public(sort=selectors.SORT_SUPPORTS)) == ["b", "c", "a"]
        assert titles(selectors.proposals_public(sort=selectors.SORT_ENDING)) == ["b", "a"]

    def test_one_query_for_a_page_of_cards(self, django_assert_num_queries):
        for _ in range(5):
            SigningProposalFactory(area=AreaFactory())
        with django_assert_num_queries(1):
            cards = [
                (p.title, p.topic.name, p.area.name, p.support_count)
                for p in selectors.proposals_public()[:20]
            ]
        assert len(cards) == 5

    @pytest.mark.parametrize("sort", ["", selectors.SORT_NEWEST, selectors.SORT_SUPPORTS])
    def test_pages_of_the_whole_list_are_the_sorted_list_cut_in_pages(self, sort):
        """The pages of the whole list (counted, capped, cached) give exactly what one
        sorted query gives, page by page."""
        now = timezone.now()
        statuses = sorted(PUBLIC_STATUSES)
        for n in range(47):
            SigningProposalFactory(
                title=f"p{n}",
                status=statuses[n % len(statuses)],
                outcome=Outcome.ANSWERED,
                published_at=now - datetime.timedelta(hours=n * 7 % 23),  # ties too
                support_count=n * 13 % 10,
                hidden_at=now if n % 11 == 0 else None,
            )
        ProposalFactory(title="granskas")
        expected = titles(selectors.proposals_public(sort=sort))
        assert len(expected) == 47 - 5
        pages = [
            titles(selectors.proposals_public_page(number=n, per_page=10, sort=sort))
            for n in range(1, 6)
        ]
        assert [t for page in pages for t in page] == expected
        assert [len(page) for page in pages] == [10, 10, 10, 10, 2]

    def test_list_count_is_cached_until_a_proposal_changes(self):
        SigningProposalFactory(title="park")
        assert selectors.proposals_public_page(number=1).paginator.count == 1
        # A new proposal drops the cached count (selectors.list_forget on save).
        SigningProposalFactory(title="park")
        assert selectors.proposals_public_page(number=1).paginator.count == 2
        assert selectors.proposals_public_page(number=1, q="park").paginator.count == 2

    def test_meeting_proposals(self):
        politician = UserFactory(role=Role.ELECTED)
        SigningProposalFactory(
            title="från möte",
            origin=Origin.MEETING,
            status=Status.REGISTERED,
            responsible_politician=politician,
        )
        SigningProposalFactory(title="webb")
        ProposalFactory(title="möte, ej publicerat", origin=Origin.MEETING)
        assert titles(selectors.meeting_proposals_public()) == ["från möte"]


class TestProposalAccess:
    def test_public_proposal_is_open_to_everyone(self):
        proposal = SigningProposalFactory()
        assert selectors.proposal_access(AnonymousUser(), proposal.pk) == proposal
        assert selectors.proposal_access(CitizenFactory(), proposal.pk) == proposal

    def test_hidden_proposal_is_returned_so_its_page_can_give_the_reason(self):
        proposal = SigningProposalFactory(hidden_at=timezone.now(), hidden_reason="Skäl")
        assert selectors.proposal_access(AnonymousUser(), proposal.pk) == proposal

    @pytest.mark.parametrize("status", [Status.SUBMITTED, Status.REJECTED, Status.MOVED])
    def test_unpublished_is_404_for_others_not_403(self, status):
        proposal = ProposalFactory(status=status)
        for user in (AnonymousUser(), CitizenFactory(), UserFactory(role=Role.ELECTED)):
            with pytest.raises(Http404):
                selectors.proposal_access(user, proposal.pk)

    def test_unpublished_is_open_to_its_author_and_proposal_staff(self):
        proposal = ProposalFactory(status=Status.REJECTED)
        assert selectors.proposal_access(proposal.author, proposal.pk) == proposal
        for role in (Role.OFFICIAL, Role.CONTACT_CENTRE):
            assert selectors.proposal_access(UserFactory(role=role), proposal.pk) == proposal

    def test_a_closed_account_no_longer_opens_its_unpublished_proposal(self):
        proposal = ProposalFactory()
        proposal.author.is_active = False
        proposal.author.save()
        with pytest.raises(Http404):
            selectors.proposal_access(proposal.author, proposal.pk)

    def test_missing_is_404(self):
        with pytest.raises(Http404):
            selectors.proposal_access(AnonymousUser(), 424242)


class TestMine:
    def test_own_proposals_in_every_status_and_active_supports(self):
        citizen = CitizenFactory()
        ProposalFactory(author=citizen, title="granskas")
        ProposalFactory(author=citizen, title="avvisat", status=Status.REJECTED)
        ProposalFactory(title="någon annans")
        assert set(titles(selectors.proposals_of_author(citizen))) == {"granskas", "avvisat"}

        supported = SigningProposalFactory(title="stödjer")
        SupportFactory(proposal=supported, user=citizen)
        withdrawn = SigningProposalFactory(title="tog tillbaka")
        SupportFactory(proposal=withdrawn, user=citizen, withdrawn_at=timezone.now())
        assert titles(selectors.proposals_supported_by(citizen)) == ["stödjer"]


class TestSupportCountLive:
    def test_exact_count_of_active_supports_cached_five_seconds(self):
        proposal = SigningProposalFactory()
        SupportFactory(proposal=proposal)
        SupportFactory(proposal=proposal, withdrawn_at=timezone.now())
        start = timezone.now()
        with freeze_time(start):
            assert selectors.support_count_live(proposal) == 1
            SupportFactory(proposal=proposal)
            assert selectors.support_count_live(proposal) == 1
        with freeze_time(start + datetime.timedelta(seconds=6)):
            assert selectors.support_count_live(proposal) == 2

    def test_counts_are_per_proposal(self):
        one, two = SigningProposalFactory(), SigningProposalFactory()
        SupportFactory(proposal=one)
        assert selectors.support_count_live(one) == 1
        assert selectors.support_count_live(two) == 0


class TestSupportsPerDay:
    def test_every_day_of_the_period_so_far_with_zeros_in_local_days(self):
        published = datetime.datetime(2025, 3, 1, 9, 0, tzinfo=datetime.UTC)
        with freeze_time("2025-03-05 12:00:00"):
            proposal = SigningProposalFactory(
                published_at=published, signing_ends_on=datetime.date(2025, 5, 30)
            )
            # 23:30 UTC on 1 March is 00:30 on 2 March in Stockholm.
            SupportFactory(
                proposal=proposal,
                created_at=datetime.datetime(2025, 3, 1, 23, 30, tzinfo=datetime.UTC),
            )
            SupportFactory(
                proposal=proposal,
                created_at=datetime.datetime(2025, 3, 1, 10, 0, tzinfo=datetime.UTC),
            )
            SupportFactory(
                proposal=proposal,
                created_at=datetime.datetime(2025, 3, 4, 10, 0, tzinfo=datetime.UTC),
            )
            SupportFactory(
                proposal=proposal,
                created_at=datetime.datetime(2025, 3, 4, 11, 0, tzinfo=datetime.UTC),
                withdrawn_at=datetime.datetime(2025, 3, 4, 12, 0, tzinfo=datetime.UTC),
            )
            days = selectors.supports_per_day(proposal)
        assert days == [
            (datetime.date(2025, 3, 1), 1),
            (datetime.date(2025, 3, 2), 1),
            (datetime.date(2025, 3, 3), 0),
            (datetime.date(2025, 3, 4), 1),
            (datetime.date(2025, 3, 5), 0),
        ]

    def test_stops_at_the_end_of_the_period(self):
        with freeze_time("2025-06-10 12:00:00"):
            proposal = SigningProposalFactory(
                status=Status.UNSUPPORTED,
                published_at=datetime.datetime(2025, 3, 1, 9, 0, tzinfo=datetime.UTC),
                signing_ends_on=datetime.date(2025, 3, 10),
            )
            days = selectors.supports_per_day(proposal)
        assert days[0][0] == datetime.date(2025, 3, 1)
        assert days[-1][0] == datetime.date(2025, 3, 10)
        assert len(days) == 10

    def test_nothing_for_proposals_that_collect_no_support(self):
        proposal = SigningProposalFactory(
            origin=Origin.MEETING, status=Status.REGISTERED, threshold=None, signing_ends_on=None
        )
        assert selectors.supports_per_day(proposal) == []
        assert selectors.supports_per_day(ProposalFactory()) == []
