import datetime

import factory
from django.utils import timezone

from torget.accounts.tests.factories import CitizenFactory
from torget.organisation.tests.factories import TopicFactory
from torget.proposals.models import Proposal, Status, Support


class ProposalFactory(factory.django.DjangoModelFactory):
    """A proposal waiting for moderation; SigningProposalFactory for a published one."""

    class Meta:
        model = Proposal

    title = factory.Sequence(lambda n: f"Förslag nummer {n}")
    body = "Bygg en cykelbana längs ån så att barnen kan cykla säkert till skolan."
    topic = factory.SubFactory(TopicFactory)
    author = factory.SubFactory(CitizenFactory)
    author_name = factory.LazyAttribute(lambda o: o.author.public_name if o.author else "Anna")
    signing_days = 90


class SigningProposalFactory(ProposalFactory):
    status = Status.SIGNING
    published_at = factory.LazyFunction(timezone.now)
    signing_ends_on = factory.LazyFunction(
        lambda: timezone.localdate() + datetime.timedelta(days=90)
    )
    threshold = 50


class SupportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Support

    proposal = factory.SubFactory(SigningProposalFactory)
    person_key = factory.Sequence(lambda n: f"{n:064x}")
