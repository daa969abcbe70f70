"""Every URL of Torget, asked by every role, against the one table in matrix.py.

The demo municipality is loaded once for the module (tests/fuzz's `demo_site`), with a second
citizen and a subscription of the demo citizen's added; every request runs in a savepoint
that is rolled back, so no answer depends on what an earlier request did. Each role's
client logs in once; its session cookie is put back before every request, so a request that
logs out or rotates the session doesn't change who asks next.

Three things are checked from the same walk:
- a GET to every pattern answers each role what EXPECTED declares (a pattern without a row
  fails);
- an empty POST to every state-changing endpoint is refused, and stores nothing, for every
  role that ACTORS doesn't name, and is not refused for those it names;
- every same-site link a role is shown on a page it may open answers that role 200 (after
  redirects): no page offers a link that its reader will be refused.
"""

from __future__ import annotations

import dataclasses
import io
import time
from collections.abc import Iterator
from contextlib import nullcontext
from typing import Any
from urllib.parse import urldefrag, urlsplit

import pytest
from django.test import Client
from django.urls import Resolver404, resolve, reverse

from tests.authz import matrix
from tests.authz.concrete import Target, pattern_names, targets
from tests.authz.tally import Tally
from tests.fuzz.crawler import parse_page
from tests.fuzz.harness import rolled_back
from tests.fuzz.invariants import saved_instances

# One worker runs the whole module: its demo is loaded once (tests/fuzz/harness.py).
pytestmark = [pytest.mark.django_db, pytest.mark.xdist_group("authz-matrix")]

DEMO_EMAILS = {
    matrix.CITIZEN: "medborgare@demo.storeby.example",
    matrix.OFFICIAL: "tjansteperson@demo.storeby.example",
    matrix.ELECTED: "fortroendevald@demo.storeby.example",
    matrix.CONTACT: "kontaktcenter@demo.storeby.example",
    matrix.SAFETY: "trygghet@demo.storeby.example",
    matrix.COORDINATOR: "koordinator@demo.storeby.example",
    matrix.ADMIN: "admin@demo.storeby.example",
}
# Pages every role starts from; all three are rows of the matrix too.
START_PAGES = ("/", "/mina-sidor/", "/personal/")
# Links that are no pages to open: Django's static files and uploads by address.
NOT_PAGES = ("/static/", "/media/")
REFUSED = {matrix.LOGIN, matrix.DENIED, matrix.MISSING}
# The one-time survey link the matrix adds (_add_files).
SURVEY_TOKEN = "matrisens-enkatlank-0123456789abcdef"


@dataclasses.dataclass
class Answer:
    outcome: str
    links: list[str]
    post_forms: list[str]  # the actions of the page's POST forms


class Site:
    """The roles' clients, each logged in once, and the addresses to ask."""

    def __init__(self, users: dict[str, Any], targets: list[Target]) -> None:
        self.targets = targets
        self.clients: dict[str, Client] = {}
        self.cookies: dict[str, Any] = {}
        for role in matrix.ROLES:
            client = Client()
            if users.get(role) is not None:
                client.force_login(users[role])
            self.clients[role] = client
            self.cookies[role] = client.cookies
        self.answers: dict[tuple[str, str], Answer] = {}

    def request(
        self, role: str, method: str, url: str, *, stored: list[Any] | None = None, **kwargs: Any
    ) -> Any:
        """One request in a savepoint of its own; what it saved goes to `stored`, if given."""
        client = self.clients[role]
        client.cookies = type(self.cookies[role])(self.cookies[role])
        started = time.monotonic()
        with rolled_back(), saved_instances() if stored is not None else nullcontext() as saved:
            response = getattr(client, method)(url, **kwargs)
            if saved is not None and stored is not None:
                stored += saved.stored()
        Tally.requests += 1
        Tally.seconds += time.monotonic() - started
        return response


def outcome_of(response: Any) -> str:
    if response.status_code in (301, 302, 303):
        path = urlsplit(response["Location"]).path
        return matrix.LOGIN if path == reverse("accounts:login") else matrix.ELSEWHERE
    return str(response.status_code)


def same_site_path(url: str) -> str | None:
    url, _fragment = urldefrag(url)
    parts = urlsplit(url)
    if parts.scheme not in ("", "http", "https") or parts.netloc not in ("", "testserver"):
        return None
    if not parts.path.startswith("/") or parts.path.startswith(NOT_PAGES):
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")


def _add_photos() -> None:
    """A photo shown and one hidden on the first public fault report (the demo has none)."""
    from django.core.files.base import ContentFile
    from PIL import Image

    from torget.feedback.models import Case, CasePhoto

    case = Case.objects.filter(is_public=True).order_by("pk").first()
    for is_public in (True, False):
        jpeg = io.BytesIO()
        Image.new("RGB", (8, 8), "green").save(jpeg, "JPEG")
        image = ContentFile(jpeg.getvalue(), name="foto.jpg")
        CasePhoto.objects.create(case=case, image=image, is_public=is_public)


def _add_files() -> None:
    """One of every uploaded file the site serves, which the demo has none of: on public
    objects (everyone may fetch them) and on objects not yet public (only those who work with
    them may), and an unused survey link. So the file and link rows check who gets the file,
    not only that a missing one answers 404."""
    import datetime

    from django.core.files.base import ContentFile
    from django.utils import timezone
    from PIL import Image

    from torget.dialogues.models import NOT_PUBLIC, Dialogue
    from torget.evaluation.models import Invitation, Survey, token_hash
    from torget.inspections.models import Finding, FindingPhoto
    from torget.meetings.models import Attachment, Meeting, Photo
    from torget.proposals.models import Event, Proposal, Status
    from torget.results.models import FeedbackPoint, PointKind

    def pdf(name: str) -> ContentFile:
        return ContentFile(b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n", name=name)

    def jpeg(name: str) -> ContentFile:
        data = io.BytesIO()
        Image.new("RGB", (8, 8), "green").save(data, "JPEG")
        return ContentFile(data.getvalue(), name=name)

    for proposal in (
        Proposal.objects.filter(status=Status.SIGNING).order_by("pk").first(),
        Proposal.objects.filter(status=Status.SUBMITTED, author__email=DEMO_EMAILS[matrix.CITIZEN])
        .order_by("pk")
        .first(),
    ):
        proposal.image = jpeg("bild.jpg")
        proposal.decision_document = pdf("beslut.pdf")
        proposal.save(update_fields=["image", "decision_document"])
        event = Event.objects.filter(proposal=proposal).order_by("pk").first()
        if event is not None:
            event.document = pdf("handling.pdf")
            event.save(update_fields=["document"])
    # A feedback point with its document on a public dialogue and on one not public (yet).
    for dialogue in (
        Dialogue.objects.exclude(status__in=NOT_PUBLIC).order_by("pk").first(),
        Dialogue.objects.filter(status__in=NOT_PUBLIC).order_by("pk").first(),
    ):
        FeedbackPoint.objects.create(
            dialogue=dialogue,
            kind=PointKind.SUMMARY,
            text="Det här kom fram.",
            document=pdf("aterkoppling.pdf"),
            published_at=timezone.now(),
        )
    for meeting in (
        Meeting.objects.filter(documentation__approved_at__isnull=False).order_by("pk").first(),
        Meeting.objects.exclude(documentation__approved_at__isnull=False).order_by("pk").first(),
    ):
        Attachment.objects.create(
            meeting=meeting,
            title="Minnesanteckningar",
            file=pdf("anteckningar.pdf"),
            extension="pdf",
            content_type="application/pdf",
        )
        Photo.objects.create(
            meeting=meeting, image=jpeg("foto.jpg"), alt_text="Deltagare vid kartan"
        )
    # A photo of a finding of Trygghetsrådet Innerstaden's inspection.
    finding = (
        Finding.objects.filter(
            inspection__council__name="Trygghetsrådet Innerstaden",
            inspection__status="genomford",
        )
        .order_by("pk")
        .first()
    )
    FindingPhoto.objects.create(finding=finding, image=jpeg("fynd.jpg"))
    # And on a published protocol: one photo approved for the public version, one not.
    published = (
        Finding.objects.filter(
            inspection__council__name="Trygghetsrådet Innerstaden",
            inspection__published_at__isnull=False,
        )
        .order_by("pk")
        .first()
    )
    FindingPhoto.objects.create(finding=published, image=jpeg("publik.jpg"), is_public=True)
    FindingPhoto.objects.create(finding=published, image=jpeg("dold.jpg"), is_public=False)
    # A document (and an image) on an alternative of an open consultation and of a draft.
    from torget.consultations.models import Alternative

    for status in ("oppet", "utkast"):
        alternative = Alternative.objects.filter(consultation__status=status).order_by("pk").first()
        alternative.image = jpeg("alternativ.jpg")
        alternative.image_alt = "Skiss"
        alternative.document = pdf("alternativ.pdf")
        alternative.document_title = "Ritning"
        alternative.save()
    dialogue = Dialogue.objects.filter(survey__isnull=True).order_by("pk").first()
    survey = Survey.objects.create(
        dialogue=dialogue,
        sent_at=timezone.now(),
        closes_on=timezone.localdate() + datetime.timedelta(days=14),
    )
    Invitation.objects.create(survey=survey, token_hash=token_hash(SURVEY_TOKEN))


def _add_survey_answers() -> None:
    """A published survey on the dialogue the matrix uses, with a submitted free-text answer
    and a tag, unless the demo has one: for the survey results' rows."""
    from torget.dialogues.models import Dialogue
    from torget.surveys.models import Answer, AnswerTag, Kind, Status, Survey
    from torget.surveys.tests.factories import question, response, section

    dialogue = Dialogue.objects.filter(meetings__isnull=False).order_by("pk").first()
    survey = (
        Survey.objects.filter(dialogue=dialogue, status=Status.PUBLISHED).order_by("pk").first()
    )
    if survey is None:
        survey = Survey.objects.create(
            dialogue=dialogue, title="Matrisens enkät", status=Status.PUBLISHED
        )
    if not Answer.objects.filter(response__survey=survey, text__gt="").exists():
        text = question(section(survey), Kind.SHORT_TEXT, "Ett ord om platsen")
        response(survey, {text: "Trevligt"})
    if not AnswerTag.objects.filter(survey=survey).exists():
        AnswerTag.objects.create(survey=survey, name="Matristagg")


@pytest.fixture(scope="module")
def media_root(tmp_path_factory: Any) -> Iterator[None]:
    from django.test import override_settings

    with override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("media")):
        yield


@pytest.fixture(scope="module")
def site(demo_site: None, media_root: None, django_db_blocker: Any) -> Iterator[Site]:
    from torget.accounts.models import User
    from torget.accounts.tests.factories import CitizenFactory
    from torget.geo.models import Area
    from torget.notifications.services import subscription_create

    with django_db_blocker.unblock():
        users: dict[str, Any] = {
            role: User.objects.get(email=email) for role, email in DEMO_EMAILS.items()
        }
        users[matrix.OTHER] = CitizenFactory(email="annan.medborgare@example.se")
        subscription = subscription_create(
            target=Area.objects.order_by("pk").first(), user=users[matrix.CITIZEN]
        )
        _add_photos()
        _add_files()
        _add_survey_answers()
        walk = Site(
            users,
            targets(
                citizen=users[matrix.CITIZEN],
                subscription=subscription,
                survey_token=SURVEY_TOKEN,
            ),
        )
        for target in walk.targets:
            for role in matrix.ROLES:
                response = walk.request(role, "get", target.url)
                answer = Answer(outcome_of(response), [], [])
                if response.status_code == 200 and "html" in response.get("Content-Type", ""):
                    links, forms = parse_page(target.url, response.content.decode())
                    answer.links = links
                    answer.post_forms = [form.action for form in forms if form.method == "post"]
                walk.answers[(target.key, role)] = answer
        yield walk


def test_every_url_pattern_has_a_row_in_the_matrix(site: Site) -> None:
    names = pattern_names()
    assert len(names) == len(set(names)), "two URL patterns share a name"
    asked = {target.name for target in site.targets}
    assert sorted(set(names) - asked) == [], "patterns without an address in concrete.py"
    keys = {target.key for target in site.targets}
    assert sorted(keys - set(matrix.EXPECTED)) == [], "patterns without a row in matrix.py"
    assert sorted(set(matrix.EXPECTED) - keys) == [], "rows for patterns that are gone"
    Tally.patterns = len(names)


def test_every_role_gets_the_declared_answer_from_every_url(site: Site) -> None:
    wrong = []
    for target in site.targets:
        expected = matrix.EXPECTED.get(target.key, {})
        for role in matrix.ROLES:
            got = site.answers[(target.key, role)].outcome
            Tally.cells += 1
            if got != expected.get(role):
                wrong.append(
                    f"GET {target.url} ({target.key}) as {role}: {got}, declared {expected.get(role)}"
                )
    assert wrong == [], "\n".join(wrong)


def test_every_post_endpoint_is_declared(site: Site) -> None:
    """A pattern that only takes a POST, or that a page's form posts to, is either checked
    as a state-changing endpoint or named as open to all."""
    # A row may be for one object of a pattern ("name[variant]").
    declared = {key.split("[")[0] for key in matrix.ACTORS} | matrix.OPEN_TO_ALL
    assert sorted(declared - set(pattern_names())) == [], "declared endpoints that are gone"
    posted = {
        target.name
        for target in site.targets
        for role in matrix.ROLES
        if site.answers[(target.key, role)].outcome == matrix.POST_ONLY
    }
    for answer in site.answers.values():
        for action in answer.post_forms:
            path = same_site_path(action)
            if path is not None and not path.startswith("/admin/"):
                posted.add(resolve(urlsplit(path).path).view_name)
    assert sorted(posted - declared) == [], "POST endpoints missing from ACTORS/OPEN_TO_ALL"


def test_roles_that_may_not_act_are_refused_and_change_nothing(site: Site) -> None:
    wrong = []
    for target in site.targets:
        actors = matrix.ACTORS.get(target.key, matrix.ACTORS.get(target.name))
        if actors is None:
            continue
        for role in matrix.ROLES:
            stored: list[Any] = []
            response = site.request(role, "post", target.url, data={}, stored=stored)
            Tally.posts += 1
            got = outcome_of(response)
            if response.status_code >= 500:
                wrong.append(f"POST {target.url} as {role}: {got}")
            elif role in actors and got in REFUSED:
                wrong.append(f"POST {target.url} as {role}: refused ({got}), but may act")
            elif role not in actors and (got not in REFUSED or stored):
                wrong.append(
                    f"POST {target.url} as {role}: {got}, stored {stored[:3]}; must be refused"
                )
    assert wrong == [], "\n".join(wrong)


def test_every_link_a_role_is_shown_opens_for_that_role(site: Site) -> None:
    """From the start pages and every page the matrix opened: each same-site link answers
    the role who was shown it 200, directly or after redirects."""
    known = {
        (target.url, role): site.answers[(target.key, role)].outcome
        for target in site.targets
        for role in matrix.ROLES
    }
    assert set(START_PAGES) <= {target.url for target in site.targets}
    broken = []
    checked: set[tuple[str, str]] = set()
    for (key, role), answer in site.answers.items():
        for link in answer.links:
            path = same_site_path(link)
            if path is None or (path, role) in checked:
                continue
            checked.add((path, role))
            Tally.links += 1
            if known.get((path, role)) == matrix.OK:
                continue
            response = site.request(role, "get", path, follow=True)
            if response.status_code != 200:
                shown_on = next(t.url for t in site.targets if t.key == key)
                broken.append(
                    f"{role} is shown {path} ({_name(path)}) on {shown_on}, "
                    f"which answers {response.status_code}"
                )
    assert broken == [], "\n".join(sorted(broken))


def _name(path: str) -> str:
    try:
        return resolve(urlsplit(path).path).view_name
    except Resolver404:
        return "no pattern"
