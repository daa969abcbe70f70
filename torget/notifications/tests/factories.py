import factory
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from torget.geo.tests.factories import AreaFactory
from torget.notifications.models import Subscription


class SubscriptionFactory(factory.django.DjangoModelFactory):
    """A confirmed e-mail subscription to an area, without an account (and a confirmed
    number, when `phone` is given)."""

    class Meta:
        model = Subscription
        exclude = ["target"]

    target = factory.SubFactory(AreaFactory)
    target_type = factory.LazyAttribute(lambda o: ContentType.objects.get_for_model(o.target))
    target_id = factory.LazyAttribute(lambda o: o.target.pk)
    email = factory.Sequence(lambda n: f"foljare{n}@example.se")
    phone = ""
    confirmed_at = factory.LazyFunction(timezone.now)
    # A number on a confirmed subscription has had its code typed back.
    phone_confirmed_at = factory.LazyAttribute(lambda o: timezone.now() if o.phone else None)
