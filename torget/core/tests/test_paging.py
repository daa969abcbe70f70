"""CappedPaginator: pages of a long list counted only as far as they go (issue 22)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from torget.core.paging import CappedPaginator
from torget.organisation.models import Topic
from torget.organisation.tests.factories import TopicFactory

pytestmark = pytest.mark.django_db


def test_a_short_list_is_counted_exactly():
    for _ in range(7):
        TopicFactory()
    paginator = CappedPaginator(Topic.objects.order_by("pk"), 3, max_rows=10)
    assert (paginator.count, paginator.num_pages, paginator.capped) == (7, 3, False)
    assert [t.pk for t in paginator.get_page(3)] == list(
        Topic.objects.order_by("pk").values_list("pk", flat=True)
    )[6:]


def test_a_long_list_goes_no_deeper_than_its_cap():
    for _ in range(12):
        TopicFactory()
    rows = Topic.objects.order_by("pk")
    paginator = CappedPaginator(rows, 3, max_rows=10)
    with CaptureQueriesContext(connection) as captured:
        assert (paginator.count, paginator.num_pages, paginator.capped) == (10, 4, True)
    assert len(captured) == 1
    assert "LIMIT 11" in captured.captured_queries[0]["sql"]
    last = paginator.get_page(2000)  # an old link beyond the cap: the last page
    assert last.number == 4 and [t.pk for t in last] == [t.pk for t in rows[9:10]]
    assert paginator.get_page("x").number == 1


def test_lists_that_are_not_querysets():
    paginator = CappedPaginator(list(range(30)), 10, max_rows=25)
    assert (paginator.count, paginator.capped, list(paginator.get_page(3))) == (
        25,
        True,
        list(range(20, 25)),
    )
