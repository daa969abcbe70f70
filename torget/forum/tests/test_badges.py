"""Role badges only for real roles: read from the organisation's records today, never from
anything the poster says."""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from torget.accounts.roles import Role
from torget.accounts.services import account_close
from torget.accounts.tests.factories import CitizenFactory, UserFactory, user_with_role
from torget.forum.badges import Badge, badges_for
from torget.organisation.tests.factories import (
    AdministrationFactory,
    BodyFactory,
    EmploymentFactory,
    MembershipFactory,
    UnitFactory,
)

pytestmark = pytest.mark.django_db

YESTERDAY = timezone.localdate() - datetime.timedelta(days=1)


def politician(body_name: str = "Barn- och ungdomsnämnden", **values):
    return MembershipFactory(body=BodyFactory(name=body_name), **values).person


def official(administration_name: str = "Stadsbyggnad"):
    administration = AdministrationFactory(name=administration_name)
    return EmploymentFactory(
        administration=administration, unit=UnitFactory(administration=administration)
    ).person


class TestRealRoles:
    def test_a_current_seat_gives_the_politician_badge_of_its_body(self):
        assert badges_for(politician()) == [
            Badge("politiker", "Politiker, Barn- och ungdomsnämnden")
        ]

    def test_a_current_employment_gives_the_official_badge_of_its_administration(self):
        assert badges_for(official()) == [Badge("tjansteperson", "Tjänsteperson, Stadsbyggnad")]

    def test_seats_in_two_bodies_give_one_badge_each(self):
        person = politician("Kommunstyrelsen")
        MembershipFactory(person=person, body=BodyFactory(name="Barn- och ungdomsnämnden"))
        assert [badge.label for badge in badges_for(person)] == [
            "Politiker, Barn- och ungdomsnämnden",
            "Politiker, Kommunstyrelsen",
        ]

    def test_a_politician_who_is_also_employed_has_both_politician_first(self):
        person = politician()
        EmploymentFactory(person=person, administration=AdministrationFactory(name="Stadsbyggnad"))
        assert [badge.kind for badge in badges_for(person)] == ["politiker", "tjansteperson"]

    def test_finding_the_badges_takes_at_most_two_queries(self, django_assert_max_num_queries):
        person = politician()
        for n in range(3):
            MembershipFactory(person=person, body=BodyFactory(name=f"Nämnd {n} för badges"))
            EmploymentFactory(person=person, administration=AdministrationFactory())
        with django_assert_max_num_queries(2):
            assert len(badges_for(person)) == 7


class TestNoRole:
    def test_a_citizen_has_no_badge(self):
        assert badges_for(CitizenFactory()) == []

    def test_an_anonymous_visitor_has_no_badge(self, django_assert_num_queries):
        with django_assert_num_queries(0):
            assert badges_for(AnonymousUser()) == []
        assert badges_for(None) == []

    def test_a_staff_role_without_a_seat_or_employment_gives_no_badge(self):
        """Being in the 'elected' or 'official' group is not a role in the records."""
        assert badges_for(user_with_role(Role.ELECTED)) == []
        assert badges_for(user_with_role(Role.OFFICIAL)) == []

    def test_an_ended_seat_gives_no_badge(self):
        person = politician(started_on=datetime.date(2019, 1, 1), ended_on=YESTERDAY)
        assert badges_for(person) == []

    def test_a_seat_that_has_not_begun_gives_no_badge(self):
        person = politician(started_on=timezone.localdate() + datetime.timedelta(days=30))
        assert badges_for(person) == []

    def test_an_ended_seat_leaves_the_current_one(self):
        person = politician("Kommunstyrelsen", started_on=datetime.date(2019, 1, 1))
        person.body_memberships.update(ended_on=YESTERDAY)
        MembershipFactory(person=person, body=BodyFactory(name="Kulturnämnden"))
        assert [badge.label for badge in badges_for(person)] == ["Politiker, Kulturnämnden"]

    def test_a_seat_in_a_body_no_longer_active_gives_no_badge(self):
        person = politician()
        body = person.body_memberships.get().body
        body.is_active = False
        body.save()
        assert badges_for(person) == []

    def test_an_ended_employment_gives_no_badge(self):
        """An employment that ends is removed from the records (it has no end date)."""
        person = official()
        person.employments.all().delete()
        assert badges_for(person) == []

    def test_a_closed_account_has_no_badge(self):
        person = politician()
        account_close(user=person, actor=person)
        assert badges_for(person) == []

    def test_a_deactivated_account_has_no_badge(self):
        person = official()
        person.is_active = False
        person.save()
        assert badges_for(person) == []

    def test_an_unsaved_user_has_no_badge(self):
        assert badges_for(UserFactory.build()) == []
