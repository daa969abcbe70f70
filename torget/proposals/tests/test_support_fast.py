"""The busy path of a support: the same rules as the careful one, decided in one statement.

services.support_add_fast checks the proposal (open, public, in its period) and the person
(residence, age) in SQL, on PostgreSQL and outside a transaction; whenever it says no, the
view takes services.support_add, which gives the reason. So it must never say yes where the
careful path would refuse, and should say yes wherever the careful path would.
"""

import datetime

import psycopg
import pytest
from django.db import connection
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse
from django.utils import timezone
from freezegun import freeze_time

from torget.identity.models import Residence
from torget.identity.tests.factories import VerificationFactory, make_pin
from torget.organisation.models import Municipality
from torget.proposals import services
from torget.proposals.models import EventKind, Status, Support
from torget.proposals.tests.factories import SigningProposalFactory

pytestmark = pytest.mark.django_db(transaction=True)


def _careful_path_allows(proposal, verification) -> bool:
    try:
        services.check_can_support(proposal=proposal, verification=verification)
    except services.SupportRefused:
        return False
    return True


def _born_years_ago(years: int, days: int = 0) -> datetime.date:
    today = timezone.localdate()
    return today.replace(year=today.year - years) + datetime.timedelta(days=days)


@pytest.mark.parametrize(
    ("saved", "residence_required", "residence", "min_age", "born"),
    [
        (False, None, Residence.NO, None, _born_years_ago(16)),  # the defaults
        (True, False, Residence.NO, 0, _born_years_ago(10)),
        (True, True, Residence.YES, 0, _born_years_ago(30)),
        (True, True, Residence.NO, 0, _born_years_ago(30)),
        (True, True, Residence.UNKNOWN, 0, _born_years_ago(30)),
        (True, False, Residence.YES, 18, _born_years_ago(18)),  # the birthday itself
        (True, False, Residence.YES, 18, _born_years_ago(18, days=1)),  # a day short
        (True, False, Residence.YES, 18, _born_years_ago(18, days=-1)),
        (True, True, Residence.NO, 18, _born_years_ago(40)),
    ],
)
def test_the_fast_path_follows_the_municipality_s_rules(
    postgres_only, saved, residence_required, residence, min_age, born
):
    if saved:
        Municipality.objects.create(
            name="Storeby kommun",
            proposal_residence_required=residence_required,
            proposal_min_age=min_age,
        )
    proposal = SigningProposalFactory()
    verification = VerificationFactory(pin=make_pin(born), residence=residence)
    allowed = _careful_path_allows(proposal, verification)
    assert services.support_add_fast(proposal_id=proposal.pk, verification=verification) is allowed
    assert Support.objects.filter(proposal=proposal).count() == int(allowed)


@pytest.mark.parametrize(
    ("today", "allowed"),
    [("2026-02-28", False), ("2026-03-01", True), ("2028-02-28", True)],
)
def test_the_age_of_someone_born_on_29_february(postgres_only, today, allowed):
    Municipality.objects.create(name="Storeby kommun", proposal_min_age=18)
    with freeze_time(f"{today} 12:00"):
        proposal = SigningProposalFactory()
        verification = VerificationFactory(pin=make_pin(datetime.date(2008, 2, 29)))
        assert _careful_path_allows(proposal, verification) is allowed
        assert (
            services.support_add_fast(proposal_id=proposal.pk, verification=verification) is allowed
        )


@pytest.mark.parametrize(
    "change",
    [
        {"status": Status.SUBMITTED},
        {"status": Status.UNSUPPORTED},
        {"hidden_at": datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)},
        {"signing_ends_on": datetime.date(2020, 1, 1)},
    ],
)
def test_the_fast_path_leaves_closed_and_hidden_proposals_alone(postgres_only, change):
    proposal = SigningProposalFactory(**change)
    verification = VerificationFactory()
    assert not services.support_add_fast(proposal_id=proposal.pk, verification=verification)
    assert not Support.objects.exists()


def test_a_second_support_is_left_to_the_careful_path(postgres_only):
    proposal = SigningProposalFactory()
    verification = VerificationFactory()
    assert services.support_add_fast(proposal_id=proposal.pk, verification=verification)
    # No error, and the connection still works: the careful path then says why.
    assert not services.support_add_fast(proposal_id=proposal.pk, verification=verification)
    with pytest.raises(services.SupportRefused, match="redan"):
        services.support_add(proposal=proposal, verification=verification)
    assert Support.objects.filter(proposal=proposal).count() == 1


def _prepared_statements() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        return [row[0] for row in cursor.fetchall()]


def test_the_insert_is_prepared_once_per_connection(postgres_only):
    """Planning the INSERT … SELECT costs PostgreSQL as much as running it: it is prepared
    on the connection's first support and reused for the next ones."""
    connection.close()  # a fresh connection, nothing prepared on it yet
    proposal = SigningProposalFactory()
    assert not any("proposals_support" in s for s in _prepared_statements())
    for verification in VerificationFactory.create_batch(3):
        assert services.support_add_fast(proposal_id=proposal.pk, verification=verification)
    prepared = [s for s in _prepared_statements() if "proposals_support" in s]
    assert len(prepared) == 1
    assert Support.objects.filter(proposal=proposal).count() == 3


def test_without_prepared_statements_the_insert_still_works(postgres_only):
    """DATABASE_PREPARED_STATEMENTS=false (a pooler that can't keep them): nothing is
    prepared, and the support is written all the same."""
    connection.close()  # a fresh connection, nothing prepared on it yet
    connection.ensure_connection()
    threshold = connection.connection.prepare_threshold
    connection.connection.prepare_threshold = None  # as Django's default leaves it
    try:
        proposal = SigningProposalFactory()
        verification = VerificationFactory()
        assert services.support_add_fast(proposal_id=proposal.pk, verification=verification)
        assert not any("proposals_support" in s for s in _prepared_statements())
        assert Support.objects.filter(proposal=proposal).count() == 1
    finally:
        connection.connection.prepare_threshold = threshold


def test_a_dead_connection_falls_back_to_a_new_one(postgres_only, settings):
    """The INSERT stands in for Django's health check (a SELECT 1 of its own): when the
    connection has died meanwhile, it is closed and the careful path opens a new one."""
    proposal = SigningProposalFactory()
    verification = VerificationFactory()
    assert connection.health_check_enabled
    pid = connection.connection.info.backend_pid
    params = connection.get_connection_params()
    params.pop("cursor_factory", None)
    with psycopg.connect(**params, autocommit=True) as other:
        other.execute("SELECT pg_terminate_backend(%s)", [pid])
    connection.health_check_done = False  # as at the start of a request
    assert not services.support_add_fast(proposal_id=proposal.pk, verification=verification)
    assert connection.connection is None
    services.support_add(proposal=proposal, verification=verification)
    assert Support.objects.filter(proposal=proposal).count() == 1


@pytest.mark.parametrize("backend", ["locmem", "redis"])
def test_the_per_person_limit_refuses_with_a_clear_message(client, settings, request, backend):
    """Both limits are counted in one call to the cache (one command on Redis)."""
    if backend == "redis":
        request.getfixturevalue("redis_cache")
    settings.PROPOSALS_SUPPORT_RATE_PER_USER = 2
    pin = make_pin()
    proposals = SigningProposalFactory.create_batch(3)
    statuses = []
    for proposal in proposals:
        url = reverse("proposals:support", args=[proposal.pk])
        client.post(reverse("identity:demo"), {"pin": str(pin), "residence": "ja", "next": url})
        response = client.post(url)
        statuses.append(response.status_code)
    assert statuses == [302, 302, 429]
    assert "För många försök" in response.content.decode()
    assert Support.objects.filter(proposal=proposals[2]).count() == 0


def test_supports_through_the_fast_path_are_exact(postgres_only, client):
    """Every support through the pages lands once; repeats are refused and not counted."""
    proposal = SigningProposalFactory(threshold=3)
    url = reverse("proposals:support", args=[proposal.pk])
    for _ in range(5):
        client.cookies.clear()
        client.post(reverse("identity:demo"), {"pin": str(make_pin()), "residence": "ja"})
        assert client.post(url).status_code == 302
        assert client.post(url).status_code == 302  # the same person again
    assert Support.objects.filter(proposal=proposal, withdrawn_at__isnull=True).count() == 5
    proposal.refresh_from_db()
    assert proposal.status == Status.TO_COUNCIL
    assert proposal.events.filter(kind=EventKind.THRESHOLD).count() == 1


def _sample_paths(resolver: URLResolver, prefix: str = ""):
    samples = {"int": "7", "slug": "ett-namn", "str": "abc", "path": "a/b", "uuid": ""}
    for pattern in resolver.url_patterns:
        route = getattr(pattern.pattern, "_route", None)
        if route is None:  # a regular expression (the admin's): not ours
            continue
        for name, value in samples.items():
            while f"<{name}:" in route:
                start = route.index(f"<{name}:")
                route = route[:start] + value + route[route.index(">", start) + 1 :]
        while "<" in route:  # <name> is a str
            start = route.index("<")
            route = route[:start] + "abc" + route[route.index(">", start) + 1 :]
        if isinstance(pattern, URLResolver):
            yield from _sample_paths(pattern, prefix + route)
        elif isinstance(pattern, URLPattern):
            yield prefix + route, pattern


def test_no_address_is_shadowed_by_an_earlier_pattern():
    """The proposals' patterns come first (the busiest write resolves quickest): every
    address still reaches the view it was written for."""
    for path, pattern in _sample_paths(get_resolver()):
        if path.startswith("admin/") or "uuid" in str(pattern.pattern):
            continue
        assert resolve("/" + path).func == pattern.callback, path
