"""The tool for a person's rights: find everything about one person, export it as JSON and
PDF, and erase or anonymise what the law allows, with an audit entry that names no one."""

import io
import json
from dataclasses import dataclass
from typing import Any

import pytest
from django.urls import reverse
from pypdf import PdfReader

from torget.accounts.models import User
from torget.accounts.roles import Role
from torget.accounts.tests.factories import CitizenFactory, user_with_role
from torget.audit.models import AuditEntry
from torget.dialogues.tests.factories import cast
from torget.feedback.models import Case, ReplyChannel
from torget.feedback.tests.factories import make_case
from torget.identity.tests.factories import VerificationFactory, make_pin
from torget.meetings.models import AgendaQuestion, Registration
from torget.meetings.tests.factories import published
from torget.notifications.models import Subscription
from torget.notifications.tests.factories import SubscriptionFactory
from torget.privacy.models import RightsRequest
from torget.proposals.models import Proposal, Support
from torget.proposals.tests.factories import ProposalFactory, SupportFactory

pytestmark = pytest.mark.django_db

RIGHTS = reverse("privacy:rights")


@dataclass
class Person:
    user: User
    pin: str
    email: str
    phone: str


def _person(n: int, meeting: Any) -> Person:
    email = f"sara{n}@exempel.se"
    phone = f"+4670123456{n}"
    pin = make_pin()
    user = CitizenFactory(email=email, full_name=f"Sara Testsson{n}", phone=phone)
    verification = VerificationFactory(user=user, pin=pin)
    proposal = ProposalFactory(author=user, author_name=f"Sara T{n}", contact_email=email)
    SupportFactory(proposal=proposal, person_key=verification.person_key, user=user)
    SubscriptionFactory(user=user, email=email, phone=phone)
    make_case(
        description=f"Gatlampan nummer {n} är trasig.",
        reporter_name=f"Sara Anmälare{n}",
        reporter_email=email,
        reporter_phone=phone,
        reply_channel=ReplyChannel.EMAIL,
    )
    Registration.objects.create(
        meeting=meeting, name=f"Sara Mötesdeltagare{n}", email=email, needs="Hörslinga"
    )
    AgendaQuestion.objects.create(
        meeting=meeting,
        text=f"Varför är lampan {n} trasig?",
        name=f"Sara Frågare{n}",
        # Stored as written: found whatever the letter case.
        email=email.capitalize(),
    )
    return Person(user=user, pin=pin.digits, email=email, phone=phone)


@pytest.fixture
def people() -> tuple[Person, Person]:
    meeting = published(cast())
    return _person(1, meeting), _person(2, meeting)


@pytest.fixture
def admin_client(client: Any) -> Any:
    client.force_login(user_with_role(Role.ADMINISTRATOR))
    return client


def _search(client: Any, searched_by: str, value: str) -> Any:
    return client.post(RIGHTS, {"searched_by": searched_by, "value": value})


def _token(response: Any) -> str:
    return response.context["token"]


KINDS_OF_ONE_PERSON = {
    "Konton",
    "Identitetskontroller",
    "Medborgarförslag",
    "Stöd till förslag",
    "Prenumerationer",
    "Synpunkter och felanmälningar",
    "Anmälningar till möten",
    "Frågor inför möten",
}


@pytest.mark.parametrize(
    ("searched_by", "attribute"),
    [("epost", "email"), ("telefon", "phone"), ("personnummer", "pin")],
)
def test_a_person_is_found_across_apps_by_email_phone_or_personnummer(
    admin_client: Any, people: tuple[Person, Person], searched_by: str, attribute: str
) -> None:
    sara = people[0]
    response = _search(admin_client, searched_by, getattr(sara, attribute))
    assert response.status_code == 200
    kinds = {item.kind for item in response.context["found"]}
    assert kinds >= KINDS_OF_ONE_PERSON
    page = response.content.decode()
    assert "Sara Anmälare1" in page and "Hörslinga" in page
    assert "Sara Anmälare2" not in page and "sara2@exempel.se" not in page
    # The personnummer is never shown back, nor carried in the page.
    assert people[0].pin not in page


def test_an_unknown_person_gets_an_empty_state_and_bad_input_a_clear_error(
    admin_client: Any, people: tuple[Person, Person]
) -> None:
    response = _search(admin_client, "epost", "ingen@exempel.se")
    assert "Inga uppgifter hittades" in response.content.decode()
    response = _search(admin_client, "personnummer", "19800101-0000")
    assert response.status_code == 200
    assert "Det finns fel i formuläret" in response.content.decode()
    response = _search(admin_client, "telefon", "inte ett nummer")
    assert "Det finns fel i formuläret" in response.content.decode()


def test_the_json_export_holds_the_persons_data_and_nothing_of_another(
    admin_client: Any, people: tuple[Person, Person]
) -> None:
    sara = people[0]
    token = _token(_search(admin_client, "epost", sara.email))
    response = admin_client.post(
        reverse("privacy:rights_export"), {"subject": token, "format": "json"}
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert "attachment" in response["Content-Disposition"]
    document = json.loads(response.content)
    kinds = {kind["kind"]: kind for kind in document["kinds"]}
    assert set(kinds) >= KINDS_OF_ONE_PERSON
    assert kinds["Anmälningar till möten"]["rows"][0]["needs"] == "Hörslinga"
    assert kinds["Synpunkter och felanmälningar"]["rows"][0]["reporter_phone"] == sara.phone
    assert kinds["Konton"]["rows"][0]["email"] == sara.email
    text = response.content.decode()
    assert "sara2@exempel.se" not in text and "Sara Anmälare2" not in text
    assert "Testsson2" not in text
    assert document["reference"].startswith("PU-")


def test_the_pdf_export_reads_back_with_the_persons_items(
    admin_client: Any, people: tuple[Person, Person]
) -> None:
    sara = people[0]
    token = _token(_search(admin_client, "telefon", sara.phone))
    response = admin_client.post(
        reverse("privacy:rights_export"), {"subject": token, "format": "pdf"}
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    for expected in ("Registerutdrag PU-", "Anmälningar till möten", "Hörslinga", sara.email):
        assert expected in text
    assert "sara2@exempel.se" not in text


def test_erasure_asks_for_confirmation_first_and_changes_nothing_until_then(
    admin_client: Any, people: tuple[Person, Person]
) -> None:
    token = _token(_search(admin_client, "epost", people[0].email))
    response = admin_client.post(reverse("privacy:rights_erase"), {"subject": token})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Det går inte att ångra" in page
    assert "Allmän handling." in page
    assert Registration.objects.filter(email=people[0].email).exists()
    assert not RightsRequest.objects.filter(action="radering").exists()


def test_erasure_removes_what_is_declared_and_keeps_public_records(
    admin_client: Any, people: tuple[Person, Person]
) -> None:
    sara, other = people
    token = _token(_search(admin_client, "personnummer", sara.pin))
    response = admin_client.post(
        reverse("privacy:rights_erase"), {"subject": token, "confirm": "on"}, follow=True
    )
    assert "Klart (referensnummer PU-" in response.content.decode()

    # Deleted where the law allows.
    assert not Registration.objects.filter(email=sara.email).exists()
    assert not Subscription.objects.filter(email=sara.email).exists()
    # Public records stay, without the contact details.
    case = Case.objects.get(description__contains="nummer 1")
    assert (case.reporter_name, case.reporter_email, case.reporter_phone) == ("", "", "")
    assert case.reply_channel == ReplyChannel.NONE
    proposal = Proposal.objects.get(author_name="Sara T1")
    assert proposal.author is None and proposal.contact_email == ""
    question = AgendaQuestion.objects.get(text__contains="lampan 1")
    assert (question.name, question.email) == ("", "")
    support = Support.objects.get(proposal=proposal)
    assert support.user is None  # still counted
    # The account is closed.
    sara.user.refresh_from_db()
    assert sara.user.closed_at is not None and sara.user.email != sara.email
    # The other person is untouched.
    assert Registration.objects.filter(email=other.email).exists()
    other_case = Case.objects.get(description__contains="nummer 2")
    assert other_case.reporter_email == other.email
    other.user.refresh_from_db()
    assert other.user.closed_at is None


def test_erasure_is_in_the_audit_log_with_counts_and_no_personal_data(
    admin_client: Any, people: tuple[Person, Person]
) -> None:
    sara = people[0]
    token = _token(_search(admin_client, "epost", sara.email))
    admin_client.post(reverse("privacy:rights_erase"), {"subject": token, "confirm": "on"})
    request = RightsRequest.objects.get(action="radering")
    entry = AuditEntry.objects.get(action="privacy.radering")
    assert entry.actor == request.handled_by
    assert entry.object_repr == request.reference
    assert entry.changes["deleted"]["meetings.Registration"] == 1
    assert entry.changes["anonymised"]["feedback.Case"] == 1
    assert entry.changes["kept"]["feedback.Case"]["reason"]
    logged = json.dumps(entry.changes, ensure_ascii=False) + entry.object_repr
    for personal in (sara.email, sara.phone, sara.pin, "Sara", str(sara.user.pk)):
        assert personal not in logged


def test_a_tampered_or_missing_search_sends_back_with_a_message(admin_client: Any) -> None:
    response = admin_client.post(
        reverse("privacy:rights_erase"), {"subject": "x", "confirm": "on"}, follow=True
    )
    assert response.redirect_chain[-1][0] == RIGHTS
    assert "Sök på personen igen" in response.content.decode()
    response = admin_client.post(reverse("privacy:rights_export"), {}, follow=True)
    assert response.redirect_chain[-1][0] == RIGHTS


@pytest.mark.parametrize("role", [Role.OFFICIAL, Role.CONTACT_CENTRE, Role.CITIZEN])
def test_only_administrators_use_the_tool(client: Any, role: Role) -> None:
    client.force_login(user_with_role(role))
    assert client.get(RIGHTS).status_code == 403
    assert _search(client, "epost", "x@exempel.se").status_code == 403
    assert client.post(reverse("privacy:rights_erase"), {}).status_code == 403
