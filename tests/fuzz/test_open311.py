"""Every Open311 GeoReport v2 parameter, read and written, filled with hostile values.

Whatever a client sends, the answer is an Open311 answer (2xx, or an error list with 400,
403 or 404) and never a server error; a refused request stores nothing, and an accepted
one stores nothing invalid.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.fuzz.harness import EXAMPLES, Tally, rolled_back
from tests.fuzz.invariants import problems, saved_instances
from tests.fuzz.strategies import HOSTILE, hostile

# One worker runs the whole module: its demo is loaded once (tests/fuzz/harness.py).
pytestmark = [pytest.mark.django_db, pytest.mark.xdist_group("fuzz-open311")]
BASE = "/open311/v2"
FORMATS = ["json", "xml"]
SEARCH_PARAMS = ["service_request_id", "service_code", "start_date", "end_date", "status"]
CREATE_PARAMS = [
    "service_code",
    "lat",
    "long",
    "address_string",
    "address_id",
    "email",
    "device_id",
    "account_id",
    "first_name",
    "last_name",
    "phone",
    "description",
    "media_url",
    "jurisdiction_id",
    "attribute[typ]",
    "attribute[typ][]",
]
FUZZ = settings(
    max_examples=EXAMPLES * 4,
    deadline=None,
    database=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)


def _values(names: list[str], plausible: dict[str, Any]) -> st.SearchStrategy[dict]:
    @st.composite
    def build(draw):
        data = {}
        for name in names:
            choice = draw(st.integers(0, 3))
            if choice == 0:
                continue
            if choice == 1 and name in plausible:
                data[name] = plausible[name]
            else:
                data[name] = draw(hostile)
        return data

    return build()


def _check(response: Any, saved: Any, data: dict) -> None:
    Tally.cases += 1
    assert response.status_code < 500, f"{response.status_code} for {data!r:.300}"
    if response.status_code >= 400:
        names = sorted({i._meta.label for i in saved.stored()})
        assert not names, f"refused with {response.status_code} but saved {names}: {data!r:.300}"
    bad = [p for instance in saved.stored() for p in problems(instance)]
    assert not bad, f"stored invalid input {bad} from {data!r:.300}"


@pytest.fixture(scope="module")
def api_key(demo_site, django_db_blocker) -> str:
    from torget.feedback.tests.factories import make_api_client

    with django_db_blocker.unblock():
        _client, key = make_api_client("Fuzz")
    return key


@pytest.fixture(scope="module")
def fault_code(demo_site, django_db_blocker) -> str:
    from torget.feedback.models import Category, CategoryUse

    with django_db_blocker.unblock():
        return Category.objects.filter(use=CategoryUse.FAULT, is_active=True).first().code


@pytest.mark.parametrize("fmt", FORMATS)
def test_searching_with_any_parameters_never_fails(demo_site, fmt):
    Tally.forms += 1

    @FUZZ
    @given(data=_values(SEARCH_PARAMS, {"status": "open", "start_date": "2026-11-01"}))
    def run(data: dict) -> None:
        with rolled_back(), saved_instances() as saved:
            response = Client().get(f"{BASE}/requests.{fmt}", data)
            _check(response, saved, data)

    run()


@given(
    path=st.one_of(
        st.sampled_from(HOSTILE[:20]),
        st.text(alphabet=st.characters(exclude_categories=("Cs",)), min_size=1, max_size=30),
    ),
    kind=st.sampled_from(["services", "requests", "tokens"]),
    fmt=st.sampled_from([*FORMATS, "yaml", ""]),
)
@FUZZ
def test_any_identifier_in_the_address_never_fails(demo_site, path, kind, fmt):
    from urllib.parse import quote

    with rolled_back(), saved_instances() as saved:
        url = f"{BASE}/{kind}/{quote(path, safe='')}" + (f".{fmt}" if fmt else "")
        response = Client().get(url)
        _check(response, saved, {"url": url})


@pytest.mark.parametrize("fmt", FORMATS)
def test_creating_with_any_parameters_never_fails_or_stores_invalid_input(
    demo_site, api_key, fault_code, fmt
):
    Tally.forms += 1
    plausible = {
        "service_code": fault_code,
        "lat": "58.41",
        "long": "15.62",
        "address_string": "Storgatan 1",
        "email": "fuzz@example.se",
        "phone": "013-20 00 00",
        "description": "Lampan är trasig",
        "first_name": "Ada",
    }

    @FUZZ
    @given(data=_values(CREATE_PARAMS, plausible), keyed=st.booleans())
    def run(data: dict, keyed: bool) -> None:
        body = {**data, "api_key": api_key} if keyed else data
        with rolled_back(), saved_instances() as saved:
            response = Client().post(f"{BASE}/requests.{fmt}", body)
            _check(response, saved, body)

    run()
