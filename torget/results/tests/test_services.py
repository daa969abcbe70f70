import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from torget.accounts.roles import Role
from torget.accounts.tests.factories import user_with_role
from torget.audit.models import AuditEntry
from torget.feedback import services as feedback
from torget.feedback.models import Case, CaseStatus, Source
from torget.feedback.tests.factories import OpinionCategoryFactory
from torget.notifications.models import Notification
from torget.organisation.tests.factories import TopicFactory
from torget.proposals.models import Proposal
from torget.results import services
from torget.results.models import ItemStatus, Kind, RaisedHow, RaisedVia
from torget.results.tests.factories import item, meeting, world

pytestmark = pytest.mark.django_db


@pytest.fixture
def w():
    return world()


class TestItemCreate:
    def test_the_utskott_defaults_to_the_one_for_the_dialogues_area(self, w):
        assert item(w).utskott == w.utskott

    def test_an_utskott_meeting_gives_its_utskott(self, w):
        from torget.organisation.models import BodyKind
        from torget.organisation.tests.factories import BodyFactory

        other = BodyFactory(kind=BodyKind.DIALOGUE_COMMITTEE, name="Utskott Norr")
        at = meeting(w.dialogue, body=other)
        assert item(w, meeting=at).utskott == other

    def test_only_those_who_work_with_the_dialogue_record_items(self, w):
        for someone in (user_with_role(Role.CITIZEN), user_with_role(Role.CONTACT_CENTRE)):
            with pytest.raises(PermissionDenied):
                services.item_create(dialogue=w.dialogue, actor=someone, title="x")

    def test_a_party_political_item_needs_an_elected_official(self, w):
        with pytest.raises(services.ResultError) as refused:
            services.item_create(
                dialogue=w.dialogue, actor=w.people.official, title="Skatten", kind="partipolitisk"
            )
        assert "förtroendevalda" in str(refused.value)


class TestPartyPolitical:
    def test_the_administration_cannot_work_it_before_it_is_raised(self, w):
        held = item(w, Kind.PARTY_POLITICAL, title="Sänk kommunalskatten")
        assert held.status == ItemStatus.HELD
        category = OpinionCategoryFactory()
        official = w.people.official
        attempts = [
            lambda: services.forward_to_contact_centre(
                item=held, actor=official, category=category
            ),
            lambda: services.assign_to_namnd(
                item=held, actor=official, body=w.namnd, raised_via=RaisedVia.PRESIDIUM
            ),
            lambda: services.utskott_feedback_record(item=held, actor=official, text="Klart"),
            lambda: services.item_close(item=held, actor=official),
            lambda: services.timeline_add(item=held, actor=official, text="Nästa steg"),
        ]
        for attempt in attempts:
            with pytest.raises(services.ResultError) as refused:
                attempt()
            assert "partipolitisk" in str(refused.value)
        held.refresh_from_db()
        assert held.status == ItemStatus.HELD and held.case is None and held.body is None
        assert not Case.objects.exists()

    def test_only_the_politician_on_the_item_marks_it_raised(self, w):
        held = item(w, Kind.PARTY_POLITICAL)
        for someone in (w.people.official, w.people.chair, w.members[0]):
            with pytest.raises(PermissionDenied):
                services.mark_raised_politically(
                    item=held, actor=someone, raised_how=RaisedHow.MOTION, note="x"
                )

    def test_the_raise_closes_it_with_the_note(self, w):
        held = item(w, Kind.PARTY_POLITICAL)
        assert Notification.objects.get(template="results.to_raise").deliveries.get().to == (
            w.politician.email
        )
        services.mark_raised_politically(
            item=held,
            actor=w.politician,
            raised_how=RaisedHow.MOTION,
            note="Motion till fullmäktige 12 mars.",
        )
        held.refresh_from_db()
        assert held.status == ItemStatus.CLOSED and held.closed_at is not None
        assert held.raised_note == "Motion till fullmäktige 12 mars."
        assert held.raised_how == RaisedHow.MOTION
        assert AuditEntry.objects.filter(action="result.raise", object_id=str(held.pk)).exists()


class TestNamnd:
    def test_timeline_entries_are_emailed_to_the_utskotts_members(self, w):
        prepared = item(w, Kind.COMMITTEE)
        services.assign_to_namnd(
            item=prepared,
            actor=w.people.official,
            body=w.namnd,
            raised_via=RaisedVia.PARTY,
            matter_reference="BUN 2026/112",
        )
        prepared.refresh_from_db()
        assert prepared.status == ItemStatus.PREPARING
        services.timeline_add(
            item=prepared,
            actor=w.people.official,
            text="Nämnden bereder frågan i april.",
            due_on=timezone.localdate() + datetime.timedelta(days=30),
        )
        notification = Notification.objects.get(template="results.timeline")
        assert {d.to for d in notification.deliveries.all()} == {m.email for m in w.members}
        assert notification.context["text"] == "Nämnden bereder frågan i april."

    def test_assigning_needs_a_namnd(self, w):
        prepared = item(w, Kind.COMMITTEE)
        with pytest.raises(services.ResultError) as refused:
            services.assign_to_namnd(
                item=prepared, actor=w.people.official, body=w.utskott, raised_via="presidiet"
            )
        assert "nämnd" in str(refused.value)


class TestSimple:
    def test_forwarding_creates_one_contact_centre_case(self, w):
        simple = item(w, Kind.SIMPLE, title="När töms soptunnorna?")
        services.forward_to_contact_centre(
            item=simple, actor=w.people.official, category=OpinionCategoryFactory()
        )
        case = Case.objects.get()
        assert case.source == Source.DIALOGUE
        assert "När töms soptunnorna?" in case.description
        simple.refresh_from_db()
        assert simple.case == case and simple.status == ItemStatus.CONTACT_CENTRE
        with pytest.raises(services.ResultError):
            services.forward_to_contact_centre(
                item=simple, actor=w.people.official, category=OpinionCategoryFactory()
            )
        assert Case.objects.count() == 1

    def test_feedback_waits_until_the_case_is_closed(self, w):
        simple = item(w, Kind.SIMPLE)
        services.forward_to_contact_centre(
            item=simple, actor=w.people.official, category=OpinionCategoryFactory()
        )
        simple.refresh_from_db()
        with pytest.raises(services.ResultError) as refused:
            services.utskott_feedback_record(item=simple, actor=w.people.official, text="Klart")
        assert "Kontaktcenter har inte avslutat" in str(refused.value)
        feedback.case_set_status(
            case=simple.case,
            status=CaseStatus.objects.get(slug="atgardat"),
            actor=user_with_role(Role.CONTACT_CENTRE),
        )
        services.utskott_feedback_record(
            item=simple, actor=w.people.official, text="Tömningen flyttas till måndagar."
        )
        services.item_close(item=simple, actor=w.people.official)
        simple.refresh_from_db()
        assert simple.status == ItemStatus.CLOSED


class TestClose:
    def test_close_is_refused_without_utskott_feedback(self, w):
        prepared = item(w, Kind.COMMITTEE)
        services.assign_to_namnd(
            item=prepared, actor=w.people.official, body=w.namnd, raised_via="presidiet"
        )
        with pytest.raises(services.ResultError) as refused:
            services.item_close(item=prepared, actor=w.people.official)
        assert "återkopplingen till utskottet" in str(refused.value)
        services.utskott_feedback_record(
            item=prepared, actor=w.people.official, text="Nämnden beslutade i maj."
        )
        services.item_close(item=prepared, actor=w.people.official)
        prepared.refresh_from_db()
        assert prepared.status == ItemStatus.CLOSED


class TestProposal:
    def test_a_proposal_registered_from_a_meeting_is_linked_both_ways(self, w):
        at = meeting(w.dialogue, title="Dialogmöte i Bergaskolan")
        raised = item(w, Kind.PROPOSAL, title="Bygg en pumptrack", meeting=at)
        services.register_as_proposal(
            item=raised,
            actor=w.people.official,
            topic=TopicFactory(),
            responsible_politician=w.politician,
            body="Bygg en pumptrack bakom skolan.",
        )
        raised.refresh_from_db()
        proposal = Proposal.objects.get()
        assert raised.proposal == proposal and raised.status == ItemStatus.PROPOSAL
        assert proposal.meeting == at
        assert proposal.result_items.get() == raised
        assert proposal.source.startswith("Dialogmöte i Bergaskolan, ")


class TestFeedbackPoints:
    def test_a_decision_proposal_document_must_be_a_pdf(self, w, settings, tmp_path):
        from django.core.files.uploadedfile import SimpleUploadedFile

        from torget.results.tests.factories import to_compiling

        settings.MEDIA_ROOT = tmp_path
        to_compiling(w)
        fake = SimpleUploadedFile("forslag.pdf", b"<html>not a pdf</html>", "application/pdf")
        with pytest.raises(services.ResultError) as refused:
            services.decision_proposal_publish(
                dialogue=w.dialogue,
                actor=w.people.official,
                text="Förslag",
                deciding_body=w.namnd,
                expected_on=datetime.date(2027, 3, 1),
                document=fake,
            )
        assert "PDF" in str(refused.value)
        big = SimpleUploadedFile("stor.pdf", b"%PDF-" + b"0" * services.DOCUMENT_MAX_BYTES)
        with pytest.raises(services.ResultError) as refused:
            services.validate_document(big)
        assert "10 MB" in str(refused.value)


def test_every_step_allowed_by_the_table_succeeds_and_every_other_is_refused(w):
    from torget.core.tests.walk import walk_table
    from torget.results import workflow
    from torget.results.models import ResultItem

    base = item(w, Kind.SIMPLE)
    ResultItem.objects.filter(pk=base.pk).update(
        politician=w.politician, utskott_feedback="Frågan är besvarad.", closed_at=timezone.now()
    )
    official = w.people.official
    category, topic = OpinionCategoryFactory(), TopicFactory()
    steps = {
        "classify": lambda i: services.item_classify(item=i, actor=official, kind=Kind.COMMITTEE),
        "hold": lambda i: services.item_classify(
            item=i, actor=official, kind=Kind.PARTY_POLITICAL, politician=w.politician
        ),
        "raise": lambda i: services.mark_raised_politically(
            item=i, actor=w.politician, raised_how=RaisedHow.values[0], note="Motion i KF."
        ),
        "assign": lambda i: services.assign_to_namnd(
            item=i, actor=official, body=w.namnd, raised_via=RaisedVia.PRESIDIUM
        ),
        "timeline": lambda i: services.timeline_add(item=i, actor=official, text="Beredning"),
        "forward": lambda i: services.forward_to_contact_centre(
            item=i, actor=official, category=category
        ),
        "proposal": lambda i: services.register_as_proposal(
            item=i, actor=official, topic=topic, responsible_politician=w.politician
        ),
        "feedback": lambda i: services.utskott_feedback_record(
            item=i, actor=official, text="Klart."
        ),
        "close": lambda i: services.item_close(item=i, actor=official),
        "reclassify": lambda i: services.item_reclassify(
            item=i, actor=official, kind=Kind.COMMITTEE, reason="Behöver beredas."
        ),
        "reclassify_hold": lambda i: services.item_reclassify(
            item=i,
            actor=official,
            kind=Kind.PARTY_POLITICAL,
            politician=w.politician,
            reason="Det är en fråga för partierna.",
        ),
        "correct": lambda i: services.item_correct(
            item=i, actor=official, title="Ny rubrik", description="", reason="Stavfel."
        ),
    }

    def put(state):
        ResultItem.objects.filter(pk=base.pk).update(status=state)
        return ResultItem.objects.get(pk=base.pk)

    def take(record, name):
        # The item is of the kind the step is for, so only the status decides.
        ResultItem.objects.filter(pk=record.pk).update(
            kind=workflow.PROCESS[name].kind or Kind.SIMPLE
        )
        record.refresh_from_db()
        steps[name](record)

    assert workflow.PROCESS.states == set(ItemStatus.values)
    assert set(steps) == set(workflow.PROCESS.steps)
    walked = walk_table(
        workflow.PROCESS,
        put=put,
        take=take,
        written=lambda: (AuditEntry.objects.count(), Notification.objects.count()),
    )
    assert len(walked) == len(ItemStatus.values) * len(steps)
