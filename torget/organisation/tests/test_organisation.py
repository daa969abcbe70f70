import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from torget.accounts.permissions import has_perm
from torget.accounts.roles import Role
from torget.accounts.tests.factories import UserFactory
from torget.audit.models import AuditEntry
from torget.geo.tests.factories import AreaFactory
from torget.organisation.models import BodyKind, MemberRole, Municipality
from torget.organisation.selectors import municipality_get
from torget.organisation.services import membership_add, membership_end, municipality_update
from torget.organisation.tests.factories import (
    AdministrationFactory,
    BodyFactory,
    EmploymentFactory,
    MembershipFactory,
    PartyFactory,
)


@pytest.mark.django_db
class TestMunicipality:
    def test_defaults_before_anything_is_saved(self):
        municipality = municipality_get()
        assert municipality.proposal_support_threshold == 50  # seed 002
        assert municipality.pk is None

    def test_update_is_validated_and_audited(self):
        admin = UserFactory(role=Role.ADMINISTRATOR)
        municipality_update(actor=admin, name="Storeby kommun", proposal_support_threshold=100)
        assert municipality_get().proposal_support_threshold == 100
        entry = AuditEntry.objects.get(action="municipality.updated")
        assert entry.changes["proposal_support_threshold"] == [50, 100]
        with pytest.raises(ValidationError):
            municipality_update(actor=admin, map_zoom=40)
        with pytest.raises(TypeError):
            municipality_update(actor=admin, is_superuser=True)

    def test_there_is_only_one(self):
        Municipality(name="A").save()
        Municipality(name="B").save()
        assert Municipality.objects.count() == 1
        assert Municipality.objects.get().name == "B"


@pytest.mark.django_db
class TestBodiesAndMemberships:
    def test_one_council_per_municipality(self):
        BodyFactory(kind=BodyKind.COUNCIL)
        with pytest.raises(IntegrityError):
            BodyFactory(kind=BodyKind.COUNCIL)

    def test_one_chair_per_body(self):
        body = BodyFactory()
        MembershipFactory(body=body, role=MemberRole.CHAIR)
        with pytest.raises(ValidationError):
            membership_add(
                body=body, person=UserFactory(), party=PartyFactory(), role=MemberRole.CHAIR
            )

    def test_a_new_chair_after_the_old_one_ended(self):
        body = BodyFactory()
        chair = MembershipFactory(body=body, role=MemberRole.CHAIR)
        membership_end(membership=chair, ended_on=datetime.date(2025, 1, 1))
        membership_add(body=body, person=UserFactory(), party=PartyFactory(), role=MemberRole.CHAIR)
        assert (
            AuditEntry.objects.filter(action__in=["membership.ended", "membership.added"]).count()
            == 2
        )

    def test_a_seat_cannot_end_before_it_started(self):
        seat = MembershipFactory(started_on=datetime.date(2024, 1, 1))
        with pytest.raises(ValidationError):
            membership_end(membership=seat, ended_on=datetime.date(2023, 1, 1))


@pytest.mark.django_db
class TestObjectRules:
    """A role is limited to its own body, administration or area."""

    def test_presidium_may_change_its_own_body_only(self):
        own, other = BodyFactory(), BodyFactory()
        chair = MembershipFactory(body=own, role=MemberRole.CHAIR).person
        member = MembershipFactory(body=own, role=MemberRole.MEMBER).person
        assert has_perm(chair, "organisation.change_body", own)
        assert not has_perm(chair, "organisation.change_body", other)
        assert not has_perm(member, "organisation.change_body", own)

    def test_a_former_chair_loses_the_right(self):
        body = BodyFactory()
        seat = MembershipFactory(body=body, role=MemberRole.CHAIR)
        membership_end(membership=seat)
        assert not has_perm(seat.person, "organisation.change_body", body)

    def test_administrator_may_change_every_body(self):
        admin = UserFactory(role=Role.ADMINISTRATOR)
        assert has_perm(admin, "organisation.change_body", BodyFactory())

    def test_contact_person_may_change_own_administration_only(self):
        own, other = AdministrationFactory(), AdministrationFactory()
        contact = EmploymentFactory(administration=own, is_contact_person=True).person
        official = EmploymentFactory(administration=own, is_contact_person=False).person
        assert has_perm(contact, "organisation.change_administration", own)
        assert not has_perm(contact, "organisation.change_administration", other)
        assert not has_perm(official, "organisation.change_administration", own)

    def test_safety_coordinator_covers_own_areas_and_the_areas_inside_them(self):
        town = AreaFactory()
        district = AreaFactory(parent=town)
        elsewhere = AreaFactory()
        coordinator = UserFactory(role=Role.SAFETY_COORDINATOR)
        EmploymentFactory(person=coordinator).areas.add(town)
        perm = "organisation.coordinate_safety_in_area"
        assert has_perm(coordinator, perm, town)
        assert has_perm(coordinator, perm, district)
        assert not has_perm(coordinator, perm, elsewhere)

    def test_an_official_covering_an_area_is_not_a_safety_coordinator(self):
        area = AreaFactory()
        official = UserFactory(role=Role.OFFICIAL)
        EmploymentFactory(person=official).areas.add(area)
        assert not has_perm(official, "organisation.coordinate_safety_in_area", area)

    def test_inactive_users_have_no_rights(self):
        admin = UserFactory(role=Role.ADMINISTRATOR, is_active=False)
        assert not has_perm(admin, "organisation.change_body", BodyFactory())
