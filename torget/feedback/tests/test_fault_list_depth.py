"""The public list of fault reports at scale (issue 22): counted only as far as its pages go,
no deeper than FAULT_LIST_MAX_ROWS, and a prompt to filter beyond."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from torget.feedback import views
from torget.feedback.tests.factories import make_case
from torget.geo.models import AreaKind
from torget.geo.tests.factories import AreaFactory, square

pytestmark = pytest.mark.django_db

LIST = "/felanmalan/karta/"


@pytest.fixture
def cases():
    AreaFactory(kind=AreaKind.MUNICIPALITY, name="Storeby", geometry=square(15.0, 58.0, 1.0))
    return [make_case() for _ in range(7)]


def test_a_short_list_shows_its_exact_count(client, cases):
    html = client.get(LIST).content.decode()
    assert "7 felanmälningar" in html and 'id="list-depth"' not in html


def test_beyond_the_cap_the_list_asks_for_a_filter(client, cases, monkeypatch):
    monkeypatch.setattr(views, "FAULT_LIST_MAX_ROWS", 5)
    html = client.get(LIST).content.decode()
    assert "Fler än 5 felanmälningar" in html
    assert html.count('<th scope="row">') == 5
    for old_link in ("1", "2000", "x"):
        response = client.get(LIST, {"sida": old_link})
        assert response.status_code == 200
        html = response.content.decode()
        assert 'id="list-depth"' in html and html.count('<th scope="row">') == 5


def test_no_count_of_every_report(client, cases):
    with CaptureQueriesContext(connection) as captured:
        client.get(LIST)
    counts = [q["sql"] for q in captured.captured_queries if "COUNT(" in q["sql"].upper()]
    assert counts and all("LIMIT 1001" in sql for sql in counts)
