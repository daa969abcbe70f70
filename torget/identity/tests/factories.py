import datetime
import itertools

import factory

from torget.identity import personnummer
from torget.identity.models import Residence, Verification

_serial = itertools.count(1)


def make_pin(born: datetime.date = datetime.date(1980, 1, 1)) -> personnummer.PersonalNumber:
    """A new valid personnummer for each call (born on `born`)."""
    n = next(_serial) % 1000
    nine = f"{born:%y%m%d}{n:03d}"
    return personnummer.parse(born.strftime("%Y")[:2] + personnummer.with_check_digit(nine))


class VerificationFactory(factory.django.DjangoModelFactory):
    """A fresh e-ID verification of a new person, resident in the municipality."""

    class Meta:
        model = Verification

    class Params:
        pin = factory.LazyFunction(make_pin)

    person_key = factory.LazyAttribute(lambda o: o.pin.key)
    birth_date = factory.LazyAttribute(lambda o: o.pin.birth_date)
    method = "demo"
    residence = Residence.YES
