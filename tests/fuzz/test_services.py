"""Every service a citizen's input reaches, called directly with hostile arguments.

The forms and Open311 are fuzzed through HTTP (test_forms.py, test_open311.py); this module
goes one step in and calls the services themselves, as the API, the admin, management
commands and later code will: text with control characters, huge or odd Unicode, numbers
beyond what a column holds, NaN and infinite coordinates, odd ids and pages. (Arguments of
the wrong Python type, such as None where text is expected, are left to the type checker.) Whatever comes in, a service
either succeeds or refuses with a domain error (ValidationError and the apps' own errors
built on it, or PermissionDenied) — never TypeError, IntegrityError, DataError or the like —
and a refusal leaves every row as it was: nothing half-saved.

Examples per service: FUZZ_SERVICE_EXAMPLES, by default twice FUZZ_EXAMPLES. The closing
`fuzz:` line counts these cases with the forms'.
"""

from __future__ import annotations

import datetime
import os
from collections.abc import Callable, Iterable
from typing import Any

import pytest
from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from tests.fuzz.harness import EXAMPLES, Tally, rolled_back
from tests.fuzz.invariants import saved_instances
from tests.fuzz.strategies import HOSTILE, any_text

pytestmark = [pytest.mark.django_db, pytest.mark.xdist_group("fuzz-services")]

SERVICE_EXAMPLES = int(os.environ.get("FUZZ_SERVICE_EXAMPLES", str(EXAMPLES * 2)))
FUZZ = settings(
    max_examples=SERVICE_EXAMPLES,
    # Report the first failure as found: shrinking hostile text costs minutes on CI.
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
    report_multiple_bugs=False,
    deadline=None,
    database=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)
# What a refusal may be: the domain's own errors all derive from these two.
REFUSALS = (ValidationError, PermissionDenied)
# Rows a refusal must leave alone, besides those of the service's own app.
ALWAYS_COUNTED = ("audit", "notifications", "accounts", "identity")


# --- values --------------------------------------------------------------------------------

BIG = [0, -1, 2**31, 2**63, 10**400]


def text(plausible: str) -> st.SearchStrategy[str]:
    """Mostly something sensible, so examples reach past the first check; else hostile."""
    return st.one_of(
        st.just(plausible),
        st.just(plausible),
        st.sampled_from(HOSTILE),
        any_text,
        st.just(plausible + "\x00"),
        st.just(plausible * 2000),
    )


def integer(plausible: int | None) -> st.SearchStrategy[int | None]:
    return st.one_of(st.just(plausible), st.just(plausible), st.integers(), st.sampled_from(BIG))


def real(plausible: float | None) -> st.SearchStrategy[float | None]:
    return st.one_of(
        st.just(plausible),
        st.just(plausible),
        st.none(),
        st.floats(allow_nan=True, allow_infinity=True),
        st.sampled_from([0.0, -1.0, 1e308, -1e308, 2.0**63]),
    )


# --- the check -----------------------------------------------------------------------------


def _counts(labels: Iterable[str]) -> dict[str, int]:
    return {
        model._meta.label: model._base_manager.count()
        for label in labels
        for model in apps.get_app_config(label).get_models()
    }


def exercise(service: Callable[..., Any], kwargs: dict[str, Any], *app_labels: str) -> None:
    """Call the service once; a refusal must leave every counted row as it was."""
    Tally.cases += 1
    Tally.service_cases += 1
    if service.__name__ not in _called:
        _called.add(service.__name__)
        Tally.services += 1
    labels = [*app_labels, *ALWAYS_COUNTED]
    with rolled_back(), saved_instances() as saved:
        before = _counts(labels)
        try:
            service(**kwargs)
        except REFUSALS:
            after = _counts(labels)
            changed = {k: (before[k], after[k]) for k in before if before[k] != after[k]}
            stored = sorted({i._meta.label for i in saved.stored()})
            if changed or stored:
                Tally.failures += 1
            assert not changed, f"{service.__name__} refused but changed {changed}: {kwargs!r:.300}"
            assert not stored, f"{service.__name__} refused but saved {stored}: {kwargs!r:.300}"
        except Exception as error:
            Tally.failures += 1
            raise AssertionError(
                f"{service.__name__} raised {type(error).__name__}: {error!s:.200} "
                f"for {kwargs!r:.400}"
            ) from error


_called: set[str] = set()


# --- the demo's objects in the states the services accept ------------------------------------


@pytest.fixture(scope="module")
def world(demo_site, django_db_blocker) -> dict[str, Any]:
    from torget.accounts.models import User
    from torget.budget.models import BudgetRound, Phase
    from torget.feedback.models import Category, CategoryUse
    from torget.forum.models import Forum, Thread
    from torget.identity.tests.factories import VerificationFactory
    from torget.mapinput.models import Map
    from torget.meetings.models import Meeting, MeetingStatus
    from torget.organisation.models import Topic
    from torget.proposals.models import Proposal
    from torget.proposals.models import Status as ProposalStatus
    from torget.surveys.models import Status as SurveyStatus
    from torget.surveys.models import Survey

    today = timezone.localdate()
    with django_db_blocker.unblock():
        citizen = User.objects.get(email="medborgare@demo.storeby.example")
        rounds = list(BudgetRound.objects.order_by("pk"))
        ideas_round = rounds[0]
        # The demo's first round is over; open it for ideas again (rolled back with the demo).
        BudgetRound.objects.filter(pk=ideas_round.pk).update(
            phase=Phase.IDEAS,
            ideas_open_on=today - datetime.timedelta(days=1),
            ideas_close_on=today + datetime.timedelta(days=1),
            review_ends_on=today + datetime.timedelta(days=2),
            voting_opens_on=today + datetime.timedelta(days=3),
            voting_closes_on=today + datetime.timedelta(days=4),
        )
        ideas_round.refresh_from_db()
        voting_round = next(r for r in rounds if r.takes_votes())
        survey = Survey.objects.filter(status=SurveyStatus.PUBLISHED).order_by("pk").first()
        return {
            "citizen": citizen,
            "topic": Topic.objects.order_by("pk").first(),
            "proposal": Proposal.objects.filter(status=ProposalStatus.SIGNING)
            .order_by("pk")
            .first(),
            "verification": VerificationFactory(),
            "fault": Category.objects.filter(use=CategoryUse.FAULT, is_active=True).first(),
            "opinion": Category.objects.filter(use=CategoryUse.OPINION, is_active=True).first(),
            "meeting": Meeting.objects.filter(
                status=MeetingStatus.PUBLISHED, starts_at__gt=timezone.now()
            )
            .order_by("starts_at")
            .first(),
            "survey": survey,
            "forum": Forum.objects.order_by("pk").first(),
            "thread": Thread.objects.order_by("pk").first(),
            "map": Map.objects.order_by("pk").first(),
            "ideas_round": ideas_round,
            "voting_round": voting_round,
        }


def test_the_demo_offers_every_entry_point_an_open_target(world):
    """Otherwise the examples below would test only the first refusal."""
    assert all(value is not None for value in world.values()), world
    assert world["ideas_round"].takes_ideas()
    assert world["voting_round"].takes_votes()
    assert world["map"].is_open()


# --- the entry points ----------------------------------------------------------------------


@FUZZ
@given(
    title=text("Fler bänkar i parken"),
    body=text("Det behövs fler bänkar längs promenadvägen vid ån, för äldre."),
    image_alt=text(""),
    organisation_name=text(""),
    signing_days=integer(None),
)
def test_proposal_submit(world, **values):
    from torget.proposals.services import proposal_submit

    exercise(
        proposal_submit,
        {"author": world["citizen"], "topic": world["topic"], **values},
        "proposals",
    )


@FUZZ
@given(person=st.sampled_from(["new", "same", "anonymous"]), user=st.booleans())
def test_support_add(world, person, user):
    from torget.identity.tests.factories import VerificationFactory
    from torget.proposals.services import support_add

    verification = world["verification"] if person == "same" else VerificationFactory.build()
    if person != "anonymous":
        verification.save()
    exercise(
        support_add,
        {
            "proposal": world["proposal"],
            "verification": verification,
            "user": world["citizen"] if user else None,
        },
        "proposals",
    )


@FUZZ
@given(
    kind=st.one_of(st.sampled_from(["fel", "klagomal", "fraga", "ide", "berom"]), text("fel")),
    description=text("Lampan vid busshållplatsen är trasig."),
    lat=real(58.41),
    lon=real(15.62),
    address=text("Storgatan 1"),
    attributes=st.one_of(st.none(), st.just({}), st.dictionaries(any_text, any_text, max_size=2)),
    reporter_name=text("Ada"),
    reporter_email=text("ada@example.se"),
    reporter_phone=text("070-123 45 67"),
    reply_channel=text("epost"),
    media_url=text(""),
)
def test_case_create(world, kind, **values):
    from torget.feedback.services import case_create

    category = world["fault"] if kind == "fel" else world["opinion"]  # a text() kind: either
    exercise(case_create, {"kind": kind, "category": category, **values}, "feedback")


@FUZZ
@given(
    email=text("foljare@example.se"),
    phone=text(""),
    by_email=st.booleans(),
    by_sms=st.booleans(),
    frequency=text("direkt"),
    language=text("sv"),
)
def test_subscription_create(world, **values):
    from torget.notifications.services import subscription_create

    exercise(subscription_create, {"target": world["proposal"], **values}, "notifications")


@FUZZ
@given(name=text("Ada Lovelace"), email=text("ada@example.se"), needs=text(""))
def test_registration_create(world, **values):
    from torget.meetings.services import registration_create

    exercise(registration_create, {"meeting": world["meeting"], **values}, "meetings")


@FUZZ
@given(text_=text("Hur blir det med belysningen?"), name=text(""), email=text(""))
def test_question_submit(world, text_, **values):
    from torget.meetings.services import question_submit

    exercise(question_submit, {"meeting": world["meeting"], "text": text_, **values}, "meetings")


@FUZZ
@given(data=st.data(), page=integer(1))
def test_response_save_page(world, data, page):
    from torget.surveys.answering import response_save_page, response_start

    survey = world["survey"]
    section = survey.sections.order_by("pk").first()
    answers = {
        question.pk: data.draw(st.one_of(st.none(), text("1"), st.lists(text("1"), max_size=3)))
        for question in section.questions.all()
    }
    extra = data.draw(st.dictionaries(integer(0), text("x"), max_size=2))
    with rolled_back():
        response = response_start(survey=survey)
        exercise(
            response_save_page,
            {
                "response": response,
                "section": section,
                "answers": {**extra, **answers},
                "page": page,
            },
            "surveys",
        )


@FUZZ
@given(
    title=text("Gungor till de minsta"),
    text_=text("Kan det bli fler gungor för små barn på skolgården?"),
    shown_name=text(""),
    ip=text("127.0.0.1"),
)
def test_thread_start(world, text_, **values):
    from torget.forum.services import thread_start

    exercise(
        thread_start,
        {"forum": world["forum"], "actor": world["citizen"], "text": text_, **values},
        "forum",
    )


@FUZZ
@given(text_=text("Jag håller med, gungor behövs."), shown_name=text(""), ip=text("127.0.0.1"))
def test_post_reply(world, text_, **values):
    from torget.forum.services import post_reply

    exercise(
        post_reply,
        {"thread": world["thread"], "actor": world["citizen"], "text": text_, **values},
        "forum",
    )


@FUZZ
@given(
    title=text("Ett utegym i Berga"),
    description=text("Ett enkelt utegym vid fotbollsplanen, för unga och vuxna i Berga."),
    lat=real(None),
    lon=real(None),
    place=text("Vid fotbollsplanen"),
    image_alt=text(""),
    estimated_cost=integer(200000),
    shown_name=text(""),
)
def test_idea_submit(world, **values):
    from torget.budget.idea_services import idea_submit

    exercise(
        idea_submit,
        {"round": world["ideas_round"], "author": world["citizen"], **values},
        "budget",
    )


@FUZZ
@given(
    choices=st.one_of(
        st.lists(st.integers(min_value=1, max_value=12), max_size=5),
        st.lists(integer(1), max_size=4),
    ),
    channel=text("e-legitimation"),
    lives_in_area=st.booleans(),
    age_band=text(""),
)
def test_vote_cast(world, **values):
    from torget.budget.voting import vote_cast
    from torget.identity.tests.factories import VerificationFactory

    exercise(
        vote_cast,
        {"round": world["voting_round"], "verification": VerificationFactory(), **values},
        "budget",
    )


@FUZZ
@given(
    comment=text("Här är det mörkt på kvällen."),
    geometry=st.one_of(
        st.just({"type": "Point", "coordinates": [15.62, 58.41]}),
        st.none(),
        st.fixed_dictionaries(
            {"type": text("Point"), "coordinates": st.lists(real(15.6), max_size=3)}
        ),
    ),
    place=integer(None),
    address=text(""),
    age_band=text(""),
    shown_name=text(""),
    ip=text("127.0.0.1"),
)
def test_point_create(world, **values):
    from torget.mapinput.services import point_create

    map_ = world["map"]
    exercise(
        point_create,
        {
            "map_": map_,
            "actor": world["citizen"],
            "category": map_.categories.order_by("pk").first(),
            **values,
        },
        "mapinput",
    )
