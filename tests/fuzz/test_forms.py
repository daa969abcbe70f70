"""Every form of the site, as each kind of visitor finds it, filled with hostile values.

For each role the crawler follows the links from the start pages and keeps every form; each
form is then sent FUZZ_EXAMPLES times with hypothesis' values. Whatever is sent:
- the answer is never a server error (5xx);
- nothing stored holds a control character, is longer than its column, or is an invalid
  e-mail address;
- a form that comes back with errors has stored nothing (no half-saved input).
"""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings

from tests.fuzz.crawler import Form, crawl
from tests.fuzz.harness import EXAMPLES, Tally, rolled_back
from tests.fuzz.invariants import problems, saved_instances
from tests.fuzz.strategies import form_data

ROLES = {
    "anonym": (None, ["/"]),
    "medborgare": ("medborgare@demo.storeby.example", ["/", "/mina-sidor/"]),
    "kontaktcenter": ("kontaktcenter@demo.storeby.example", ["/personal/"]),
    "administrator": ("admin@demo.storeby.example", ["/personal/"]),
}
STAFF_ROLES = {"kontaktcenter", "administrator"}


def _one_per(model: Any, field: str) -> list[Any]:
    """One object in each state: the forms a page shows depend on it."""
    firsts: dict[Any, int] = {}
    for pk, value in model.objects.order_by("pk").values_list("pk", field):
        firsts.setdefault(value, pk)
    return list(model.objects.filter(pk__in=firsts.values()))


def seeds(role: str) -> list[str]:
    """Pages the links may not lead to within the crawl's bounds: every object in each of
    its states, and the pages behind private links (tokens) that arrive by e-mail."""
    from django.urls import reverse

    from torget.consultations.models import Consultation
    from torget.councils.models import Council, CouncilMeeting
    from torget.dialogues.models import Dialogue
    from torget.feedback.models import Case
    from torget.inspections.models import Finding
    from torget.meetings.models import Meeting, Registration
    from torget.notifications.models import Subscription
    from torget.proposals.models import Proposal
    from torget.results.models import ResultItem
    from torget.safety.models import CitizensPromise
    from torget.surveys.models import Survey

    urls = []
    meetings = _one_per(Meeting, "status")
    dialogues = _one_per(Dialogue, "status")
    proposals = _one_per(Proposal, "status")
    consultations = _one_per(Consultation, "status")
    if role in STAFF_ROLES:
        # A consultation in each state, the forms to prepare a draft's alternatives.
        urls += [c.staff_url() for c in consultations]
        urls += [
            reverse(name, args=[c.pk])
            for c in consultations
            if c.status == "utkast"
            for name in ("consultations:staff_edit", "consultations:alternative_new")
        ]
        urls += [reverse("meetings:staff_detail", args=[m.pk]) for m in meetings]
        urls += [reverse("meetings:staff_documentation", args=[m.pk]) for m in meetings]
        urls += [reverse("dialogues:staff_detail", args=[d.pk]) for d in dialogues]
        urls += [reverse("evaluation:staff", args=[d.pk]) for d in dialogues]
        # Survey results: the overview, free text with its tag forms, cross-tables, summary.
        from torget.surveys.models import Survey

        for survey in Survey.objects.exclude(status="utkast").order_by("pk")[:1]:
            urls += [
                reverse(f"surveys:{name}", args=[survey.pk])
                for name in ("results_staff", "results_free_text", "results_cross")
            ]
            urls += [reverse("surveys:results_summary", args=[survey.pk])]
        urls += [reverse("proposals:staff_detail", args=[p.pk]) for p in proposals]
        urls += [reverse("results:item", args=[i.pk]) for i in _one_per(ResultItem, "status")]
        urls += [reverse("feedback:staff_detail", args=[c.pk]) for c in _one_per(Case, "status")]
        urls += [c.staff_url() for c in _one_per(Council, "kind")]
        # Map input (staff): a point in each status with its steps, the categories page.
        from torget.mapinput.models import Map as InputMap
        from torget.mapinput.models import Point as InputPoint

        urls += [
            reverse("mapinput:staff_point", args=[p.pk]) for p in _one_per(InputPoint, "status")
        ]
        urls += [
            reverse("mapinput:categories", args=[m.pk]) for m in InputMap.objects.order_by("pk")[:1]
        ]
        urls += [reverse("councils:staff_create")]
        # The SMS survey's sending page (numbers or an area, the cost, then sending).
        from torget.surveys.models import Survey

        urls += [
            reverse("surveys:sms_send", args=[s.pk])
            for s in Survey.objects.filter(channel="sms")[:1]
        ]
        # The survey import, the citizens' promise and its follow-ups (administrators).
        urls += [reverse("safety:survey_import"), reverse("safety:promise_create")]
        urls += [p.staff_url() for p in CitizensPromise.objects.order_by("pk")[:1]]
        urls += [
            reverse("safety:promise_edit", args=[p.pk])
            for p in CitizensPromise.objects.order_by("pk")[:1]
        ]
        urls += [
            reverse("councils:staff_meeting", args=[cm.council_id, cm.pk])
            for cm in CouncilMeeting.objects.order_by("pk")[:1]
        ]
        # surveys (answer): paper entry of each published survey's answers.
        urls += [
            reverse("surveys:answer_paper", args=[pk])
            for pk in Survey.objects.filter(status="publicerad").values_list("pk", flat=True)[:2]
        ]
        # surveys (build): the builder's pages of each survey state, a question page of each
        # kind, the settings and the forms to add a section and a question.
        from torget.surveys.models import Question as SurveyQuestion

        for survey in _one_per(Survey, "status"):
            urls += [
                reverse("surveys:staff_detail", args=[survey.pk]),
                reverse("surveys:staff_edit", args=[survey.pk]),
                reverse("surveys:staff_section_add", args=[survey.pk]),
                reverse("surveys:staff_copy", args=[survey.dialogue_id]),
                reverse("surveys:staff_create", args=[survey.dialogue_id]),
            ]
        for question in _one_per(SurveyQuestion, "kind"):
            urls += [
                reverse("surveys:staff_question", args=[question.survey_id, question.pk]),
                reverse(
                    "surveys:staff_question_add", args=[question.survey_id, question.section_id]
                )
                + f"?typ={question.kind}",
            ]
        # forum (moderation and staff side): a thread's steps per post, the setup, the summary.
        from torget.forum.models import Forum, Thread

        for forum in Forum.objects.order_by("pk")[:1]:
            urls += [
                reverse("forum:staff_detail", args=[forum.pk]),
                reverse("forum:staff_edit", args=[forum.pk]),
                reverse("forum:summary", args=[forum.pk]),
                reverse("forum:staff_new", args=[forum.dialogue_id]),
                reverse("forum:queue"),
                reverse("forum:bans"),
            ]
            urls += [
                reverse("forum:staff_thread", args=[t.pk])
                for t in Thread.objects.filter(forum=forum).order_by("pk")[:2]
            ]
        # A finding of a held inspection, its correction and its cause's and action's.
        for finding in Finding.objects.filter(inspection__status="genomford").order_by("pk")[:1]:
            pk = finding.inspection_id
            urls += [reverse("inspections:staff_finding_edit", args=[pk, finding.pk])]
            urls += [
                reverse("inspections:staff_cause_edit", args=[pk, c.pk])
                for c in finding.causes.order_by("pk")[:1]
            ]
            urls += [
                reverse("inspections:staff_action_edit", args=[pk, a.pk])
                for a in finding.actions.order_by("pk")[:1]
            ]
    else:
        urls += [m.get_absolute_url() for m in meetings]
        urls += [reverse("dialogues:detail", args=[d.pk]) for d in dialogues]
        urls += [reverse("proposals:detail", args=[p.pk]) for p in proposals]
        # surveys (answer): each published survey's page, whose form starts answering.
        urls += [
            reverse("surveys:public_detail", args=[pk])
            for pk in Survey.objects.filter(status="publicerad").values_list("pk", flat=True)[:2]
        ]
        support = reverse("proposals:support", args=[proposals[0].pk])
        urls += [f"{reverse('identity:demo')}?next={support}"]
        # A consultation's choice form, behind its e-ID step.
        urls += [
            f"{reverse('identity:demo')}?next={c.get_absolute_url()}"
            for c in consultations
            if c.status == "oppet"
        ]
        urls += [c.get_absolute_url() for c in consultations if c.is_public]
        # forum (public): the new-thread form, each thread's reply form, the own post's edit.
        from torget.forum.models import Forum, Post, Thread

        for forum in Forum.objects.order_by("pk")[:1]:
            urls += [reverse("forum:new_thread", args=[forum.dialogue_id, forum.pk])]
            urls += [t.get_absolute_url() for t in Thread.objects.filter(forum=forum)[:2]]
        urls += [
            reverse("forum:edit", args=[p.pk])
            for p in Post.objects.filter(author__email="medborgare@demo.storeby.example")[:1]
        ]
        # forum: the flag page of a published post.
        from torget.forum.models import Post as ForumPost

        urls += [
            reverse("forum:flag", args=[pk])
            for pk in ForumPost.objects.filter(status="publicerat")
            .order_by("pk")
            .values_list("pk", flat=True)[:1]
        ]
        urls += [reverse("feedback:follow", args=[c.token]) for c in _one_per(Case, "kind")]
        urls += [
            reverse("notifications:manage", args=[s.token])
            for s in _one_per(Subscription, "confirmed_at")[:2]
        ]
        urls += [
            reverse("notifications:phone_code", args=[s.token])
            for s in Subscription.objects.filter(by_sms=True, phone_confirmed_at__isnull=True)[:1]
        ]
        urls += [
            reverse("meetings:registration", args=[r.token])
            for r in _one_per(Registration, "status")
        ]
    return urls


NOT_FUZZED = {"set_language"}

# The demo is loaded once per module (demo_site); each test runs in its own savepoint.
# One worker runs the whole module: its demo is loaded once (tests/fuzz/harness.py).
pytestmark = [pytest.mark.django_db, pytest.mark.xdist_group("fuzz-forms")]


def _client(email: str | None) -> Client:
    from torget.accounts.models import User

    client = Client(raise_request_exception=False)
    if email:
        client.force_login(User.objects.get(email=email))
    return client


def send(client: Client, form: Form, data: dict[str, Any]) -> Any:
    if form.method == "post":
        return client.post(form.action, data)
    query = {k: v for k, v in data.items() if isinstance(v, str | list)}
    return client.get(form.action.split("?")[0], query)


def describe(error: BaseException) -> str:
    if isinstance(error, BaseExceptionGroup):
        return " | ".join(describe(e) for e in error.exceptions)
    return str(error).split("\nassert")[0]


def check_form(form: Form, email: str | None) -> None:
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
    )
    @given(data=form_data(form))
    def run(data: dict[str, Any]) -> None:
        Tally.cases += 1
        with rolled_back():
            client = _client(email)
            with saved_instances() as saved:
                response = send(client, form, data)
            assert response.status_code < 500, f"{response.status_code} for {data!r:.300}"
            bad = [p for instance in saved.stored() for p in problems(instance)]
            assert not bad, f"stored invalid input {bad} from {data!r:.300}"
            if response.status_code in (200, 400) and b"data-error-summary" in response.content:
                names = sorted({i._meta.label for i in saved.stored()})
                assert not names, f"the form showed errors but saved {names} from {data!r:.300}"

    run()


@pytest.mark.parametrize("role", ROLES)
def test_no_form_gives_a_server_error_or_stores_invalid_input(demo_site, role):
    email, starts = ROLES[role]
    with rolled_back():
        result = crawl(_client(email), starts + seeds(role))
    broken = {url: status for url, status in result.pages.items() if status >= 500}
    assert not broken, f"pages that answered with a server error: {broken}"
    failures = []
    for form in result.forms:
        if form.url_name in NOT_FUZZED or form.url_name == "?":
            continue
        Tally.forms += 1
        try:
            check_form(form, email)
        except Exception as error:  # noqa: BLE001 — every form's failure is reported together
            Tally.failures += 1
            failures.append(
                f"{form.method.upper()} {form.action} (from {form.page}): {describe(error)}"
            )
    assert not failures, "\n\n".join(failures)
