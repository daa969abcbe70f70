"""The public proposal pages as citizens see them: the list, one proposal, submitting one
(with its preview), meeting proposals, Mina förslag, and what caches may keep."""

import datetime
import io
import re
from html import unescape

import pytest
from django.core import mail
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone
from django.views.i18n import set_language
from PIL import Image

from torget.accounts.roles import Role
from torget.accounts.tests.factories import CitizenFactory, UserFactory
from torget.geo.tests.factories import AreaFactory
from torget.identity.selectors import COOKIE_NAME as EID_COOKIE
from torget.identity.selectors import verification_token
from torget.identity.tests.factories import VerificationFactory
from torget.notifications.models import Notification
from torget.organisation.models import Municipality
from torget.organisation.tests.factories import BodyFactory, TopicFactory
from torget.proposals.models import (
    Event,
    EventKind,
    Origin,
    Outcome,
    Proposal,
    RejectionReason,
    Status,
)
from torget.proposals.tests.factories import (
    ProposalFactory,
    SigningProposalFactory,
    SupportFactory,
)
from torget.testing.identity import verified_session

pytestmark = pytest.mark.django_db

LIST = "/forslag/"


def html_of(response) -> str:
    return response.content.decode()


def png_upload(name="bild.png", size=(40, 30)) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def jpeg_with_location(name="foto.jpg") -> SimpleUploadedFile:
    exif = Image.Exif()
    exif[0x010F] = "Telefonen"  # camera make
    exif[0x8825] = {1: "N", 2: (57.0, 42.0, 30.0)}  # GPS: where the photo was taken
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (20, 120, 30)).save(buffer, format="JPEG", exif=exif)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


@pytest.fixture
def media(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def shared_caching(monkeypatch):
    """The language switch accepts a post without a CSRF token (see views._shareable): then
    anonymous pages carry no token and shared caches may keep them."""
    monkeypatch.setattr(set_language, "csrf_exempt", True, raising=False)


# --- The list ---------------------------------------------------------------------------------


class TestList:
    def test_only_published_and_visible_proposals_are_listed(self, client):
        shown = SigningProposalFactory(title="Fler bänkar i parken")
        ProposalFactory(title="Under granskning")
        SigningProposalFactory(title="Avvisat förslag", status=Status.REJECTED)
        SigningProposalFactory(title="Flyttat förslag", status=Status.MOVED)
        SigningProposalFactory(title="Dolt förslag", hidden_at=timezone.now())
        html = html_of(client.get(LIST))
        assert shown.title in html
        for title in ("Under granskning", "Avvisat förslag", "Flyttat förslag", "Dolt förslag"):
            assert title not in html
        assert "1 förslag" in html

    def test_filter_by_status_category_and_area(self, client):
        traffic = TopicFactory(name="Trafik och gator", slug="trafik")
        culture = TopicFactory(name="Kultur", slug="kultur")
        south = AreaFactory(name="Söder", slug="soder")
        berga = AreaFactory(name="Berga", slug="berga", parent=south)
        ryd = AreaFactory(name="Ryd", slug="ryd")
        SigningProposalFactory(title="Cykelbana i Berga", topic=traffic, area=berga)
        SigningProposalFactory(title="Konsthall i Ryd", topic=culture, area=ryd)
        SigningProposalFactory(
            title="Beslutad gata", topic=traffic, status=Status.DECIDED, outcome=Outcome.APPROVED
        )

        html = html_of(client.get(LIST, {"kategori": "trafik"}))
        assert "Cykelbana i Berga" in html and "Beslutad gata" in html
        assert "Konsthall i Ryd" not in html
        assert "2 förslag matchar" in html

        html = html_of(client.get(LIST, {"status": Status.DECIDED}))
        assert "Beslutad gata" in html and "Cykelbana i Berga" not in html

        # A proposal in Berga is also one in Söder, the district it lies in.
        html = html_of(client.get(LIST, {"omrade": "soder"}))
        assert "Cykelbana i Berga" in html and "Konsthall i Ryd" not in html

    def test_category_and_area_may_also_be_given_by_number(self, client):
        traffic = TopicFactory(name="Trafik och gator", slug="trafik")
        SigningProposalFactory(title="Cykelbana", topic=traffic)
        SigningProposalFactory(title="Konsthall")
        html = html_of(client.get(LIST, {"kategori": traffic.pk}))
        assert "Cykelbana" in html and "Konsthall" not in html
        assert '<option value="trafik" selected>' in html

    def test_status_filter_never_reaches_non_public_statuses(self, client):
        ProposalFactory(title="Under granskning")
        SigningProposalFactory(title="Avvisat förslag", status=Status.REJECTED)
        for status in (Status.SUBMITTED, Status.REJECTED, Status.MOVED):
            response = client.get(LIST, {"status": status})
            assert response.status_code == 200
            html = html_of(response)
            assert "Under granskning" not in html and "Avvisat förslag" not in html
        # The choice is not offered either.
        assert 'value="avvisat"' not in html_of(client.get(LIST))

    def test_sort_by_most_supported_and_closing_soon(self, client):
        today = timezone.localdate()
        SigningProposalFactory(
            title="Få stöd", support_count=3, signing_ends_on=today.replace(year=today.year + 1)
        )
        SigningProposalFactory(title="Många stöd", support_count=40)
        SigningProposalFactory(
            title="Slutar snart", support_count=10, signing_ends_on=today + datetime.timedelta(2)
        )
        SigningProposalFactory(
            title="Redan beslutat",
            status=Status.DECIDED,
            outcome=Outcome.ANSWERED,
            support_count=90,
        )
        html = html_of(client.get(LIST, {"sortera": "mest-stod"}))
        titles = ["Redan beslutat", "Många stöd", "Slutar snart", "Få stöd"]
        positions = [html.index(t) for t in titles]
        assert positions == sorted(positions)

        html = html_of(client.get(LIST, {"sortera": "slutar-snart"}))
        assert html.index("Slutar snart") < html.index("Många stöd") < html.index("Få stöd")
        assert "Redan beslutat" not in html  # only proposals still collecting support

    def test_newest_first_by_default(self, client):
        now = timezone.now()
        SigningProposalFactory(
            title="Äldre förslaget", published_at=now - datetime.timedelta(days=3)
        )
        SigningProposalFactory(title="Nyare förslaget", published_at=now)
        html = html_of(client.get(LIST))
        assert html.index("Nyare förslaget") < html.index("Äldre förslaget")

    def test_pagination_twenty_per_page_keeps_the_filters(self, client):
        topic = TopicFactory(slug="parker")
        now = timezone.now()
        for n in range(23):
            SigningProposalFactory(
                title=f"Parkförslag {n:02d}",
                topic=topic,
                published_at=now - datetime.timedelta(minutes=n),
            )
        html = html_of(client.get(LIST, {"kategori": "parker"}))
        assert html.count('class="card proposal-card"') == 20
        assert "23 förslag matchar" in html
        assert "Sida 1 av 2" in html
        assert 'href="?kategori=parker&amp;sida=2"' in html
        assert 'aria-label="Sidor"' in html
        page_two = client.get(LIST, {"kategori": "parker", "sida": 2})
        html = html_of(page_two)
        assert html.count('class="card proposal-card"') == 3
        assert "Parkförslag 22" in html and "Parkförslag 00" not in html
        assert "sida 2" in html.split("</title>")[0]
        # A page number out of range shows the last page rather than failing.
        assert client.get(LIST, {"sida": 99}).status_code == 200

    def test_empty_states(self, client):
        html = html_of(client.get(LIST))
        assert "Det finns inga publicerade förslag ännu." in html
        SigningProposalFactory(title="Ett förslag om parker")
        html = html_of(client.get(LIST, {"q": "simhall"}))
        assert "Inga förslag matchar din sökning." in html
        assert "0 förslag matchar" in html

    def test_unknown_filter_values_are_ignored_with_a_message(self, client):
        SigningProposalFactory(title="Ett förslag om parker")
        response = client.get(LIST, {"kategori": "finns-inte", "sortera": "konstigt"})
        assert response.status_code == 200
        html = html_of(response)
        assert "Ett förslag om parker" in html
        assert "Det finns fel i formuläret" in html

    def test_filters_work_without_javascript_as_a_get_form(self, client):
        html = html_of(client.get(LIST))
        assert re.search(r'<form method="get" action="/forslag/" role="search"', html)
        assert 'name="q"' in html and 'name="kategori"' in html and 'name="omrade"' in html
        assert 'name="status"' in html and 'name="sortera"' in html
        assert html.count("<h1") == 1

    def test_list_page_reads_a_fixed_number_of_queries(self, client):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        def queries(path, **params):
            cache.clear()  # the list count is cached for a few seconds
            with CaptureQueriesContext(connection) as captured:
                response = client.get(path, params)
            assert response.status_code == 200
            return len(captured.captured_queries)

        for n in range(3):
            SigningProposalFactory(title=f"Förslag {n}", area=AreaFactory())
        few = [queries(LIST), queries(LIST, kategori="x", q="förslag", sortera="mest-stod")]
        for n in range(30):
            SigningProposalFactory(title=f"Förslag {n}", area=AreaFactory())
        many = [queries(LIST), queries(LIST, kategori="x", q="förslag", sortera="mest-stod")]
        assert few == many  # none per proposal shown
        # municipality, topics, areas, the count (capped), the page: at most 10 (issue 22).
        assert many[0] <= 10
        assert html_of(client.get(LIST)).count('class="card proposal-card"') == 20


# --- One proposal -----------------------------------------------------------------------------


def decided_proposal(**kwargs):
    body = BodyFactory(name="Tekniska nämnden")
    proposal = SigningProposalFactory(
        status=Status.DECIDED,
        outcome=Outcome.APPROVED,
        decided_on=datetime.date(2025, 3, 12),
        answer="Kommunen bygger cykelbanan under 2026.",
        preparing_body=body,
        diary_number="KF 2025/17",
        **kwargs,
    )
    Event.objects.create(
        proposal=proposal, kind=EventKind.PUBLISHED, occurred_on=datetime.date(2024, 9, 1)
    )
    Event.objects.create(
        proposal=proposal,
        kind=EventKind.THRESHOLD,
        occurred_on=datetime.date(2024, 10, 2),
        reference="KF 2025/17",
    )
    Event.objects.create(
        proposal=proposal,
        kind=EventKind.ASSIGNED,
        occurred_on=datetime.date(2024, 11, 20),
        reference="KF § 123",
        body=body,
    )
    Event.objects.create(
        proposal=proposal,
        kind=EventKind.DECIDED,
        occurred_on=datetime.date(2025, 3, 12),
        reference="KF § 45",
        text="Förslaget bifalls.",
    )
    Event.objects.create(
        proposal=proposal,
        kind=EventKind.REJECTED,
        occurred_on=datetime.date(2024, 9, 1),
        text="Intern anteckning",
        is_public=False,
    )
    return proposal


class TestDetail:
    def test_shows_the_proposal_and_its_facts(self, client):
        area = AreaFactory(name="Berga", slug="berga")
        proposal = SigningProposalFactory(
            title="Cykelbana längs ån",
            body="Första stycket.\n\nAndra stycket.",
            area=area,
            author_name="Anna A",
            organisation_name="Berga cykelklubb",
            topic=TopicFactory(name="Trafik och gator"),
        )
        response = client.get(proposal.get_absolute_url())
        assert response.status_code == 200
        html = html_of(response)
        assert html.count("<h1") == 1
        assert '<h1 id="proposal-title">Cykelbana längs ån</h1>' in html
        assert "<p>Första stycket.</p>" in html
        assert "Anna A" in html and "för Berga cykelklubb" in html
        assert "Trafik och gator" in html and 'href="/omraden/berga/"' in html
        assert "Samlar stöd" in html
        assert "<title>Cykelbana längs ån – Medborgarförslag" in html

    def test_timeline_shows_the_public_steps_with_dates_references_and_bodies(self, client):
        proposal = decided_proposal()
        html = html_of(client.get(proposal.get_absolute_url()))
        timeline = html.split('<ol class="timeline">')[1].split("</ol>")[0]
        assert timeline.count("<li") == 4
        assert '<time datetime="2024-11-20">20 november 2024</time>' in timeline
        assert "Kommunfullmäktige lämnade förslaget till en nämnd för beredning" in timeline
        assert "KF § 123" in timeline and "Tekniska nämnden" in timeline
        assert "KF 2025/17" in timeline
        assert "Intern anteckning" not in html  # a step that is not public
        # In date order.
        assert timeline.index("1 september 2024") < timeline.index("12 mars 2025")

    def test_decision_is_published_on_the_page(self, client):
        proposal = decided_proposal()
        html = html_of(client.get(proposal.get_absolute_url()))
        assert '<h2 id="decision-heading">Beslut</h2>' in html
        assert "Bifallet" in html and "12 mars 2025" in html
        assert "Kommunen bygger cykelbanan under 2026." in html
        assert "KF 2025/17" in html  # diarienummer

    def test_progress_towards_the_threshold_and_days_left(self, client):
        proposal = SigningProposalFactory(
            threshold=50, signing_ends_on=timezone.localdate() + datetime.timedelta(days=12)
        )
        for _ in range(23):
            SupportFactory(proposal=proposal)
        SupportFactory(proposal=proposal, withdrawn_at=timezone.now())
        html = html_of(client.get(proposal.get_absolute_url()))
        assert "23 av 50 stöd" in html
        assert '<progress id="support-progress"' in html
        assert 'max="50" value="23"' in html
        assert "12 dagar kvar" in html

    def test_count_is_exact_but_cached_for_a_few_seconds(self, client):
        proposal = SigningProposalFactory(threshold=50)
        SupportFactory(proposal=proposal)
        assert "1 av 50 stöd" in html_of(client.get(proposal.get_absolute_url()))
        SupportFactory(proposal=proposal)
        assert "1 av 50 stöd" in html_of(client.get(proposal.get_absolute_url()))
        later = timezone.now() + datetime.timedelta(seconds=6)
        from freezegun import freeze_time

        with freeze_time(later):
            assert "2 av 50 stöd" in html_of(client.get(proposal.get_absolute_url()))

    def test_chart_of_supports_per_day_with_a_table_alternative(self, client):
        today = timezone.localdate()
        start = timezone.now() - datetime.timedelta(days=4)
        proposal = SigningProposalFactory(published_at=start)
        SupportFactory(proposal=proposal, created_at=start + datetime.timedelta(hours=1))
        SupportFactory(proposal=proposal, created_at=start + datetime.timedelta(hours=1))
        SupportFactory(proposal=proposal, created_at=timezone.now())
        html = html_of(client.get(proposal.get_absolute_url()))
        svg = html.split('<svg class="chart"')[1].split("</svg>")[0]
        assert 'role="img"' in svg
        assert 'aria-labelledby="stod-per-dag-title stod-per-dag-desc"' in svg
        assert '<title id="stod-per-dag-title">Stöd per dag</title>' in svg
        assert "3 stöd under 5 dagar" in svg
        assert svg.count("<rect") == 2  # two days with supports
        table = html.split("<details")[1].split("</details>")[0]
        assert "<table>" in table and '<th scope="col">Antal stöd</th>' in table
        assert table.count("<tr>") == 1 + 5  # header and one row per day, zeros too
        assert f'<time datetime="{today.isoformat()}">' in table

    def test_support_call_to_action_for_someone_who_has_not_supported(self, client):
        proposal = SigningProposalFactory()
        html = html_of(client.get(proposal.get_absolute_url()))
        assert f'href="/forslag/{proposal.pk}/stod/"' in html
        assert "Stöd förslaget" in html
        assert "Du stödjer det här förslaget" not in html

    def test_someone_who_supports_it_sees_so_and_can_withdraw(self, client):
        citizen = CitizenFactory()
        proposal = SigningProposalFactory()
        SupportFactory(proposal=proposal, user=citizen)
        client.force_login(citizen)
        html = html_of(client.get(proposal.get_absolute_url()))
        assert "Du stödjer det här förslaget." in html
        assert f'href="/forslag/{proposal.pk}/stod/ta-tillbaka/"' in html
        assert f'href="/forslag/{proposal.pk}/stod/"' not in html

    def test_a_fresh_e_id_step_without_an_account_also_counts_as_supporting(self, client):
        proposal = SigningProposalFactory()
        verification = VerificationFactory()
        SupportFactory(proposal=proposal, person_key=verification.person_key)
        client.cookies["sessionid"] = verified_session(verification)
        html = html_of(client.get(proposal.get_absolute_url()))
        assert "Du stödjer det här förslaget." in html

    def test_no_support_button_when_the_period_has_ended(self, client):
        proposal = SigningProposalFactory(
            status=Status.UNSUPPORTED, signing_ends_on=timezone.localdate() - datetime.timedelta(1)
        )
        html = html_of(client.get(proposal.get_absolute_url()))
        assert "Insamlingen av stöd är avslutad." in html
        assert "/stod/" not in html

    def test_share_and_follow(self, client, settings):
        settings.SITE_URL = "https://torget.storeby.se"
        proposal = SigningProposalFactory(title="Bänkar & bord")
        html = html_of(client.get(proposal.get_absolute_url()))
        url = f"https://torget.storeby.se/forslag/{proposal.pk}/"
        assert re.search(
            rf'<input type="text" id="share-url" value="{re.escape(url)}" readonly>', html
        )
        assert "mailto:?subject=B%C3%A4nkar%20%26%20bord&amp;body=https%3A%2F%2F" in html
        assert f'href="/bevaka/forslag/{proposal.pk}/"' in html
        assert "<script" not in html.split("</main>")[0]  # no third-party scripts in the page

    def test_preparation_overdue_is_said(self, client):
        proposal = SigningProposalFactory(
            status=Status.PREPARING,
            preparing_body=BodyFactory(name="Kultur- och fritidsnämnden"),
            preparation_due=timezone.localdate() - datetime.timedelta(days=10),
        )
        html = html_of(client.get(proposal.get_absolute_url()))
        assert "Beredningen i Kultur- och fritidsnämnden skulle ha varit klar" in html

    def test_hidden_proposal_shows_only_the_public_reason(self, client):
        proposal = SigningProposalFactory(
            title="Hemlig rubrik",
            body="Hemlig text",
            hidden_at=timezone.now(),
            hidden_reason="Innehöll personuppgifter om en anställd.",
        )
        response = client.get(proposal.get_absolute_url())
        assert response.status_code == 200
        html = html_of(response)
        assert "Förslaget har dolts av kommunen" in html
        assert "Innehöll personuppgifter om en anställd." in html
        assert "Hemlig rubrik" not in html and "Hemlig text" not in html
        assert html.count("<h1") == 1

    def test_unknown_proposal_is_404(self, client):
        assert client.get("/forslag/999999/").status_code == 404


class TestWhoSeesUnpublishedProposals:
    """IDOR: a proposal under review, rejected or moved exists only for its author and the
    staff who handle it; anyone else gets the same 404 as for a proposal that doesn't exist."""

    @pytest.mark.parametrize("status", [Status.SUBMITTED, Status.REJECTED, Status.MOVED])
    def test_others_get_404(self, client, status):
        proposal = ProposalFactory(status=status, title="Inte publicerat")
        assert client.get(proposal.get_absolute_url()).status_code == 404
        client.force_login(CitizenFactory())
        assert client.get(proposal.get_absolute_url()).status_code == 404
        client.force_login(UserFactory(role=Role.ELECTED))
        assert client.get(proposal.get_absolute_url()).status_code == 404

    def test_author_sees_it_under_review_with_a_notice(self, client):
        proposal = ProposalFactory(title="Mitt förslag")
        client.force_login(proposal.author)
        response = client.get(proposal.get_absolute_url())
        assert response.status_code == 200
        html = html_of(response)
        assert "Mitt förslag" in html and "Förslaget granskas" in html
        assert "Bevaka förslaget" not in html  # nothing to share or follow yet
        assert "share-url" not in html

    def test_author_sees_why_it_was_rejected(self, client):
        proposal = ProposalFactory(
            status=Status.REJECTED,
            rejection_reason=RejectionReason.COMPANY,
            rejection_text="Frågan gäller Storeby Energi AB.",
        )
        client.force_login(proposal.author)
        html = html_of(client.get(proposal.get_absolute_url()))
        assert "Förslaget publicerades inte" in html
        assert "Gäller ett kommunalt bolag" in html
        assert "Frågan gäller Storeby Energi AB." in html

    def test_officials_who_handle_proposals_see_it(self, client):
        proposal = ProposalFactory()
        client.force_login(UserFactory(role=Role.OFFICIAL))
        response = client.get(proposal.get_absolute_url())
        assert response.status_code == 200
        assert f'href="/personal/forslag/{proposal.pk}/"' in html_of(response)

    def test_rejected_proposals_never_reach_the_public_by_list_or_search(self, client):
        ProposalFactory(status=Status.REJECTED, title="Avvisad cykelidé")
        assert "Avvisad cykelidé" not in html_of(client.get(LIST, {"q": "cykelidé"}))
        assert "Avvisad cykelidé" not in html_of(client.get(LIST, {"status": "avvisat"}))


# --- Submitting -------------------------------------------------------------------------------


CREATE = "/forslag/nytt/"


def proposal_data(topic, **extra):
    return {
        "title": "Parkbänkar vid ån",
        "body": "Ställ ut fler bänkar längs ån.\r\nDet behövs för äldre.",
        "topic": topic.pk,
        **extra,
    }


class TestSubmit:
    def test_anonymous_visitors_are_asked_to_log_in(self, client):
        response = client.get(CREATE)
        assert response.status_code == 302
        assert response.url == f"{reverse('accounts:login')}?next=/forslag/nytt/"

    def test_account_without_confirmed_email_is_told_to_confirm_it_first(self, client):
        citizen = CitizenFactory(email_verified_at=None)
        client.force_login(citizen)
        for response in (client.get(CREATE), client.post(CREATE, {"title": "x"})):
            assert response.status_code == 403
            html = html_of(response)
            assert "Bekräfta din e-postadress först" in html
            assert 'action="/konto/bekrafta-igen/"' in html
            assert html.count("<h1") == 1
        assert not Proposal.objects.exists()

    def test_rules_come_before_the_form(self, client):
        Municipality.objects.create(name="Storeby kommun")
        client.force_login(CitizenFactory(display_name="Kim"))
        html = html_of(client.get(CREATE))
        rules = html.index("Innan du skriver")
        assert rules < html.index('<form method="post" action="/forslag/nytt/"')
        assert "kommunala bolagen" in html
        assert "personuppgifter om andra" in html
        assert "kränkande" in html
        assert "allmän handling" in html and "Kim" in html
        assert 'enctype="multipart/form-data"' in html
        assert 'name="action" value="preview"' in html
        # Settings the municipality does not use are not asked for.
        assert 'name="organisation_name"' not in html
        assert 'name="signing_days"' not in html

    def test_optional_fields_follow_the_municipality_settings(self, client):
        Municipality.objects.create(
            proposal_organisations_allowed=True, proposal_signing_choices="30,90,180"
        )
        client.force_login(CitizenFactory())
        html = html_of(client.get(CREATE))
        assert 'name="organisation_name"' in html
        assert 'type="radio" name="signing_days" value="180"' in html

    def test_preview_then_submit(self, client, drain):
        topic = TopicFactory(name="Parker")
        citizen = CitizenFactory(display_name="Kim")
        client.force_login(citizen)
        assert client.get(CREATE).status_code == 200

        preview = client.post(CREATE, proposal_data(topic, action="preview"))
        assert preview.status_code == 200
        html = html_of(preview)
        assert "Förhandsgranska ditt förslag" in html
        assert "Parkbänkar vid ån" in html and "Parker" in html and "Kim" in html
        assert 'name="action" value="submit"' in html and "Skicka in" in html
        assert 'name="action" value="edit"' in html and "Ändra" in html
        assert '<input type="hidden" name="title" value="Parkbänkar vid ån"' in html
        assert not Proposal.objects.exists()  # nothing saved by the preview

        hidden = {
            name: unescape(value)
            for name, value in re.findall(
                r'<input type="hidden" name="(\w+)" value="([^"]*)"', html
            )
            if name not in {"csrfmiddlewaretoken", "next"}  # "next": the language switch
        }
        assert set(hidden) == {"title", "body", "topic"}  # empty ones have no value
        assert '<input type="hidden" name="area"' in html
        edit = client.post(CREATE, {**hidden, "action": "edit"})
        assert 'value="Parkbänkar vid ån"' in html_of(edit)
        assert not Proposal.objects.exists()

        # “Skicka in” sends what the preview page holds.
        response = client.post(CREATE, {**hidden, "action": "submit"})
        proposal = Proposal.objects.get()
        assert response.status_code == 302 and response.url == proposal.get_absolute_url()
        assert proposal.status == Status.SUBMITTED
        assert proposal.author == citizen and proposal.author_name == "Kim"
        assert proposal.body == "Ställ ut fler bänkar längs ån.\nDet behövs för äldre."
        assert Notification.objects.filter(template="proposals.received").exists()

        page = client.get(response.url)
        html = html_of(page)
        assert "Tack! Vi har tagit emot ditt förslag." in html
        assert "Förslaget granskas" in html

        drain()
        assert [m.to for m in mail.outbox] == [[citizen.email]]
        assert "Vi har tagit emot ditt medborgarförslag" in mail.outbox[0].subject

    def test_errors_are_shown_with_a_summary(self, client):
        client.force_login(CitizenFactory())
        response = client.post(CREATE, {"title": "", "body": "", "action": "preview"})
        assert response.status_code == 200
        html = html_of(response)
        assert "Det finns fel i formuläret" in html
        assert 'href="#id_title"' in html and 'href="#id_topic"' in html
        assert "Välj den kategori som passar förslaget bäst." in html
        assert "fel i formuläret –" in html.split("</title>")[0]
        assert 'aria-invalid="true"' in html

    def test_image_needs_a_description_and_is_kept_until_the_proposal_is_sent(self, client, media):
        topic = TopicFactory()
        client.force_login(CitizenFactory())
        response = client.post(
            CREATE, {**proposal_data(topic), "image": png_upload("ån.png"), "action": "preview"}
        )
        html = html_of(response)
        assert "Beskriv bilden med några ord" in html
        # The image itself was fine, so it is kept: no need to upload it again.
        assert "Du har laddat upp bilden ån.png" in html
        assert 'name="remove_image"' in html

        response = client.post(
            CREATE, {**proposal_data(topic), "image_alt": "Ån en sommardag", "action": "preview"}
        )
        html = html_of(response)
        assert "Förhandsgranska ditt förslag" in html
        assert re.search(r'<img src="/forslag/nytt/bild/" alt="Ån en sommardag">', html)

        client.post(
            CREATE, {**proposal_data(topic), "image_alt": "Ån en sommardag", "action": "submit"}
        )
        proposal = Proposal.objects.get()
        assert proposal.image.name.startswith(f"proposals/{timezone.now().year}/")
        assert proposal.image.name.endswith(".png")
        assert proposal.image_alt == "Ån en sommardag"
        assert (media / proposal.image.name).exists()
        assert not list((media / "proposals" / "drafts").iterdir())  # the draft is gone

    def test_published_photo_carries_no_metadata_such_as_location(self, client, media):
        upload = jpeg_with_location()
        assert Image.open(io.BytesIO(upload.read())).getexif()  # the test photo has some
        upload.seek(0)
        client.force_login(CitizenFactory())
        data = {**proposal_data(TopicFactory()), "image_alt": "Ett fält"}
        client.post(CREATE, {**data, "image": upload, "action": "preview"})
        client.post(CREATE, {**data, "action": "submit"})
        proposal = Proposal.objects.get()
        assert proposal.image.name.endswith(".jpg")
        with Image.open(media / proposal.image.name) as stored:
            assert stored.format == "JPEG" and stored.size == (40, 30)
            assert not stored.getexif()

    def test_a_file_that_is_not_an_image_is_refused_whatever_its_name(self, client, media):
        client.force_login(CitizenFactory())
        fake = SimpleUploadedFile("bild.jpg", b"<script>alert(1)</script>", "image/jpeg")
        html = html_of(
            client.post(
                CREATE,
                {
                    **proposal_data(TopicFactory()),
                    "image": fake,
                    "image_alt": "x",
                    "action": "preview",
                },
            )
        )
        assert "Det finns fel i formuläret" in html
        assert "Förhandsgranska ditt förslag" not in html

    def test_too_large_image_is_refused(self, client, media, monkeypatch):
        monkeypatch.setattr("torget.proposals.forms.IMAGE_MAX_BYTES", 100)
        client.force_login(CitizenFactory())
        html = html_of(
            client.post(
                CREATE,
                {
                    **proposal_data(TopicFactory()),
                    "image": png_upload(size=(300, 300)),
                    "image_alt": "Röd ruta",
                    "action": "preview",
                },
            )
        )
        assert "Bilden är för stor" in html

    @override_settings(PROPOSALS_SUBMIT_RATE_PER_USER=2)
    def test_too_many_proposals_give_a_clear_429(self, client):
        topic = TopicFactory()
        client.force_login(CitizenFactory())
        for _ in range(2):
            response = client.post(CREATE, {**proposal_data(topic), "action": "submit"})
            assert response.status_code == 302
        response = client.post(CREATE, {**proposal_data(topic), "action": "submit"})
        assert response.status_code == 429
        html = html_of(response)
        assert "För många förslag" in html and "Vänta en stund" in html
        assert Proposal.objects.count() == 2
        assert client.get(CREATE).status_code == 429

    @override_settings(PROPOSALS_SUBMIT_RATE_PER_IP=1)
    def test_the_limit_also_counts_per_address(self, client):
        topic = TopicFactory()
        client.force_login(CitizenFactory())
        assert client.post(CREATE, {**proposal_data(topic), "action": "submit"}).status_code == 302
        client.force_login(CitizenFactory())
        assert client.post(CREATE, {**proposal_data(topic), "action": "submit"}).status_code == 429

    def test_organisation_refused_when_the_municipality_takes_only_individuals(self, client):
        client.force_login(CitizenFactory())
        client.post(
            CREATE,
            {
                **proposal_data(TopicFactory()),
                "organisation_name": "Föreningen",
                "action": "submit",
            },
        )
        assert Proposal.objects.get().organisation_name == ""  # the field isn't offered


# --- Meeting proposals and Mina förslag -------------------------------------------------------


class TestMeetingProposals:
    def test_lists_meeting_proposals_with_source_politician_and_decision(self, client):
        politician = UserFactory(role=Role.ELECTED, display_name="Filip", full_name="Filip F")
        SigningProposalFactory(
            title="Belysning vid skolan",
            origin=Origin.MEETING,
            status=Status.DECIDED,
            outcome=Outcome.APPROVED,
            decided_on=datetime.date(2025, 5, 6),
            source="Dialogmöte i Berga 12 mars",
            responsible_politician=politician,
            threshold=None,
            signing_ends_on=None,
        )
        SigningProposalFactory(title="Webbförslag")
        ProposalFactory(title="Ej registrerat", origin=Origin.MEETING)
        response = client.get(reverse("proposals:from_meetings"))
        html = html_of(response)
        assert response.status_code == 200 and html.count("<h1") == 1
        assert "Belysning vid skolan" in html
        assert "Dialogmöte i Berga 12 mars" in html and "Filip" in html
        assert "Bifallet" in html and "6 maj 2025" in html
        assert "Webbförslag" not in html and "Ej registrerat" not in html


class TestMyProposals:
    def test_needs_a_log_in(self, client):
        response = client.get("/mina-sidor/forslag/")
        assert response.status_code == 302 and "/konto/logga-in/" in response.url

    def test_own_proposals_in_every_status_and_those_supported(self, client):
        citizen = CitizenFactory()
        ProposalFactory(author=citizen, title="Granskas just nu")
        ProposalFactory(
            author=citizen,
            title="Avvisat",
            status=Status.REJECTED,
            rejection_reason=RejectionReason.INDIVIDUAL,
        )
        SigningProposalFactory(author=citizen, title="Publicerat")
        supported = SigningProposalFactory(title="Någon annans förslag")
        SupportFactory(proposal=supported, user=citizen)
        withdrawn = SigningProposalFactory(title="Tillbakataget stöd")
        SupportFactory(proposal=withdrawn, user=citizen, withdrawn_at=timezone.now())
        ProposalFactory(title="Helt främmande")
        client.force_login(citizen)
        response = client.get("/mina-sidor/forslag/")
        html = html_of(response)
        assert response["Cache-Control"] == "private, no-cache"
        for title in ("Granskas just nu", "Avvisat", "Publicerat", "Någon annans förslag"):
            assert title in html
        assert "Gäller beslut om en enskild person" in html
        assert "Tillbakataget stöd" not in html and "Helt främmande" not in html

    def test_my_pages_link_to_my_proposals(self, client):
        client.force_login(CitizenFactory())
        assert 'href="/mina-sidor/forslag/"' in html_of(client.get("/mina-sidor/"))


# --- HTTP caching -----------------------------------------------------------------------------


class TestCaching:
    def test_logged_in_pages_are_private(self, client):
        proposal = SigningProposalFactory()
        client.force_login(CitizenFactory())
        for path in (LIST, proposal.get_absolute_url(), "/forslag/fran-dialoger/"):
            response = client.get(path)
            assert response["Cache-Control"] == "private, no-cache", path
            assert "Cookie" in response["Vary"], path

    def test_anonymous_pages_are_shared_when_they_carry_no_csrf_token(
        self, client, shared_caching, settings
    ):
        settings.PROPOSALS_CACHE_MAX_AGE = 10
        settings.PROPOSALS_CACHE_STALE = 30
        proposal = SigningProposalFactory()
        for path in (LIST, proposal.get_absolute_url(), "/forslag/fran-dialoger/"):
            response = client.get(path)
            cache_control = {part.strip() for part in response["Cache-Control"].split(",")}
            assert cache_control == {"public", "max-age=10", "stale-while-revalidate=30"}, path
            assert "Cookie" in response["Vary"], path
            assert not response.cookies, path  # no CSRF or session cookie to share
            assert "csrfmiddlewaretoken" not in html_of(response), path

    def test_language_switch_still_works_from_a_shared_page(self, shared_caching):
        client = Client(enforce_csrf_checks=True)
        form = html_of(client.get(LIST)).split('class="language-switch"')[1].split("</form>")[0]
        assert "csrfmiddlewaretoken" not in form
        response = client.post(reverse("set_language"), {"language": "en", "next": LIST})
        assert response.status_code == 302
        assert '<html lang="en">' in html_of(client.get(LIST))

    def test_the_site_exempts_the_language_switch_so_public_pages_are_shared(self, client):
        # torget/urls.py exempts set_language from CSRF; a page with a token is never shared.
        response = client.get(LIST)
        assert response["Cache-Control"].startswith("public")
        assert "csrfmiddlewaretoken" not in html_of(response)

    def test_a_visitor_with_a_session_gets_a_private_page(self, client, shared_caching):
        proposal = SigningProposalFactory()
        client.cookies["sessionid"] = verified_session(VerificationFactory())
        response = client.get(proposal.get_absolute_url())
        assert response["Cache-Control"] == "private, no-cache"

    def test_a_fresh_e_id_step_makes_the_page_personal(self, client, shared_caching):
        proposal = SigningProposalFactory()
        verification = VerificationFactory()
        SupportFactory(proposal=proposal, person_key=verification.person_key)
        client.cookies[EID_COOKIE] = verification_token(verification)
        response = client.get(proposal.get_absolute_url())
        assert response["Cache-Control"] == "private, no-cache"
        assert "Du stödjer det här förslaget." in html_of(response)

    def test_author_view_of_an_unpublished_proposal_is_private(self, client, shared_caching):
        proposal = ProposalFactory()
        client.force_login(proposal.author)
        assert client.get(proposal.get_absolute_url())["Cache-Control"] == "private, no-cache"
