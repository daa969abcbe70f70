"""Backup and restore, as the README's procedure does it: `pg_dump -Fc` of a database with
proposals, supports, cases and messages, `pg_restore` into an empty database, and everything
is found there again: every proposal with its support count, every case, every message."""

import os
import shutil
import subprocess
import uuid

import psycopg
import pytest
from django.db import connection

from torget.feedback import services as feedback_services
from torget.feedback.models import Kind
from torget.feedback.tests.factories import CategoryFactory
from torget.proposals.services.support import support_counts_refresh
from torget.proposals.tests.factories import SigningProposalFactory, SupportFactory

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.postgres,
    pytest.mark.skipif(not shutil.which("pg_dump"), reason="needs pg_dump and pg_restore"),
]

# What must come back, row for row: each query's rows, ordered, before and after.
CHECKS = {
    "proposals and their support counts": (
        "SELECT p.id, p.title, p.support_count, "
        "(SELECT count(*) FROM proposals_support s WHERE s.proposal_id = p.id) "
        "FROM proposals_proposal p ORDER BY p.id"
    ),
    "supports": "SELECT id, proposal_id, person_key FROM proposals_support ORDER BY id",
    "cases": "SELECT id, number, description, status_id FROM feedback_case ORDER BY id",
    "messages": (
        'SELECT id, notification_id, "to", status FROM notifications_delivery ORDER BY id'
    ),
}


def _libpq_env() -> dict[str, str]:
    settings = connection.settings_dict
    env = {**os.environ, "PGHOST": settings["HOST"] or "", "PGUSER": settings["USER"] or ""}
    if settings["PORT"]:
        env["PGPORT"] = str(settings["PORT"])
    if settings["PASSWORD"]:
        env["PGPASSWORD"] = settings["PASSWORD"]
    return env


def _rows(dbname: str) -> dict[str, list[tuple[object, ...]]]:
    settings = connection.settings_dict
    with psycopg.connect(
        host=settings["HOST"],
        port=settings["PORT"] or None,
        user=settings["USER"],
        password=settings["PASSWORD"] or None,
        dbname=dbname,
    ) as conn:
        return {name: conn.execute(query).fetchall() for name, query in CHECKS.items()}


@pytest.fixture
def filled():
    """Three proposals with 0, 2 and 5 supports (counts refreshed, as the worker does), and two
    fault reports whose reporters asked for e-mail: each queues a receipt message."""
    for supports in (0, 2, 5):
        proposal = SigningProposalFactory()
        SupportFactory.create_batch(supports, proposal=proposal)
    support_counts_refresh()
    # A transactional test before this one may have flushed the statuses migrations create.
    feedback_services.statuses_ensure_defaults()
    category = CategoryFactory()
    for n in range(2):
        feedback_services.case_create(
            kind=Kind.FAULT,
            category=category,
            description=f"Trasig gatlykta nummer {n}",
            address=f"Storgatan {n + 1}",
            reporter_email=f"anmalare{n}@example.se",
            reply_channel="epost",
        )


def test_a_dump_restored_into_an_empty_database_has_every_record(filled, tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("pg_dump needs PostgreSQL")
    source = connection.settings_dict["NAME"]
    before = _rows(source)
    # The fixture made what the test compares: a comparison of empty tables proves nothing.
    assert [row[2] for row in before["proposals and their support counts"]] == [0, 2, 5]
    assert len(before["cases"]) == 2
    assert len(before["messages"]) >= 2

    env = _libpq_env()
    dump = tmp_path / "torget.dump"
    subprocess.run(
        ["pg_dump", "--format=custom", "--no-owner", f"--file={dump}", source], env=env, check=True
    )
    target = f"{source}_restore_{uuid.uuid4().hex[:8]}"
    subprocess.run(["createdb", target], env=env, check=True)
    try:
        subprocess.run(
            ["pg_restore", "--no-owner", "--exit-on-error", f"--dbname={target}", str(dump)],
            env=env,
            check=True,
        )
        after = _rows(target)
    finally:
        subprocess.run(["dropdb", "--if-exists", target], env=env, check=True)

    assert after == before
    # Each support count agrees with the supports restored alongside it.
    assert all(row[2] == row[3] for row in after["proposals and their support counts"])
