import datetime
import threading

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.utils import timezone

from torget.accounts.roles import Role
from torget.accounts.tests.factories import user_with_role
from torget.audit.models import AuditEntry
from torget.consultations import selectors, services
from torget.consultations.models import Choice, Consultation, Status
from torget.consultations.tests.factories import approve, draft, ids, open_, ranked, world
from torget.geo.tests.factories import AreaFactory
from torget.notifications.models import Notification
from torget.results.models import ResultItem

pytestmark = pytest.mark.django_db


@pytest.fixture
def w():
    return world()


def choose(consultation, key="person-1", **values):
    values.setdefault("alternative_id", ids(consultation)[0])
    return services.choice_make(consultation=consultation, person_key=key, **values)


class TestPreparing:
    def test_only_those_who_work_with_the_dialogue_create_one(self, w):
        with pytest.raises(PermissionDenied):
            services.consultation_create(
                dialogue=w.dialogue,
                actor=user_with_role(Role.CITIZEN),
                title="X",
                question="Y?",
                eligibility_reason="Z",
                opens_at=timezone.now(),
                closes_at=timezone.now() + datetime.timedelta(days=1),
            )

    def test_the_period_must_end_after_it_starts(self, w):
        now = timezone.now()
        with pytest.raises(ValidationError) as error:
            draft(w, opens_at=now, closes_at=now)
        assert "closes_at" in error.value.message_dict

    def test_creating_and_adding_alternatives_is_audited(self, w):
        consultation = draft(w)
        actions = set(AuditEntry.objects.values_list("action", flat=True))
        assert {"consultation.created", "consultation.alternative_added"} <= actions
        assert consultation.status == Status.DRAFT

    def test_a_place_needs_both_coordinates(self, w):
        consultation = draft(w)
        with pytest.raises(ValidationError) as error:
            services.alternative_add(
                consultation=consultation, actor=w.people.official, title="C", lat=58.4
            )
        assert "lat" in error.value.message_dict

    def test_a_document_must_be_a_pdf(self, w):
        from django.core.files.uploadedfile import SimpleUploadedFile

        consultation = draft(w)
        with pytest.raises(ValidationError) as error:
            services.alternative_add(
                consultation=consultation,
                actor=w.people.official,
                title="C",
                document=SimpleUploadedFile("a.pdf", b"not a pdf"),
                document_title="Ritning",
            )
        assert "document" in error.value.message_dict

    @pytest.mark.parametrize(
        ("field", "upload"),
        [
            ("image", (b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>', "bild.jpg")),
            ("image", (b"<html><script>alert(1)</script></html>", "foto.png")),
            ("document", (b"<html><script>alert(1)</script></html>", "ritning.pdf")),
        ],
    )
    def test_a_page_or_drawing_in_disguise_is_refused_and_nothing_is_added(self, w, field, upload):
        from django.core.files.uploadedfile import SimpleUploadedFile

        from torget.consultations.models import Alternative

        consultation = draft(w)
        before = Alternative.objects.count()
        content, name = upload
        with pytest.raises(ValidationError) as error:
            services.alternative_add(
                consultation=consultation,
                actor=w.people.official,
                title="C",
                image_alt="Ritning över parken",
                document_title="Ritning",
                **{field: SimpleUploadedFile(name, content, content_type="image/jpeg")},
            )
        assert field in error.value.message_dict
        assert Alternative.objects.count() == before

    def test_alternatives_cannot_change_after_approval(self, w):
        consultation = approve(w, draft(w))
        with pytest.raises(ValidationError):
            services.alternative_add(
                consultation=consultation, actor=w.people.official, title="Sent förslag"
            )


class TestApproval:
    def test_it_cannot_open_before_the_approval_is_recorded(self, w):
        consultation = draft(w)
        with pytest.raises(ValidationError):
            services.consultation_open(consultation=consultation, actor=w.people.official)
        assert Consultation.objects.get(pk=consultation.pk).status == Status.DRAFT

    def test_the_approval_needs_body_names_and_date(self, w):
        consultation = draft(w)
        with pytest.raises(ValidationError) as error:
            services.approval_record(
                consultation=consultation,
                actor=w.people.official,
                body=None,
                names="",
                approved_on=None,
            )
        assert {"body", "names", "approved_on"} <= set(error.value.message_dict)

    def test_one_alternative_is_not_a_choice(self, w):
        with pytest.raises(ValidationError):
            approve(w, draft(w, alternatives=1))

    def test_the_approval_is_recorded_and_audited(self, w):
        consultation = approve(w, draft(w))
        assert consultation.status == Status.APPROVED
        assert consultation.approved_by_body == w.people.body
        assert consultation.approval_reference == "KS 2026/12"
        entry = AuditEntry.objects.get(action="consultation.approved")
        assert entry.changes["reference"] == "KS 2026/12"

    def test_opening_tells_the_followers(self, w):
        open_(w)
        assert Notification.objects.filter(template="consultations.opened").count() == 1


class TestChoosing:
    def test_a_choice_is_refused_outside_the_period_with_the_dates(self, w):
        now = timezone.now()
        consultation = open_(
            w,
            opens_at=now + datetime.timedelta(days=1),
            closes_at=now + datetime.timedelta(days=2),
        )
        with pytest.raises(ValidationError) as error:
            choose(consultation)
        opens = timezone.localtime(consultation.opens_at).strftime("%Y-%m-%d")
        assert opens in error.value.messages[0]

    def test_no_choice_before_it_is_opened(self, w):
        consultation = approve(w, draft(w))
        with pytest.raises(ValidationError):
            choose(consultation)

    def test_one_choice_per_person_and_the_last_counts(self, w):
        consultation = open_(w)
        first, second = ids(consultation)
        _choice, created = choose(consultation, alternative_id=first)
        assert created
        _choice, created = choose(consultation, alternative_id=second, comment="Ändrade mig")
        assert not created
        assert Choice.objects.filter(consultation=consultation).count() == 1
        choice = Choice.objects.get(consultation=consultation)
        assert choice.alternative_id == second
        assert choice.comment == "Ändrade mig"

    def test_two_people_are_two_choices(self, w):
        consultation = open_(w)
        choose(consultation, key="a")
        choose(consultation, key="b")
        assert selectors.tally(consultation)["total"] == 2

    def test_the_same_person_in_two_consultations_gets_two_hashes(self, w):
        one, two = open_(w), open_(w)
        assert selectors.person_hash(one, "k") != selectors.person_hash(two, "k")

    def test_an_alternative_of_another_consultation_is_refused(self, w):
        one, two = open_(w), open_(w)
        with pytest.raises(ValidationError):
            choose(one, alternative_id=ids(two)[0])

    def test_a_ranking_must_place_every_alternative_once(self, w):
        consultation = ranked(w)
        a, b, _c = ids(consultation)
        with pytest.raises(ValidationError):
            choose(consultation, alternative_id=None, ranking=[a, b])
        with pytest.raises(ValidationError):
            choose(consultation, alternative_id=None, ranking=[a, a, b])

    def test_an_area_outside_the_dialogue_is_refused(self, w):
        consultation = open_(w)
        with pytest.raises(ValidationError):
            choose(consultation, area=AreaFactory(name="Ryd"))

    def test_a_choice_writes_nothing_to_the_audit_log(self, w):
        consultation = open_(w)
        before = AuditEntry.objects.count()
        choose(consultation)
        assert AuditEntry.objects.count() == before


class TestAnonymity:
    def test_no_column_of_a_choice_links_it_to_a_person(self, w):
        """The choice's table has no reference to the user, the verification or an
        address, and keeps only the date: nothing to join a choice to a person on."""
        fields = {f.name: f for f in Choice._meta.get_fields() if f.concrete}
        related = {f.related_model._meta.label for f in fields.values() if f.is_relation}
        assert related == {
            "consultations.Consultation",
            "consultations.Alternative",
            "geo.Area",
        }
        assert not any(
            f.get_internal_type() in {"DateTimeField", "EmailField", "GenericIPAddressField"}
            for f in fields.values()
        )
        with connection.cursor() as cursor:
            columns = {
                c.name
                for c in connection.introspection.get_table_description(
                    cursor, Choice._meta.db_table
                )
            }
        assert columns == {
            "id",
            "consultation_id",
            "person_hash",
            "alternative_id",
            "ranking",
            "comment",
            "age_band",
            "area_id",
            "chosen_on",
        }

    def test_the_stored_hash_is_neither_the_key_nor_the_address(self, w):
        consultation = open_(w)
        choose(consultation, key=selectors.email_key("Anna@Example.se"))
        stored = Choice.objects.get().person_hash
        assert "anna" not in stored.lower()
        assert len(stored) == 64
        assert stored == selectors.person_hash(consultation, "email:anna@example.se")

    def test_the_choices_primary_key_is_not_a_sequence(self, w):
        consultation = open_(w)
        choose(consultation, key="a")
        choose(consultation, key="b")
        keys = list(Choice.objects.values_list("pk", flat=True))
        assert all(not isinstance(k, int) for k in keys)


class TestCounting:
    def test_counts_per_alternative_area_and_age(self, w):
        consultation = open_(w)
        a, b = ids(consultation)
        choose(consultation, key="1", alternative_id=a, area=w.area, age_band="16-19")
        choose(consultation, key="2", alternative_id=a, age_band="65-79", comment="Bra!")
        choose(consultation, key="3", alternative_id=b, area=w.area)
        result = selectors.tally(consultation)
        assert result["total"] == 3
        assert [row["count"] for row in result["alternatives"]] == [2, 1]
        assert result["ranked"] == [a, b]
        berga = next(row for row in result["by_area"] if row["name"] == "Berga")
        assert berga["counts"] == [1, 1]
        young = next(row for row in result["by_age"] if row["name"] == "16–19 år")
        assert young["counts"] == [1, 0]
        assert result["alternatives"][0]["comments"] == ["Bra!"]

    def test_a_changed_choice_moves_its_count(self, w):
        consultation = open_(w)
        a, b = ids(consultation)
        choose(consultation, key="1", alternative_id=a)
        choose(consultation, key="1", alternative_id=b)
        assert [row["count"] for row in selectors.tally(consultation)["alternatives"]] == [0, 1]

    def test_rank_mode_counts_borda_points_and_first_preferences(self, w):
        consultation = ranked(w)
        a, b, c = ids(consultation)
        choose(consultation, key="1", alternative_id=None, ranking=[a, b, c])
        choose(consultation, key="2", alternative_id=None, ranking=[b, c, a])
        choose(consultation, key="3", alternative_id=None, ranking=[b, a, c])
        result = selectors.tally(consultation)
        rows = {row["id"]: row for row in result["alternatives"]}
        # 3 points for a first place, 2 for a second, 1 for a third.
        assert rows[a]["points"] == 3 + 1 + 2
        assert rows[b]["points"] == 2 + 3 + 3
        assert rows[c]["points"] == 1 + 2 + 1
        assert [rows[pk]["count"] for pk in (a, b, c)] == [1, 2, 0]
        assert result["ranked"] == [b, a, c]


class TestClosingAndPublishing:
    def test_publishing_freezes_the_result_and_records_a_dialogue_result(self, w):
        consultation = open_(w)
        choose(consultation, key="1")
        services.consultation_close(consultation=consultation, actor=w.people.official)
        services.result_publish(
            consultation=consultation, actor=w.people.official, text="Flest valde A."
        )
        consultation.refresh_from_db()
        assert consultation.status == Status.PUBLISHED
        assert consultation.result["total"] == 1
        item = ResultItem.objects.get(dialogue=w.dialogue)
        assert consultation.title in item.title
        assert item.description == "Flest valde A."
        assert Notification.objects.filter(template="consultations.result").count() == 1
        # Later rows (there can be none, but the frozen result would not move) are not counted.
        assert "consultation.published" in set(AuditEntry.objects.values_list("action", flat=True))

    def test_a_choice_after_closing_is_refused(self, w):
        consultation = open_(w)
        services.consultation_close(consultation=consultation, actor=w.people.official)
        with pytest.raises(ValidationError):
            choose(consultation)

    def test_publishing_needs_a_summary(self, w):
        consultation = open_(w)
        services.consultation_close(consultation=consultation, actor=w.people.official)
        with pytest.raises(ValidationError):
            services.result_publish(consultation=consultation, actor=w.people.official, text=" ")

    def test_a_citizen_cannot_close_it(self, w):
        consultation = open_(w)
        with pytest.raises(PermissionDenied):
            services.consultation_close(
                consultation=consultation, actor=user_with_role(Role.CITIZEN)
            )


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_first_choices_by_one_person_are_one_row(postgres_only):
    w = world()
    consultation = open_(w)
    a, b = ids(consultation)
    parallel = 12
    barrier = threading.Barrier(parallel)
    errors: list[Exception] = []

    def choose_now(alternative_id):
        try:
            barrier.wait()
            services.choice_make(
                consultation=consultation, person_key="same-person", alternative_id=alternative_id
            )
        except Exception as error:  # noqa: BLE001 (collected and asserted below)
            errors.append(error)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=choose_now, args=(a if n % 2 else b,)) for n in range(parallel)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert Choice.objects.filter(consultation=consultation).count() == 1
