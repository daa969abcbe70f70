"""Demo data for bevakningar: followers of Berga who chose SMS, one whose number is confirmed
and one whose number still waits for the code sent to it."""

import datetime

from django.contrib.contenttypes.models import ContentType

from torget.accounts.roles import Role
from torget.core import demo
from torget.core.demo import DemoContext
from torget.notifications.models import Frequency, Subscription

# Numbers set aside by the Swedish telecom regulator (PTS) for use in fiction.
CITIZEN_PHONE = "+46701740605"
STRANGER_PHONE = "+46701740606"
# A fixed moment, so that a second run of the demo changes nothing.
SINCE = datetime.datetime(2026, 1, 15, 9, 0, tzinfo=datetime.UTC)


@demo.register("notifications", after=["accounts", "geo"])
def load(context: DemoContext) -> None:
    berga = context.areas["Berga"]
    target = {"target_type": ContentType.objects.get_for_model(berga), "target_id": berga.pk}
    # The demo citizen, signed in, follows Berga by e-mail and SMS: a number given signed in
    # is the account holder's, so it needs no code.
    context.ensure(
        Subscription,
        {"user": context.users[Role.CITIZEN], **target},
        by_email=True,
        by_sms=True,
        phone=CITIZEN_PHONE,
        frequency=Frequency.IMMEDIATE,
        confirmed_at=SINCE,
        phone_confirmed_at=SINCE,
    )
    # Someone without an account confirmed the e-mail address but not yet the number: until
    # the code sent to it is typed back, the notices come by e-mail only.
    context.ensure(
        Subscription,
        {"user": None, "email": "foljare.berga@demo.storeby.example", **target},
        by_email=True,
        by_sms=True,
        phone=STRANGER_PHONE,
        frequency=Frequency.IMMEDIATE,
        confirmed_at=SINCE,
        phone_confirmed_at=None,
    )
