"""The contact centre's and the administrations' pages under /personal/arenden/: who gets in,
the inbox's filters, each action on a case through its form, and registering a case received
by phone, e-mail or at the desk."""

import datetime
import io

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from freezegun import freeze_time
from PIL import Image

from torget.accounts.roles import Role
from torget.accounts.tests.factories import CitizenFactory, UserFactory
from torget.audit.models import AuditEntry
from torget.feedback import services
from torget.feedback.models import (
    Case,
    CaseStatus,
    CaseUpdate,
    Kind,
    ReplyChannel,
    Source,
    UpdateKind,
)
from torget.feedback.tests.factories import CategoryFactory, OpinionCategoryFactory, make_case
from torget.geo.tests.factories import AreaFactory, square
from torget.notifications.models import Delivery, Subscription
from torget.organisation.tests.factories import AdministrationFactory, UnitFactory

pytestmark = pytest.mark.django_db

INBOX = reverse("feedback:staff_inbox")
REGISTER = reverse("feedback:staff_register")


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def handler(client):
    user = UserFactory(role=Role.CONTACT_CENTRE, full_name="Karin Kontakt")
    client.force_login(user)
    return user


def act_url(case, action):
    return reverse("feedback:staff_act", args=[case.pk, action])


def prefixed(action, **data):
    return {f"{action}-{key}": value for key, value in data.items()}


def messages_of(response):
    return [str(message) for message in response.context["messages"]]


def status(slug):
    return CaseStatus.objects.get(slug=slug)


def numbers_in(response):
    return [case.number for case, _overdue in response.context["rows"]]


def audit_actions(case):
    return list(
        AuditEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(Case), object_id=str(case.pk)
        ).values_list("action", flat=True)
    )


# --- Who gets in -----------------------------------------------------------------------------


class TestWhoGetsIn:
    def urls(self, case):
        return [
            INBOX,
            REGISTER,
            reverse("feedback:staff_detail", args=[case.pk]),
        ]

    def test_anonymous_visitors_are_sent_to_log_in(self, client):
        case = make_case()
        for url in self.urls(case):
            response = client.get(url)
            assert response.status_code == 302, url
            assert response["Location"].startswith(reverse("accounts:login")), url
        response = client.post(act_url(case, "note"), prefixed("note", text="Hej"))
        assert response.status_code == 302
        assert not CaseUpdate.objects.filter(kind=UpdateKind.NOTE).exists()

    @pytest.mark.parametrize("role", [Role.CITIZEN, Role.ELECTED], ids=lambda r: r.value)
    def test_people_without_the_handling_permission_are_refused(self, client, role):
        case = make_case()
        client.force_login(UserFactory(role=role))
        for url in self.urls(case):
            assert client.get(url).status_code == 403, url
        response = client.post(act_url(case, "note"), prefixed("note", text="Hej"))
        assert response.status_code == 403
        assert not CaseUpdate.objects.filter(kind=UpdateKind.NOTE).exists()

    @pytest.mark.parametrize("role", [Role.CONTACT_CENTRE, Role.OFFICIAL], ids=lambda r: r.value)
    def test_contact_centre_and_officials_get_in(self, client, role):
        case = make_case()
        client.force_login(UserFactory(role=role))
        for url in self.urls(case):
            assert client.get(url).status_code == 200, url

    def test_an_unknown_case_or_action_is_not_found(self, client, handler):
        case = make_case()
        assert client.get(reverse("feedback:staff_detail", args=[case.pk + 1])).status_code == 404
        assert client.post(act_url(case, "delete")).status_code == 404

    def test_actions_only_take_post(self, client, handler):
        case = make_case()
        assert client.get(act_url(case, "note")).status_code == 405

    def test_the_back_office_start_page_links_to_the_inbox(self, client, handler):
        response = client.get(reverse("core:backoffice"))
        assert INBOX in response.content.decode()

    def test_the_start_page_has_no_inbox_link_for_elected_officials(self, client):
        client.force_login(UserFactory(role=Role.ELECTED))
        response = client.get(reverse("core:backoffice"))
        assert response.status_code == 200
        html = response.content.decode()
        assert f'href="{INBOX}"' not in html
        # They read the statistics, though.
        assert f'href="{reverse("feedback:staff_statistics")}"' in html


# --- The inbox -------------------------------------------------------------------------------


class TestInbox:
    def test_shows_open_cases_by_default_and_closed_ones_on_request(self, client, handler):
        open_case = make_case()
        closed = make_case()
        services.case_set_status(case=closed, status=status("atgardat"), actor=handler)
        response = client.get(INBOX)
        assert numbers_in(response) == [open_case.number]
        response = client.get(INBOX, {"grupp": "closed"})
        assert numbers_in(response) == [closed.number]
        response = client.get(INBOX, {"grupp": ""})
        assert set(numbers_in(response)) == {open_case.number, closed.number}

    def test_filters_by_status(self, client, handler):
        received = make_case()
        ongoing = make_case()
        services.case_set_status(case=ongoing, status=status("pagar"), actor=handler)
        response = client.get(INBOX, {"status": "pagar"})
        assert numbers_in(response) == [ongoing.number]
        response = client.get(INBOX, {"status": "mottaget"})
        assert numbers_in(response) == [received.number]

    def test_filters_overdue_cases_and_flags_them(self, client, handler):
        with freeze_time("2026-03-02 09:00:00+01:00"):  # a Monday; due five working days on
            late = make_case()
            answered = make_case()
            services.case_reply(case=answered, actor=handler, text="Vi åtgärdar det.")
        with freeze_time("2026-03-05 09:00:00+01:00"):
            fresh = make_case()
        with freeze_time("2026-03-10 12:00:00+01:00"):
            response = client.get(INBOX, {"forsenade": "on"})
            assert numbers_in(response) == [late.number]
            assert response.context["rows"][0][1] is True
            everything = client.get(INBOX)
        flags = {case.number: overdue for case, overdue in everything.context["rows"]}
        assert flags == {late.number: True, answered.number: False, fresh.number: False}
        page = everything.content.decode()
        assert page.count("Försenat<") == 1
        assert "1 försenat ärende" in page

    def test_filters_by_category_area_and_administration(self, client, handler):
        AreaFactory(slug="hela", geometry=square(15.0, 58.0, 1.0))
        north = AreaFactory(slug="norr", geometry=square(15.4, 58.4, 0.2))
        lamps = CategoryFactory(code="belysning")
        streets = AdministrationFactory(slug="samhallsbyggnad")
        in_north = make_case(category=lamps, lat=58.5, lon=15.5)
        elsewhere = make_case(category=CategoryFactory(administration=streets), lat=58.1, lon=15.1)
        assert in_north.area == north
        assert numbers_in(client.get(INBOX, {"kategori": "belysning"})) == [in_north.number]
        assert numbers_in(client.get(INBOX, {"omrade": "norr"})) == [in_north.number]
        assert numbers_in(client.get(INBOX, {"forvaltning": "samhallsbyggnad"})) == [
            elsewhere.number
        ]

    def test_filters_by_unit_and_kind(self, client, handler):
        unit = UnitFactory()
        fault = make_case()
        opinion = make_case(kind=Kind.QUESTION, description="När töms tunnorna?")
        services.case_assign(
            case=fault, actor=handler, administration=unit.administration, unit=unit
        )
        assert numbers_in(client.get(INBOX, {"enhet": unit.pk})) == [fault.number]
        assert numbers_in(client.get(INBOX, {"typ": "fraga"})) == [opinion.number]

    def test_assigned_to_me(self, client, handler):
        mine = make_case()
        make_case()
        services.case_assign(
            case=mine, actor=handler, administration=mine.administration, assignee=handler
        )
        response = client.get(INBOX, {"mina": "on"})
        assert numbers_in(response) == [mine.number]
        assert "Karin Kontakt" in response.content.decode()

    def test_free_text_finds_a_case_by_its_number(self, client, handler):
        wanted = make_case(description="Trasig gatlampa")
        make_case(description="Trasig gatlampa")
        assert numbers_in(client.get(INBOX, {"q": f" {wanted.number} "})) == [wanted.number]
        assert len(numbers_in(client.get(INBOX, {"q": "gatlampa"}))) == 2

    def test_an_empty_result_says_so_and_offers_a_way_back(self, client, handler):
        make_case()
        response = client.get(INBOX, {"q": "finns-inte"})
        page = response.content.decode()
        assert "Inga ärenden matchar filtren." in page
        assert 'href="/personal/arenden/"' in page

    def test_links_to_statistics_and_registering(self, client, handler):
        page = client.get(INBOX).content.decode()
        assert reverse("feedback:staff_statistics") in page
        assert REGISTER in page

    def test_the_table_is_accessible(self, client, handler):
        make_case()
        page = client.get(INBOX).content.decode()
        assert "<caption" in page and 'scope="col"' in page and 'scope="row"' in page
        assert page.count("<h1") == 1
        assert '<label class="label" for="id_q">' in page

    def test_a_page_costs_the_same_queries_with_more_cases(self, client, handler):
        unit = UnitFactory()
        for _ in range(2):
            case = make_case()
            services.case_assign(
                case=case,
                actor=handler,
                administration=unit.administration,
                unit=unit,
                assignee=handler,
            )
        with CaptureQueriesContext(connection) as few:
            client.get(INBOX)
        for _ in range(5):
            case = make_case()
            services.case_assign(
                case=case,
                actor=handler,
                administration=unit.administration,
                unit=unit,
                assignee=handler,
            )
        with CaptureQueriesContext(connection) as more:
            response = client.get(INBOX)
        assert len(response.context["rows"]) == 7
        assert len(more.captured_queries) == len(few.captured_queries)

    def test_pages_through_many_cases(self, client, handler, monkeypatch):
        from torget.feedback import staff_views

        monkeypatch.setattr(staff_views, "PER_PAGE", 2)
        for _ in range(3):
            make_case()
        first = client.get(INBOX)
        assert len(first.context["rows"]) == 2
        assert "sida=2" in first.content.decode()
        assert len(client.get(INBOX, {"sida": 2}).context["rows"]) == 1


# --- One case --------------------------------------------------------------------------------


class TestCasePage:
    def test_shows_the_reporter_the_history_with_notes_marked_and_the_audit_log(
        self, client, handler
    ):
        case = make_case(
            reporter_name="Per Persson",
            reporter_email="per@example.se",
            reporter_phone="070-123 45 67",
            reply_channel=ReplyChannel.PHONE,
        )
        services.case_note(case=case, actor=handler, text="Ringde gatuenheten.")
        response = client.get(case.staff_url())
        page = response.content.decode()
        assert response.status_code == 200
        for text in ("Per Persson", "per@example.se", "070-123 45 67", "Telefonsamtal"):
            assert text in page
        assert "Ringde gatuenheten." in page
        assert "intern, visas aldrig för den som anmälde" in page
        assert "Granskningslogg" in page and "Intern anteckning" in page
        assert page.count("<h1") == 1

    def test_a_phone_reply_is_recorded_as_a_call(self, client, handler):
        case = make_case(reporter_phone="070-123 45 67", reply_channel=ReplyChannel.PHONE)
        page = client.get(case.staff_url()).content.decode()
        assert "Jag har ringt" in page and "Sammanfattning av samtalet" in page
        response = client.post(
            act_url(case, "reply"),
            prefixed("reply", text="Vi pratade om lampan; den lagas i veckan."),
            follow=True,
        )
        assert messages_of(response) == ["Samtalet är registrerat som svar i ärendet."]
        update = CaseUpdate.objects.get(case=case, kind=UpdateKind.REPLY)
        assert update.channel == ReplyChannel.PHONE and update.author == handler
        assert "lagas i veckan" in update.text
        assert not Delivery.objects.filter(notification__template="feedback.reply").exists()

    def test_the_public_checkbox_is_offered_only_for_public_fault_reports(self, client, handler):
        fault = make_case()
        opinion = make_case(kind=Kind.COMPLAINT, description="Maten är kall.")
        assert "reply-public" in client.get(fault.staff_url()).content.decode()
        assert "reply-public" not in client.get(opinion.staff_url()).content.decode()


class TestActions:
    def test_status(self, client, handler):
        case = make_case()
        response = client.post(
            act_url(case, "status"),
            prefixed("status", status=status("pagar").pk, text="Vi tittar på det."),
        )
        assert response.status_code == 302 and response["Location"] == case.staff_url()
        case.refresh_from_db()
        assert case.status.slug == "pagar"
        assert CaseUpdate.objects.filter(
            case=case, kind=UpdateKind.STATUS, text="Vi tittar på det.", author=handler
        ).exists()
        assert "case.status" in audit_actions(case)
        assert messages_of(client.get(case.staff_url())) == ["Ärendet har nu status ”Pågår”."]

    def test_status_that_is_already_set_is_a_form_error(self, client, handler):
        case = make_case()
        response = client.post(
            act_url(case, "status"), prefixed("status", status=status("mottaget").pk)
        )
        assert response.status_code == 400
        assert "Ärendet har redan status ”Mottaget”." in response.content.decode()
        assert CaseUpdate.objects.filter(case=case).count() == 1

    def test_assign(self, client, handler):
        case = make_case()
        unit = UnitFactory(name="Gatuenheten")
        official = UserFactory(role=Role.OFFICIAL, full_name="Olle Officiell")
        response = client.post(
            act_url(case, "assign"),
            prefixed(
                "assign",
                administration=unit.administration.pk,
                unit=unit.pk,
                assignee=official.pk,
            ),
            follow=True,
        )
        case.refresh_from_db()
        assert (case.administration, case.unit, case.assignee) == (
            unit.administration,
            unit,
            official,
        )
        assert CaseUpdate.objects.filter(case=case, kind=UpdateKind.ASSIGNED).exists()
        assert "case.assigned" in audit_actions(case)
        assert messages_of(response) == [
            f"Ärendet är tilldelat {unit.administration.name} / Gatuenheten / Olle Officiell."
        ]

    def test_only_people_who_handle_cases_can_be_assigned(self, client, handler):
        case = make_case()
        citizen = CitizenFactory()
        form_field = client.get(case.staff_url()).context["forms"]["assign"].fields["assignee"]
        assert handler in form_field.queryset and citizen not in form_field.queryset
        response = client.post(
            act_url(case, "assign"),
            prefixed("assign", administration=case.administration.pk, assignee=citizen.pk),
        )
        assert response.status_code == 400
        case.refresh_from_db()
        assert case.assignee is None

    def test_a_unit_of_another_administration_is_a_form_error(self, client, handler):
        case = make_case()
        other_unit = UnitFactory()
        response = client.post(
            act_url(case, "assign"),
            prefixed("assign", administration=case.administration.pk, unit=other_unit.pk),
        )
        assert response.status_code == 400
        form = response.context["form"]
        assert form.errors["unit"] == ["Enheten hör inte till den valda förvaltningen."]
        assert "Det finns fel i formuläret" in response.content.decode()
        case.refresh_from_db()
        assert case.unit is None
        assert not CaseUpdate.objects.filter(case=case, kind=UpdateKind.ASSIGNED).exists()

    def test_note(self, client, handler):
        case = make_case()
        response = client.post(
            act_url(case, "note"), prefixed("note", text="Kollat med entreprenören."), follow=True
        )
        assert CaseUpdate.objects.filter(
            case=case, kind=UpdateKind.NOTE, text="Kollat med entreprenören."
        ).exists()
        assert "case.note" in audit_actions(case)
        assert messages_of(response) == ["Anteckningen är sparad. Den visas bara för personal."]

    def test_an_empty_note_is_a_form_error(self, client, handler):
        case = make_case()
        response = client.post(act_url(case, "note"), prefixed("note", text=""))
        assert response.status_code == 400
        assert response.context["form"].errors["text"]

    def test_reply_by_email_reaches_the_reporter_and_can_be_published(self, client, handler):
        case = make_case(reporter_email="anna@example.se", reply_channel=ReplyChannel.EMAIL)
        response = client.post(
            act_url(case, "reply"),
            prefixed("reply", text="Lampan är lagad.", public="on", status=status("atgardat").pk),
            follow=True,
        )
        case.refresh_from_db()
        assert case.status.slug == "atgardat" and not case.is_open
        assert case.first_response_at is not None
        update = CaseUpdate.objects.get(case=case, kind=UpdateKind.PUBLIC_REPLY)
        assert update.text == "Lampan är lagad." and update.channel == ReplyChannel.EMAIL
        delivery = Delivery.objects.get(notification__template="feedback.reply")
        assert delivery.to == "anna@example.se"
        assert delivery.notification.context["text"] == "Lampan är lagad."
        assert "case.replied" in audit_actions(case)
        assert messages_of(response) == [
            "Svaret skickas med e-post till anna@example.se. I historiken ser du när det har "
            "gått iväg. Det visas också på felanmälans publika sida. Ärendet har nu status "
            "”Åtgärdat”."
        ]

    def test_an_opinion_cannot_get_a_public_reply(self, client, handler):
        case = make_case(kind=Kind.COMPLAINT, description="Maten är kall.")
        client.post(act_url(case, "reply"), prefixed("reply", text="Tack!", public="on"))
        # The checkbox is not on an opinion's form: the answer is saved privately.
        assert CaseUpdate.objects.filter(case=case, kind=UpdateKind.REPLY).exists()
        assert not CaseUpdate.objects.filter(case=case, kind=UpdateKind.PUBLIC_REPLY).exists()

    def test_merge_asks_first_then_merges_by_number(self, client, handler):
        into = make_case()
        duplicate = make_case()
        Subscription.objects.create(
            email="granne@example.se",
            target_type=ContentType.objects.get_for_model(Case),
            target_id=duplicate.pk,
        )
        confirm = client.post(act_url(duplicate, "merge"), prefixed("merge", number=into.number))
        assert confirm.status_code == 200
        page = confirm.content.decode()
        assert f"Slå ihop ärende {duplicate.number} med {into.number}?" in page
        duplicate.refresh_from_db()
        assert duplicate.merged_into is None

        response = client.post(
            act_url(duplicate, "merge"),
            prefixed("merge", number=into.number, confirm="1"),
            follow=True,
        )
        duplicate.refresh_from_db()
        assert duplicate.merged_into == into and not duplicate.is_open
        assert CaseUpdate.objects.filter(case=duplicate, kind=UpdateKind.MERGED).exists()
        assert CaseUpdate.objects.filter(case=into, kind=UpdateKind.MERGED).exists()
        assert "case.merged" in audit_actions(duplicate)
        assert Subscription.objects.get(email="granne@example.se").target_id == into.pk
        assert messages_of(response)[0].startswith(
            f"Ärende {duplicate.number} är sammanslaget med {into.number}"
        )
        # A merged case takes no more replies or statuses.
        forms = response.context["forms"]
        assert "reply" not in forms and "status" not in forms and "merge" not in forms

    @pytest.mark.parametrize("number", ["2099-99999", "self"])
    def test_merge_needs_the_number_of_another_existing_case(self, client, handler, number):
        case = make_case()
        response = client.post(
            act_url(case, "merge"),
            prefixed("merge", number=case.number if number == "self" else number, confirm="1"),
        )
        assert response.status_code == 400
        assert response.context["form"].errors["number"]
        case.refresh_from_db()
        assert case.merged_into is None

    def test_merging_into_a_merged_case_is_refused_with_the_reason(self, client, handler):
        first, second, third = make_case(), make_case(), make_case()
        services.case_merge(duplicate=second, into=first, actor=handler)
        response = client.post(
            act_url(third, "merge"), prefixed("merge", number=second.number, confirm="1")
        )
        assert response.status_code == 400
        assert "självt sammanslaget" in response.content.decode()
        third.refresh_from_db()
        assert third.merged_into is None

    def test_visibility_hides_and_publishes_a_description(self, client, handler):
        case = make_case()
        response = client.post(
            act_url(case, "visibility"),
            prefixed("visibility", public_description="Trasig lampa vid hållplatsen."),
            follow=True,
        )
        case.refresh_from_db()
        assert not case.is_public
        assert case.public_description == "Trasig lampa vid hållplatsen."
        assert CaseUpdate.objects.filter(case=case, kind=UpdateKind.VISIBILITY).exists()
        assert "case.visibility" in audit_actions(case)
        assert messages_of(response) == ["Felanmälan visas inte längre publikt."]

    def test_opinions_have_no_visibility_form(self, client, handler):
        case = make_case(kind=Kind.PRAISE, description="Bra bibliotek!")
        assert "visibility" not in client.get(case.staff_url()).context["forms"]
        response = client.post(act_url(case, "visibility"), prefixed("visibility", is_public="on"))
        assert response.status_code == 400
        case.refresh_from_db()
        assert not case.is_public


def _photo_case():
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "white").save(buffer, "JPEG")
    return make_case(photos=[ContentFile(buffer.getvalue(), name="foto.jpg")])


class TestPhotos:
    def test_hide_and_show_a_photo(self, client, handler):
        case = _photo_case()
        photo = case.photos.get()
        page = client.get(case.staff_url()).content.decode()
        assert photo.staff_url() in page and "Dölj fotot från den publika sidan" in page
        response = client.post(
            act_url(case, "photo_hide"), prefixed("photo_hide", photo=photo.pk), follow=True
        )
        photo.refresh_from_db()
        assert not photo.is_public
        assert messages_of(response) == ["Fotot är dolt från den publika sidan."]
        assert CaseUpdate.objects.filter(case=case, kind=UpdateKind.PHOTO_REDACTED).exists()
        assert "case.photo_visibility" in audit_actions(case)
        client.post(act_url(case, "photo_show"), prefixed("photo_show", photo=photo.pk))
        photo.refresh_from_db()
        assert photo.is_public

    def test_a_photo_of_another_case_is_refused(self, client, handler):
        case = make_case()
        other_photo = _photo_case().photos.get()
        response = client.post(
            act_url(case, "photo_hide"), prefixed("photo_hide", photo=other_photo.pk)
        )
        assert response.status_code == 400
        other_photo.refresh_from_db()
        assert other_photo.is_public

    def test_redact_blacks_out_the_box_for_good(self, client, handler):
        case = _photo_case()
        photo = case.photos.get()
        old_name = photo.image.name
        page = client.get(case.staff_url()).content.decode()
        assert f'id="id_photo_redact-x_{photo.pk}"' in page
        response = client.post(
            act_url(case, "photo_redact"),
            prefixed("photo_redact", photo=photo.pk, x="0", y="0", width="50", height="50"),
            follow=True,
        )
        photo.refresh_from_db()
        assert photo.redacted_at is not None and photo.image.name != old_name
        assert not photo.image.storage.exists(old_name)
        with photo.image.open("rb") as handle:
            image = Image.open(handle)
            image.load()
        assert max(image.getpixel((2, 2))) < 30  # blacked out
        assert min(image.getpixel((35, 25))) > 220  # untouched
        assert messages_of(response) == [
            "Den markerade delen av fotot är svärtad. Originalet finns inte kvar."
        ]
        assert "case.photo_redacted" in audit_actions(case)
        assert CaseUpdate.objects.filter(case=case, kind=UpdateKind.PHOTO_REDACTED).exists()

    def test_a_redaction_box_outside_the_photo_is_a_form_error(self, client, handler):
        case = _photo_case()
        photo = case.photos.get()
        response = client.post(
            act_url(case, "photo_redact"),
            prefixed("photo_redact", photo=photo.pk, x="60", y="0", width="50", height="10"),
        )
        assert response.status_code == 400
        assert "Området går utanför fotot" in response.content.decode()
        photo.refresh_from_db()
        assert photo.redacted_at is None


# --- Registering a case for a citizen --------------------------------------------------------


class TestRegister:
    def test_a_phone_call_becomes_a_case_with_its_source_and_the_staff_member_in_the_log(
        self, client, handler
    ):
        category = OpinionCategoryFactory(name="Skola")
        response = client.post(
            REGISTER,
            {
                "source": Source.PHONE,
                "kind": Kind.COMPLAINT,
                "category": category.pk,
                "description": "Skolmaten är kall.",
                "reporter_name": "Sven Svensson",
                "reporter_email": "sven@example.se",
                "reply_channel": ReplyChannel.EMAIL,
            },
            follow=True,
        )
        case = Case.objects.get()
        assert response.redirect_chain == [(case.staff_url(), 302)]
        assert case.source == Source.PHONE and case.kind == Kind.COMPLAINT
        assert case.reporter is None and case.reporter_email == "sven@example.se"
        entry = AuditEntry.objects.get(action="case.created", object_id=str(case.pk))
        assert entry.actor == handler
        assert entry.changes["source"] == Source.PHONE
        assert messages_of(response) == [
            f"Ärende {case.number} är registrerat. Ett kvitto med ärendenumret är skickat "
            "med e-post."
        ]
        assert Delivery.objects.get(notification__template="feedback.received").to == (
            "sven@example.se"
        )

    def test_a_fault_at_the_desk_by_coordinates(self, client, handler):
        AreaFactory(geometry=square(15.0, 58.0, 1.0))
        category = CategoryFactory()
        client.post(
            REGISTER,
            {
                "source": Source.DESK,
                "kind": Kind.FAULT,
                "category": category.pk,
                "description": "Hål i gångvägen.",
                "lat": "58.5",
                "lon": "15.5",
                "reply_channel": ReplyChannel.NONE,
            },
        )
        case = Case.objects.get()
        assert case.source == Source.DESK and case.area is not None and case.is_public

    def test_a_category_of_the_wrong_kind_is_a_form_error(self, client, handler):
        category = OpinionCategoryFactory()
        response = client.post(
            REGISTER,
            {
                "source": Source.EMAIL,
                "kind": Kind.FAULT,
                "category": category.pk,
                "description": "Trasig lampa.",
                "address": "Storgatan 1",
                "reply_channel": ReplyChannel.NONE,
            },
        )
        assert response.status_code == 200
        assert response.context["form"].errors["category"]
        assert not Case.objects.exists()

    def test_the_services_checks_come_back_as_form_errors(self, client, handler):
        category = CategoryFactory()
        response = client.post(
            REGISTER,
            {
                "source": Source.PHONE,
                "kind": Kind.FAULT,
                "category": category.pk,
                "description": "Trasig lampa.",
                "reply_channel": ReplyChannel.SMS,
            },
        )
        errors = response.context["form"].errors
        assert "address" in errors and "reporter_phone" in errors
        assert not Case.objects.exists()

    def test_the_form_offers_only_the_staff_channels(self, client, handler):
        form = client.get(REGISTER).context["form"]
        assert [value for value, _label in form.fields["source"].choices] == [
            "telefon",
            "epost",
            "besok",
        ]


# --- What the citizen sees -------------------------------------------------------------------


def test_internal_notes_never_reach_the_reporters_follow_page(client, handler):
    case = make_case()
    client.post(act_url(case, "note"), prefixed("note", text="Hemlig intern anteckning"))
    client.post(act_url(case, "reply"), prefixed("reply", text="Vi har tagit emot det."))
    client.logout()
    response = client.get(case.follow_url())
    page = response.content.decode()
    assert response.status_code == 200
    assert "Vi har tagit emot det." in page
    assert "Hemlig intern anteckning" not in page


def test_the_due_date_shown_counts_working_days(client, handler):
    with freeze_time("2026-12-23 10:00:00+01:00"):
        case = make_case()
    page = client.get(case.staff_url()).content.decode()
    assert case.respond_by == datetime.date(2027, 1, 5)
    assert "2027-01-05" in page


def test_the_case_page_shows_the_extra_questions_by_their_text(client):
    from torget.feedback.models import CategoryAttribute

    handler = UserFactory(role=Role.CONTACT_CENTRE)
    category = CategoryFactory()
    CategoryAttribute.objects.create(
        category=category, code="stolpnummer", description="Stolpens nummer"
    )
    case = make_case(category=category, attributes={"stolpnummer": "12-345", "gammal": ["a", "b"]})
    client.force_login(handler)
    html = client.get(case.staff_url()).content.decode()
    assert "<dt>Stolpens nummer</dt><dd>12-345</dd>" in html
    assert "<dt>gammal</dt><dd>a, b</dd>" in html
