"""The invitations to an inspection: contacts per invited group, the invitation by e-mail
and SMS that always reaches the utskott, and the coordinators' season warning."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from freezegun import freeze_time

from torget.accounts.roles import Role
from torget.accounts.tests.factories import user_with_role
from torget.audit.models import AuditEntry
from torget.councils.tests.factories import coordinator, member, place, safety_council
from torget.inspections import invitations, services
from torget.inspections.models import (
    GroupContact,
    InspectionStatus,
    InvitedGroup,
    Season,
    SeasonWarning,
)
from torget.inspections.tests.factories import inspection
from torget.inspections.workflow import InspectionError
from torget.notifications import sms
from torget.notifications.models import Notification

pytestmark = pytest.mark.django_db

DAY = datetime.date(2026, 9, 14)
EMAIL = "nattvandrarna@example.se"
PHONE = "070-174 06 10"
PHONE_E164 = "+46701740610"


def _planned(where=None, actor=None, **values):
    actor = actor or coordinator()
    council = safety_council(where or place(), actor)
    values.setdefault("starts_at", datetime.time(18, 0))
    values.setdefault(
        "route", {"type": "LineString", "coordinates": [[15.6214, 58.4108], [15.625, 58.412]]}
    )
    values.setdefault("description", "Genom centrum och ner mot gångtunneln.")
    return inspection(council, DAY, actor, **values), actor


class TestContacts:
    def test_a_group_gets_contacts_by_e_mail_and_mobile_number_normalised(self):
        planned, actor = _planned()
        contact = invitations.contact_add(
            actor=actor,
            inspection=planned,
            group=InvitedGroup.NIGHT_WALKERS,
            name="Nattvandrarna",
            email=" Nattvandrarna@Example.se ",
            phone=PHONE,
        )
        assert (contact.email, contact.phone) == (EMAIL, PHONE_E164)
        assert contact.phone_display == "070-174 06 10"
        assert AuditEntry.objects.filter(action="inspection.contact_added").exists()

    @pytest.mark.parametrize(
        ("email", "phone", "field"),
        [("", "", "email"), ("inte-en-adress", "", "email"), ("", "013-20 00 00", "phone")],
    )
    def test_a_contact_needs_an_address_or_a_mobile_number(self, email, phone, field):
        planned, actor = _planned()
        with pytest.raises(InspectionError) as error:
            invitations.contact_add(
                actor=actor, inspection=planned, group="polis", email=email, phone=phone
            )
        assert field in error.value.message_dict

    def test_contact_only_for_a_group_that_is_invited(self):
        actor = coordinator()
        planned = inspection(safety_council(place(), actor), DAY, actor, groups=["polis"])
        with pytest.raises(InspectionError):
            invitations.contact_add(actor=actor, inspection=planned, group="skolor", email=EMAIL)

    def test_only_coordinators_add_and_remove_contacts(self):
        planned, actor = _planned()
        official = user_with_role(Role.OFFICIAL)
        with pytest.raises(PermissionDenied):
            invitations.contact_add(actor=official, inspection=planned, group="polis", email=EMAIL)
        contact = invitations.contact_add(
            actor=actor, inspection=planned, group="polis", email=EMAIL
        )
        with pytest.raises(PermissionDenied):
            invitations.contact_remove(actor=official, contact=contact)
        invitations.contact_remove(actor=actor, contact=contact)
        assert not GroupContact.objects.exists()

    def test_the_next_inspection_of_the_council_starts_with_the_contacts(self):
        planned, actor = _planned()
        invitations.contact_add(actor=actor, inspection=planned, group="polis", email=EMAIL)
        invitations.contact_add(actor=actor, inspection=planned, group="skolor", phone=PHONE)
        later = inspection(
            planned.council, datetime.date(2027, 5, 4), actor, groups=["polis", "boende"]
        )
        copied = GroupContact.objects.filter(group__inspection=later)
        assert [(c.group.group, c.email) for c in copied] == [("polis", EMAIL)]

    def test_coordinator_adds_and_removes_a_contact_from_the_inspection_page(self, client):
        planned, actor = _planned()
        client.force_login(actor)
        url = reverse("inspections:staff_action", args=[planned.pk, "kontakt"])
        page = client.post(url, {"kontakt-group": "polis", "kontakt-phone": "12"}, follow=True)
        assert page.status_code == 400
        assert "Numret finns inte" in page.content.decode()
        page = client.post(
            url,
            {"kontakt-group": "polis", "kontakt-name": "Områdespolisen", "kontakt-email": EMAIL},
            follow=True,
        )
        assert "Kontakten är tillagd" in page.content.decode()
        assert EMAIL in page.content.decode()
        contact = GroupContact.objects.get()
        remove = reverse("inspections:staff_contact_remove", args=[planned.pk, contact.pk])
        page = client.post(remove, follow=True)
        assert "Kontakten är borttagen" in page.content.decode()
        assert EMAIL not in page.content.decode()

    def test_utskott_member_who_reads_the_inspection_sees_no_contacts_and_cannot_add(self, client):
        where = place()
        planned, actor = _planned(where)
        invitations.contact_add(actor=actor, inspection=planned, group="polis", email=EMAIL)
        client.force_login(where.utskott_member)
        page = client.get(planned.get_absolute_url())
        assert page.status_code == 200
        assert EMAIL not in page.content.decode()
        url = reverse("inspections:staff_action", args=[planned.pk, "kontakt"])
        assert (
            client.post(
                url, {"kontakt-group": "polis", "kontakt-email": "x@example.se"}
            ).status_code
            == 403
        )
        contact = GroupContact.objects.get()
        remove = reverse("inspections:staff_contact_remove", args=[planned.pk, contact.pk])
        assert client.post(remove).status_code == 403
        assert (
            client.post(
                reverse("inspections:staff_action", args=[planned.pk, "inbjudan"])
            ).status_code
            == 403
        )

    def test_contacts_are_never_in_the_public_protocol(self, client):
        planned, actor = _planned()
        invitations.contact_add(
            actor=actor,
            inspection=planned,
            group="polis",
            name="Kim Kontakt",
            email=EMAIL,
            phone=PHONE,
        )
        with freeze_time(DAY + datetime.timedelta(days=1)):
            services.inspection_mark_held(actor=actor, inspection=planned)
            services.attendance_record(actor=actor, inspection=planned, attended=["polis"])
            services.inspection_protocol_done(actor=actor, inspection=planned)
            services.protocol_publish(actor=actor, inspection=planned)
        page = client.get(planned.public_url()).content.decode()
        for detail in ("Kim Kontakt", EMAIL, "070-174", PHONE_E164):
            assert detail not in page


class TestInvitation:
    def test_invitation_reaches_contacts_by_e_mail_and_sms_and_always_the_utskott(self, drain):
        where = place()
        planned, actor = _planned(where)
        invitations.contact_add(actor=actor, inspection=planned, group="nattvandrare", email=EMAIL)
        invitations.contact_add(actor=actor, inspection=planned, group="polis", phone=PHONE)
        counts = invitations.invitation_send(actor=actor, inspection=planned)
        assert counts["emails"] == 1 and counts["phones"] == 1
        drain()
        by_address = {message.to[0]: message for message in mail.outbox}
        assert set(by_address) == {EMAIL, where.utskott_member.email}
        for message in by_address.values():
            assert "Vid centrumtorget" in message.body
            assert "18:00" in message.body
            assert "Genom centrum och ner mot gångtunneln." in message.body
            assert "58.41080, 15.62140" in message.body
            calendar = [a for a in message.attachments if "calendar" in str(a)]
            assert calendar, message.attachments
        # Only the utskott gets the link to the staff page.
        assert planned.get_absolute_url() in by_address[where.utskott_member.email].body
        assert planned.get_absolute_url() not in by_address[EMAIL].body
        assert [text.to for text in sms.outbox] == [PHONE_E164]
        assert "18:00" in sms.outbox[0].message
        planned.refresh_from_db()
        assert planned.invited_at is not None
        assert AuditEntry.objects.filter(action="inspection.invited").exists()

    def test_invitation_goes_to_the_utskott_even_when_no_group_has_contacts(self, drain):
        where = place()
        planned, actor = _planned(where)
        invitations.invitation_send(actor=actor, inspection=planned)
        drain()
        assert [message.to for message in mail.outbox] == [[where.utskott_member.email]]
        assert sms.outbox == []

    def test_council_members_are_invited_as_the_councils_representatives(self, drain):
        where = place()
        actor = coordinator()
        council = safety_council(where, actor)
        member(council, actor, email="anna.berg@example.se", phone="070-174 06 11")
        planned = inspection(council, DAY, actor)
        invitations.invitation_send(actor=actor, inspection=planned)
        drain()
        assert "anna.berg@example.se" in {message.to[0] for message in mail.outbox}
        assert [text.to for text in sms.outbox] == ["+46701740611"]

    def test_no_council_members_when_the_council_is_not_an_invited_group(self):
        actor = coordinator()
        council = safety_council(place(), actor)
        member(council, actor, email="anna.berg@example.se")
        planned = inspection(council, DAY, actor, groups=["polis"])
        counts = invitations.invitation_send(actor=actor, inspection=planned)
        assert counts["emails"] == 0

    def test_changed_invitation_is_sent_again_with_a_higher_calendar_sequence(self, client):
        planned, actor = _planned()
        client.force_login(actor)
        page = client.get(planned.get_absolute_url()).content.decode()
        assert "Skicka inbjudan" in page and "Skicka ändrad inbjudan" not in page
        answer = client.post(
            reverse("inspections:staff_action", args=[planned.pk, "inbjudan"]), follow=True
        )
        assert "Inbjudan är skickad" in answer.content.decode()
        assert "Skicka ändrad inbjudan" in answer.content.decode()
        services.inspection_update(actor=actor, inspection=planned, meeting_point="Vid skolan")
        client.post(reverse("inspections:staff_action", args=[planned.pk, "andrad-inbjudan"]))
        planned.refresh_from_db()
        assert planned.invitation_sequence == 1
        changed = Notification.objects.filter(template="inspections.invitation").last()
        assert changed.context["changed"] is True
        assert changed.context["meeting_point"] == "Vid skolan"
        assert "SEQUENCE:1" in invitations.calendar(planned)
        assert AuditEntry.objects.filter(action="inspection.invitation_changed").exists()

    def test_only_a_planned_inspection_is_invited_to(self):
        planned, actor = _planned()
        services.inspection_cancel(actor=actor, inspection=planned, reason="Regn.")
        with pytest.raises(InspectionError):
            invitations.invitation_send(actor=actor, inspection=planned)

    def test_only_coordinators_send_the_invitation(self):
        planned, _ = _planned()
        with pytest.raises(PermissionDenied):
            invitations.invitation_send(actor=user_with_role(Role.OFFICIAL), inspection=planned)


class TestSeasonWarning:
    def _tick(self):
        from django.apps import apps

        return apps.get_app_config("inspections").on_tick()

    def test_coordinators_are_warned_once_within_four_weeks_of_the_seasons_end(self, drain):
        council = safety_council(place())
        warned = coordinator()
        with freeze_time("2026-11-10"):
            assert self._tick() == {"season_warnings": 1}
            assert self._tick() == {"season_warnings": 0}
        warning = SeasonWarning.objects.get()
        assert (warning.council, warning.year, warning.season) == (council, 2026, Season.AUTUMN)
        drain()
        messages = [m for m in mail.outbox if m.to == [warned.email]]
        assert len(messages) == 1
        assert council.name in messages[0].body
        assert "30 november 2026" in messages[0].body
        assert reverse("inspections:staff_plan") in messages[0].body

    def test_no_warning_before_the_window_nor_after_the_season_ended(self):
        safety_council(place())
        coordinator()
        for day in ("2026-10-01", "2026-12-05"):
            with freeze_time(day):
                assert self._tick() == {"season_warnings": 0}
        assert not SeasonWarning.objects.exists()

    def test_no_warning_when_the_season_has_an_inspection_planned(self):
        actor = coordinator()
        council = safety_council(place(), actor)
        inspection(council, datetime.date(2026, 11, 20), actor)
        with freeze_time("2026-11-10"):
            assert self._tick() == {"season_warnings": 0}
        assert InspectionStatus.PLANNED == council.inspections.get().status
