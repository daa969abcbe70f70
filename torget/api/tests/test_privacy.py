"""Nothing personal and nothing unpublished in the API: every response built from the demo
(all pages of every list, every row's detail, the areas' GeoJSON, the index) is scanned for
e-mail addresses, mobile numbers, personal identity numbers and private persons' names; and a
row made non-public (hidden, a draft, unpublished) disappears from its list and its detail."""

from __future__ import annotations

from typing import Any

import pytest
from django.db.models import F
from django.test import Client
from django.utils import timezone

from torget.api.registry import ENDPOINTS
from torget.testing.privacy import private_names, scan

pytestmark = pytest.mark.django_db


def _walk(client: Client, url: str) -> list[tuple[str, str, list[dict[str, Any]]]]:
    """(url, body, rows) of every page of a list."""
    pages = []
    for _page in range(10_000):
        response = client.get(url)
        assert response.status_code == 200, (url, response.content)
        body = response.json()
        pages.append((url, response.content.decode(), body["results"]))
        if not body.get("next"):
            return pages
        url = body["next"]
    raise AssertionError("the pages never end")


def _typed_names() -> set[str]:
    """Names that citizens typed (not accounts): a proposal's shown author, a budget idea's
    shown name, a reporter, a meeting registration or question, a council member, a
    contact at an inspection, the person who requested a dialogue."""
    from torget.budget.models import Idea
    from torget.councils.models import CouncilMember
    from torget.dialogues.models import Dialogue
    from torget.feedback.models import Case
    from torget.inspections.models import GroupContact
    from torget.meetings.models import AgendaQuestion, Registration
    from torget.proposals.models import Proposal

    names: set[str] = set()
    # (a proposal registered at a meeting shows "Deltagare på dialogmöte", no person)
    names |= set(
        Proposal.objects.filter(author__isnull=False).values_list("author_name", flat=True)
    )
    names |= set(Idea.objects.values_list("shown_name", flat=True))
    names |= set(Case.objects.values_list("reporter_name", flat=True))
    names |= set(Registration.objects.values_list("name", flat=True))
    names |= set(AgendaQuestion.objects.values_list("name", flat=True))
    # (a member that is an organisation, such as Nattvandrarna, is named by it)
    names |= set(
        CouncilMember.objects.exclude(name=F("organisation")).values_list("name", flat=True)
    )
    # (a contact may be a group's name, such as Nattvandrarna: a person's has two words)
    names |= {
        name for name in GroupContact.objects.values_list("name", flat=True) if " " in name.strip()
    }
    names |= set(Dialogue.objects.values_list("requester_name", flat=True))
    return {name for name in names if name}


def test_no_personal_data_in_any_api_response(demo):
    from torget.organisation.selectors import municipality_get

    client = Client()
    names = private_names(_typed_names())
    assert names, "the demo has no private persons to look for"
    allowed = {municipality_get().email} - {""}
    findings = []
    scanned = 0
    rows_seen = 0
    for url in ("/api/v1/", "/api/v1/omraden/geojson/"):
        response = client.get(url)
        findings += scan(response.content.decode(), where=url, names=names, allowed_emails=allowed)
        scanned += 1
    for slug in sorted(ENDPOINTS):
        for url, body, rows in _walk(client, f"/api/v1/{slug}/?page_size=3"):
            findings += scan(body, where=url, names=names, allowed_emails=allowed)
            scanned += 1
            for row in rows:
                detail = f"/api/v1/{slug}/{row['id']}/"
                response = client.get(detail)
                assert response.status_code == 200
                findings += scan(
                    response.content.decode(), where=detail, names=names, allowed_emails=allowed
                )
                scanned += 1
                rows_seen += 1
    assert rows_seen > 50
    assert findings == [], "\n".join(str(finding) for finding in findings)


def _ids(client: Client, slug: str) -> set[Any]:
    return {
        row["id"]
        for _url, _body, rows in _walk(client, f"/api/v1/{slug}/?page_size=500")
        for row in rows
    }


def _gone(client: Client, slug: str, value: Any) -> None:
    assert value not in _ids(client, slug), f"{slug} {value} is still listed"
    assert client.get(f"/api/v1/{slug}/{value}/").status_code == 404


def _shown(client: Client, slug: str, value: Any) -> None:
    assert value in _ids(client, slug), f"{slug} {value} is not listed"


class TestNonPublicRowsNeverAppear:
    def test_proposal_hidden_or_under_review(self, demo):
        from torget.proposals.models import Proposal, Status

        client = Client()
        public = list(ENDPOINTS["forslag"].dataset.rows().order_by("pk")[:2])
        for proposal in public:
            _shown(client, "forslag", proposal.pk)
        Proposal.objects.filter(pk=public[0].pk).update(hidden_at=timezone.now())
        Proposal.objects.filter(pk=public[1].pk).update(status=Status.SUBMITTED)
        for proposal in public:
            _gone(client, "forslag", proposal.pk)
        for proposal in Proposal.objects.exclude(pk__in=[p.pk for p in public]):
            if not proposal.is_public:
                _gone(client, "forslag", proposal.pk)

    def test_dialogue_not_decided_takes_its_meetings_and_results_along(self, demo):
        from torget.dialogues.models import NOT_PUBLIC, Dialogue, Status
        from torget.meetings.models import Meeting
        from torget.results.models import FeedbackPoint

        client = Client()
        for dialogue in Dialogue.objects.filter(status__in=NOT_PUBLIC):
            _gone(client, "dialoger", dialogue.pk)
        point = FeedbackPoint.objects.order_by("pk").first()
        assert point is not None
        dialogue = point.dialogue
        meetings = list(
            Meeting.objects.filter(dialogue=dialogue)
            .exclude(status="utkast")
            .values_list("pk", flat=True)
        )
        _shown(client, "dialoger", dialogue.pk)
        _shown(client, "resultat", point.pk)
        Dialogue.objects.filter(pk=dialogue.pk).update(status=Status.INITIATIVE)
        _gone(client, "dialoger", dialogue.pk)
        _gone(client, "resultat", point.pk)
        for pk in meetings:
            _gone(client, "moten", pk)

    def test_draft_meeting(self, demo):
        from torget.meetings.models import Meeting, MeetingStatus

        client = Client()
        meeting = ENDPOINTS["moten"].dataset.rows().order_by("pk").first()
        _shown(client, "moten", meeting.pk)
        Meeting.objects.filter(pk=meeting.pk).update(status=MeetingStatus.DRAFT)
        _gone(client, "moten", meeting.pk)

    def test_draft_budget_round_and_its_ideas(self, demo):
        from torget.budget.models import BudgetRound, Phase

        client = Client()
        idea = ENDPOINTS["medborgarbudget-projekt"].dataset.rows().order_by("pk").first()
        _shown(client, "medborgarbudget", idea.round_id)
        _shown(client, "medborgarbudget-projekt", idea.pk)
        BudgetRound.objects.filter(pk=idea.round_id).update(phase=Phase.DRAFT)
        _gone(client, "medborgarbudget", idea.round_id)
        _gone(client, "medborgarbudget-projekt", idea.pk)

    def test_unpublished_inspection_protocol(self, demo):
        from torget.inspections.models import Inspection

        client = Client()
        for inspection in Inspection.objects.filter(published_at__isnull=True):
            _gone(client, "besiktningar", inspection.pk)
        published = ENDPOINTS["besiktningar"].dataset.rows().first()
        Inspection.objects.filter(pk=published.pk).update(published_at=None)
        _gone(client, "besiktningar", published.pk)

    def test_private_fault_report_and_opinions(self, demo):
        from torget.feedback.models import Case, Kind

        client = Client()
        for case in Case.objects.exclude(kind=Kind.FAULT)[:20]:
            _gone(client, "felanmalningar", case.number)
        for case in Case.objects.filter(is_public=False)[:20]:
            _gone(client, "felanmalningar", case.number)
        case = ENDPOINTS["felanmalningar"].dataset.rows().first()
        Case.objects.filter(pk=case.pk).update(is_public=False)
        _gone(client, "felanmalningar", case.number)


class TestTheScanItself:
    """The scan must find what it looks for, and only that: a test that finds nothing because
    the scan is blind would prove nothing."""

    def test_it_finds_each_kind(self):
        text = "Ellen Ek, ellen@example.se, 070-123 45 67, 19121212-1212"
        kinds = {finding.kind for finding in scan(text, names=["Ellen Ek"])}
        assert kinds == {"namn", "e-post", "mobilnummer", "personnummer"}

    @pytest.mark.parametrize("text", ["Tabellen visar deltagarna", "Ellenor", "19121212-1213"])
    def test_a_name_counts_only_as_a_whole_word_and_a_number_only_with_its_check_digit(self, text):
        assert scan(text, names=["Ellen"]) == []
