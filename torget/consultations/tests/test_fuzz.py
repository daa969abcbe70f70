"""The citizen's choice form, sent hostile values by a verified person: never a server error,
and a refused form stores nothing."""

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.fuzz.harness import EXAMPLES
from tests.fuzz.strategies import hostile
from torget.consultations.models import Choice
from torget.consultations.tests.factories import open_, ranked, world
from torget.identity.tests.factories import make_pin

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("make", [open_, ranked], ids=["choose-one", "rank"])
def test_hostile_choices_never_break_the_page(client, make):
    consultation = make(world())
    url = consultation.get_absolute_url()
    client.post(reverse("identity:demo"), {"pin": str(make_pin()), "residence": "ja", "next": url})
    names = ["alternative", "comment", "age_band", "area"] + [
        f"place_{pk}" for pk in consultation.alternatives.values_list("pk", flat=True)
    ]

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(st.fixed_dictionaries({}, optional=dict.fromkeys(names, hostile)))
    def run(body):
        before = Choice.objects.count()
        response = client.post(url, body)
        assert response.status_code in (302, 400), response.status_code
        if response.status_code == 400:
            assert Choice.objects.count() == before

    run()
