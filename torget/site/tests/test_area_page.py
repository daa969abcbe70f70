"""The area page (/omraden/<slug>/) shows what is going on in the area now."""

import datetime

import pytest
from django.utils import timezone

from torget.dialogues.tests.factories import approved, cast
from torget.feedback.tests.factories import make_case
from torget.geo.models import AreaKind
from torget.geo.tests.factories import AreaFactory
from torget.meetings.tests.factories import published
from torget.organisation.models import BodyKind, MemberRole
from torget.organisation.tests.factories import BodyFactory, MembershipFactory
from torget.proposals.tests.factories import SigningProposalFactory

pytestmark = pytest.mark.django_db


def _utskott(area, name="Utskott för medborgardialog Söder"):
    body = BodyFactory(kind=BodyKind.DIALOGUE_COMMITTEE, name=name, area=area)
    MembershipFactory(body=body, role=MemberRole.CHAIR, person__full_name="Stina Ordförande")
    MembershipFactory(body=body, person__full_name="Olle Ledamot")
    return body


def _fault(area, **values):
    """A public fault report placed in `area` (the factory's areas all share one square)."""
    case = make_case(**values)
    type(case).objects.filter(pk=case.pk).update(area=area)
    return case


@pytest.fixture
def areas():
    parent = AreaFactory(name="Söder", slug="soder", kind=AreaKind.COMMITTEE_AREA)
    child = AreaFactory(name="Berga", slug="berga", parent=parent)
    return parent, child


def test_area_page_shows_open_dialogues_meetings_proposals_and_utskott(client, areas):
    soder, berga = areas
    body = _utskott(soder)
    people = cast()
    dialogue = approved(people, title="Ny skolgård i Berga", areas=[berga])
    published(people, dialogue=dialogue, title="Dialogmöte om skolgården", area=berga)
    published(people, body=body, title="Utskottets höstmöte", area=soder)
    past = published(people, body=body, title="Utskottets vårmöte")
    start = timezone.now() - datetime.timedelta(days=30)
    type(past).objects.filter(pk=past.pk).update(
        starts_at=start, ends_at=start + datetime.timedelta(hours=1)
    )
    SigningProposalFactory(title="Cykelbana längs ån", area=berga)
    case = _fault(berga, address="Bergavägen 3")

    html = client.get(berga.get_absolute_url()).content.decode()

    assert "Ny skolgård i Berga" in html
    assert "Dialogmöte om skolgården" in html
    assert "Cykelbana längs ån" in html
    assert case.get_absolute_url() in html and "Bergavägen 3" in html
    assert "data-fault-map" in html  # the map, with the list beside it for those without JS
    # Berga lies in Söder, whose utskott is Berga's: its members and meetings, coming and past.
    assert body.name in html
    assert "Stina Ordförande" in html and "Olle Ledamot" in html
    assert "Utskottets höstmöte" in html and "Utskottets vårmöte" in html
    assert 'href="/bevaka/omrade/' in html
    assert "Det finns inga planerade eller pågående" not in html


def test_area_page_shows_what_happens_in_the_areas_inside_it(client, areas):
    soder, berga = areas
    people = cast()
    approved(people, title="Ny skolgård i Berga", areas=[berga])
    html = client.get(soder.get_absolute_url()).content.decode()
    assert "Ny skolgård i Berga" in html


def test_area_page_empty_state_only_when_nothing(client, areas):
    soder, berga = areas
    empty = "Det finns inga planerade eller pågående"
    assert empty in client.get(berga.get_absolute_url()).content.decode()
    # An utskott for the area alone is something going on there.
    _utskott(soder)
    html = client.get(berga.get_absolute_url()).content.decode()
    assert empty not in html
    assert "Stina Ordförande" in html


def test_area_page_empty_state_not_shown_with_a_fault_report_alone(client, areas):
    _soder, berga = areas
    _fault(berga)
    html = client.get(berga.get_absolute_url()).content.decode()
    assert "Det finns inga planerade eller pågående" not in html


def test_area_page_hides_drafts_and_finished_dialogues(client, areas):
    _soder, berga = areas
    people = cast()
    from torget.dialogues.tests.factories import initiative
    from torget.meetings.tests.factories import meeting_for

    initiative(people, title="Ett initiativ som inte är beslutat", areas=[berga])
    meeting_for(people, title="Ett möte som är ett utkast", area=berga)
    html = client.get(berga.get_absolute_url()).content.decode()
    assert "Ett initiativ som inte är beslutat" not in html
    assert "Ett möte som är ett utkast" not in html


def test_area_page_queries_do_not_grow_with_its_content(
    client, areas, django_assert_max_num_queries
):
    soder, berga = areas
    body = _utskott(soder)
    people = cast()
    for n in range(3):
        dialogue = approved(people, title=f"Dialog {n}", areas=[berga])
        published(people, dialogue=dialogue, title=f"Möte {n}", area=berga)
        published(people, body=body, title=f"Utskottsmöte {n}")
        SigningProposalFactory(title=f"Förslag {n}", area=berga)
        _fault(berga)
        MembershipFactory(body=body)
    # 15, and the safety section's five: the area's council, its survey results and their
    # answers, its latest and its next inspection (a fixed number whatever the area holds).
    with django_assert_max_num_queries(20):
        response = client.get(berga.get_absolute_url())
    assert response.status_code == 200
    assert "Dialog 2" in response.content.decode()
