"""Supports under real parallel HTTP requests on PostgreSQL.

The live server handles each request in its own thread with its own database connection,
so these are the races a busy evening brings: the same person pressing the button 50 times
at once, and the 50th supporter arriving together with the 49th.
"""

import threading

import pytest
import requests
from django.urls import reverse

from torget.identity.tests.factories import VerificationFactory, make_pin
from torget.notifications.models import Notification
from torget.organisation.models import DiaryNumber
from torget.proposals.models import EventKind, Status, Support
from torget.proposals.tests.factories import SigningProposalFactory
from torget.testing.identity import csrf_secret, verified_session

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.postgres]

PARALLEL = 50


def _post_all(url: str, sessions: list[str]) -> list[int]:
    barrier = threading.Barrier(len(sessions))
    statuses: list[int] = []
    lock = threading.Lock()

    def post(session_key: str) -> None:
        secret = csrf_secret()
        barrier.wait()
        response = requests.post(
            url,
            data={"csrfmiddlewaretoken": secret},
            cookies={"sessionid": session_key, "csrftoken": secret},
            headers={"Referer": url},
            allow_redirects=False,
            timeout=60,
        )
        with lock:
            statuses.append(response.status_code)

    threads = [threading.Thread(target=post, args=(key,)) for key in sessions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return statuses


def test_one_person_pressing_50_times_counts_once(postgres_only, live_server):
    proposal = SigningProposalFactory(threshold=1000)
    pin = make_pin()
    # 50 browser sessions of the same person (different e-ID steps, same personnummer).
    sessions = [verified_session(VerificationFactory(pin=pin)) for _ in range(PARALLEL)]
    url = live_server.url + reverse("proposals:support", args=[proposal.pk])
    statuses = _post_all(url, sessions)
    assert statuses == [302] * PARALLEL
    assert Support.objects.filter(proposal=proposal, withdrawn_at__isnull=True).count() == 1


def test_fifty_people_at_once_cross_the_threshold_exactly_once(postgres_only, live_server):
    proposal = SigningProposalFactory(threshold=PARALLEL)
    sessions = [verified_session(VerificationFactory()) for _ in range(PARALLEL)]
    url = live_server.url + reverse("proposals:support", args=[proposal.pk])
    statuses = _post_all(url, sessions)
    assert statuses == [302] * PARALLEL
    assert Support.objects.filter(proposal=proposal, withdrawn_at__isnull=True).count() == PARALLEL
    proposal.refresh_from_db()
    assert proposal.status == Status.TO_COUNCIL
    assert proposal.events.filter(kind=EventKind.THRESHOLD).count() == 1
    assert DiaryNumber.objects.count() == 1
    # One message to the author and one fan-out to the followers: not one per racing request.
    assert Notification.objects.filter(template="proposals.step").count() == 2


def test_parallel_withdrawals_count_once(postgres_only, live_server):
    proposal = SigningProposalFactory(threshold=1000)
    verification = VerificationFactory()
    from torget.proposals import services

    services.support_add(proposal=proposal, verification=verification)
    sessions = [verified_session(verification) for _ in range(20)]
    url = live_server.url + reverse("proposals:withdraw", args=[proposal.pk])
    _post_all(url, sessions)
    supports = Support.objects.filter(proposal=proposal)
    assert supports.count() == 1
    assert supports.filter(withdrawn_at__isnull=False).count() == 1
