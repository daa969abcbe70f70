import datetime

import factory

from torget.accounts.roles import Role
from torget.accounts.tests.factories import UserFactory
from torget.organisation.models import (
    Administration,
    Body,
    BodyKind,
    BodyMembership,
    Employment,
    MemberRole,
    Party,
    Topic,
    Unit,
)


class PartyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Party
        django_get_or_create = ["abbreviation"]

    abbreviation = factory.Sequence(lambda n: f"P{n}")
    name = factory.LazyAttribute(lambda o: f"Partiet {o.abbreviation}")


class BodyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Body

    kind = BodyKind.COMMITTEE
    name = factory.Sequence(lambda n: f"Nämnd {n}")
    slug = factory.Sequence(lambda n: f"namnd-{n}")
    abbreviation = factory.Sequence(lambda n: f"N{n}")


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BodyMembership

    body = factory.SubFactory(BodyFactory)
    person = factory.SubFactory(UserFactory, role=Role.ELECTED)
    party = factory.SubFactory(PartyFactory)
    role = MemberRole.MEMBER
    started_on = datetime.date(2023, 1, 1)


class AdministrationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Administration

    name = factory.Sequence(lambda n: f"Förvaltning {n}")
    slug = factory.Sequence(lambda n: f"forvaltning-{n}")


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit

    administration = factory.SubFactory(AdministrationFactory)
    name = factory.Sequence(lambda n: f"Enhet {n}")


class EmploymentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Employment

    person = factory.SubFactory(UserFactory, role=Role.OFFICIAL)
    administration = factory.SubFactory(AdministrationFactory)
    title = "Handläggare"


class TopicFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Topic
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"Ämne {n}")
    slug = factory.Sequence(lambda n: f"amne-{n}")
