"""The survey builder's services: surveys, sections, questions of every kind, options,
conditions, copies, publishing and the lock after the first answer."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from torget.audit.models import AuditEntry
from torget.dialogues.tests.factories import cast
from torget.surveys import builder
from torget.surveys.models import Channel, Kind, Question, QuestionVersion, Status, Survey
from torget.surveys.tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup():
    dialogue, people = factories.survey_dialogue()
    return dialogue, people


def _draft(dialogue, people, **values):
    values.setdefault("title", "Skolgården")
    return builder.survey_create(
        actor=people.official,
        dialogue=dialogue,
        method=builder.survey_methods(dialogue)[0],
        **values,
    )


def _period():
    now = timezone.now()
    return {
        "opens_at": now - datetime.timedelta(hours=1),
        "closes_at": now + datetime.timedelta(days=14),
    }


class TestSurveyCreate:
    def test_a_new_survey_is_a_draft_of_the_planned_survey_method(self, setup):
        dialogue, people = setup
        survey = _draft(dialogue, people, title_en="School yard")
        assert survey.status == Status.DRAFT
        assert survey.method.method.code == "enkat"
        assert survey.created_by == people.official
        assert AuditEntry.objects.filter(action="survey.created", object_id=str(survey.pk)).exists()

    def test_a_survey_without_a_planned_method_is_refused(self, setup):
        dialogue, people = setup
        with pytest.raises(ValidationError) as error:
            builder.survey_create(actor=people.official, dialogue=dialogue, method=None, title="X")
        assert "method" in error.value.message_dict

    def test_answering_by_e_id_needs_a_reason_shown_publicly(self, setup):
        dialogue, people = setup
        with pytest.raises(ValidationError) as error:
            _draft(dialogue, people, access="e-legitimation")
        assert "access_reason" in error.value.message_dict
        assert _draft(
            dialogue, people, access="e-legitimation", access_reason="Ett svar per person."
        )

    def test_a_survey_must_close_after_it_opens(self, setup):
        dialogue, people = setup
        now = timezone.now()
        with pytest.raises(ValidationError) as error:
            _draft(dialogue, people, opens_at=now, closes_at=now - datetime.timedelta(days=1))
        assert "closes_at" in error.value.message_dict

    def test_someone_who_does_not_work_with_the_dialogue_is_refused(self, setup):
        dialogue, people = setup
        stranger = cast().chair
        with pytest.raises(ValidationError):
            builder.survey_create(
                actor=stranger,
                dialogue=dialogue,
                method=builder.survey_methods(dialogue)[0],
                title="X",
            )


def _options_for(kind):
    return (
        ["Gungor", "Rutschkana", "Sandlåda"]
        if kind in (Kind.SINGLE, Kind.MULTIPLE, Kind.RANKING)
        else []
    )


class TestQuestions:
    @pytest.mark.parametrize("kind", Kind.values)
    def test_a_question_of_every_kind_can_be_added(self, setup, kind):
        dialogue, people = setup
        survey = _draft(dialogue, people)
        section = builder.section_add(actor=people.official, survey=survey, title="Del 1")
        question = builder.question_add(
            actor=people.official,
            section=section,
            kind=kind,
            options=_options_for(kind),
            text="Vad tycker du?",
            help_text="Svara ärligt.",
            required=True,
            max_choices=2,
            number_min=0,
            number_max=10,
            scale_low_label="Dåligt",
            scale_high_label="Bra",
        )
        assert question.kind == kind
        assert question.order == 1
        codes = list(question.options.values_list("code", flat=True))
        assert codes == (["A", "B", "C"] if _options_for(kind) else [])
        # What does not belong to the kind is not kept.
        assert (question.max_choices is not None) == (kind == Kind.MULTIPLE)
        assert (question.number_max is not None) == (kind == Kind.NUMBER)
        assert bool(question.scale_low_label) == (kind == Kind.SCALE)

    @pytest.mark.parametrize("kind", [Kind.SINGLE, Kind.MULTIPLE, Kind.RANKING])
    def test_a_choice_question_needs_two_options(self, setup, kind):
        dialogue, people = setup
        section = builder.section_add(
            actor=people.official, survey=_draft(dialogue, people), title="Del"
        )
        with pytest.raises(ValidationError) as error:
            builder.question_add(
                actor=people.official,
                section=section,
                kind=kind,
                options=["Bara en", "  "],
                text="?",
            )
        assert "options" in error.value.message_dict

    def test_max_choices_cannot_exceed_the_options(self, setup):
        dialogue, people = setup
        section = builder.section_add(
            actor=people.official, survey=_draft(dialogue, people), title="Del"
        )
        with pytest.raises(ValidationError) as error:
            builder.question_add(
                actor=people.official,
                section=section,
                kind=Kind.MULTIPLE,
                options=["A", "B"],
                text="?",
                max_choices=3,
            )
        assert "max_choices" in error.value.message_dict

    def test_a_number_range_must_not_be_upside_down(self, setup):
        dialogue, people = setup
        section = builder.section_add(
            actor=people.official, survey=_draft(dialogue, people), title="Del"
        )
        with pytest.raises(ValidationError) as error:
            builder.question_add(
                actor=people.official,
                section=section,
                kind=Kind.NUMBER,
                text="?",
                number_min=5,
                number_max=1,
            )
        assert "number_max" in error.value.message_dict

    def test_an_sms_survey_refuses_a_map_question(self, setup):
        dialogue, people = setup
        survey = _draft(dialogue, people, channel=Channel.SMS)
        section = builder.section_add(actor=people.official, survey=survey, title="Del")
        with pytest.raises(ValidationError) as error:
            builder.question_add(
                actor=people.official, section=section, kind=Kind.PLACE, text="Var?"
            )
        assert "kind" in error.value.message_dict

    def test_options_are_added_moved_and_removed_with_their_codes_kept(self, setup):
        dialogue, people = setup
        section = builder.section_add(
            actor=people.official, survey=_draft(dialogue, people), title="Del"
        )
        question = builder.question_add(
            actor=people.official,
            section=section,
            kind=Kind.SINGLE,
            options=["Ett", "Två"],
            text="?",
        )
        third = builder.option_add(actor=people.official, question=question, text="Tre")
        assert third.code == "C"
        builder.option_move(actor=people.official, option=third, up=True)
        assert list(question.options.order_by("order").values_list("code", flat=True)) == [
            "A",
            "C",
            "B",
        ]
        builder.option_remove(actor=people.official, option=question.options.get(code="A"))
        assert list(question.options.order_by("order").values_list("code", "order")) == [
            ("C", 1),
            ("B", 2),
        ]
        with pytest.raises(ValidationError):
            builder.option_remove(actor=people.official, option=question.options.get(code="B"))
        assert builder.option_add(actor=people.official, question=question, text="Fyra").code == "A"

    def test_sections_and_questions_are_reordered(self, setup):
        dialogue, people = setup
        survey = _draft(dialogue, people)
        first = builder.section_add(actor=people.official, survey=survey, title="Ett")
        second = builder.section_add(actor=people.official, survey=survey, title="Två")
        builder.section_move(actor=people.official, section=second, up=True)
        assert list(survey.sections.order_by("order").values_list("title", flat=True)) == [
            "Två",
            "Ett",
        ]
        a = builder.question_add(
            actor=people.official, section=first, kind=Kind.SHORT_TEXT, text="A"
        )
        builder.question_add(actor=people.official, section=first, kind=Kind.SHORT_TEXT, text="B")
        builder.question_move(actor=people.official, question=a, up=False)
        assert list(first.questions.order_by("order").values_list("text", flat=True)) == ["B", "A"]
        builder.section_remove(actor=people.official, section=first)
        assert list(survey.sections.values_list("title", "order")) == [("Två", 1)]
        assert not survey.questions.exists()


class TestConditions:
    def _survey(self, setup):
        dialogue, people = setup
        survey = _draft(dialogue, people)
        section = builder.section_add(actor=people.official, survey=survey, title="Del")
        yes_no = builder.question_add(
            actor=people.official, section=section, kind=Kind.YES_NO, text="Trygg?"
        )
        single = builder.question_add(
            actor=people.official,
            section=section,
            kind=Kind.SINGLE,
            options=["Ofta", "Sällan"],
            text="Hur ofta?",
        )
        text = builder.question_add(
            actor=people.official, section=section, kind=Kind.SHORT_TEXT, text="Ord?"
        )
        return people, survey, section, yes_no, single, text

    def test_a_question_may_depend_on_an_earlier_answer(self, setup):
        people, survey, section, yes_no, single, _text = self._survey(setup)
        question = builder.question_add(
            actor=people.official,
            section=section,
            kind=Kind.LONG_TEXT,
            text="Varför?",
            condition_question=single,
            condition_value=" b ",
        )
        assert question.condition_question == single
        assert question.condition_value == "B"
        builder.question_update(
            actor=people.official,
            question=question,
            condition_question=yes_no,
            condition_value="JA",
        )
        question.refresh_from_db()
        assert question.condition_value == "ja"

    def test_a_condition_on_a_later_question_is_refused(self, setup):
        people, survey, section, yes_no, single, _text = self._survey(setup)
        with pytest.raises(ValidationError) as error:
            builder.question_update(
                actor=people.official,
                question=yes_no,
                condition_question=single,
                condition_value="A",
            )
        assert "condition_question" in error.value.message_dict

    def test_a_condition_on_a_free_text_question_is_refused(self, setup):
        people, survey, section, _yes_no, _single, text = self._survey(setup)
        with pytest.raises(ValidationError) as error:
            builder.question_add(
                actor=people.official,
                section=section,
                kind=Kind.LONG_TEXT,
                text="?",
                condition_question=text,
                condition_value="x",
            )
        assert "condition_question" in error.value.message_dict

    @pytest.mark.parametrize("value", ["", "C", "kanske", "1"])
    def test_a_condition_value_must_be_one_the_question_can_have(self, setup, value):
        people, survey, section, _yes_no, single, _text = self._survey(setup)
        with pytest.raises(ValidationError) as error:
            builder.question_add(
                actor=people.official,
                section=section,
                kind=Kind.LONG_TEXT,
                text="?",
                condition_question=single,
                condition_value=value,
            )
        assert "condition_value" in error.value.message_dict

    def test_a_scale_condition_names_a_point(self, setup):
        people, survey, section, *_ = self._survey(setup)
        scale = builder.question_add(
            actor=people.official, section=section, kind=Kind.SCALE, text="Hur?"
        )
        question = builder.question_add(
            actor=people.official,
            section=section,
            kind=Kind.LONG_TEXT,
            text="?",
            condition_question=scale,
            condition_value="5",
        )
        assert question.condition_value == "5"

    def test_a_question_in_another_survey_is_refused(self, setup):
        people, survey, section, yes_no, *_ = self._survey(setup)
        other = factories.survey_of_every_kind()
        target = other.questions.get(kind=Kind.YES_NO)
        with pytest.raises(ValidationError):
            builder.question_add(
                actor=people.official,
                section=section,
                kind=Kind.LONG_TEXT,
                text="?",
                condition_question=target,
                condition_value="ja",
            )

    def test_a_move_that_puts_the_condition_after_its_question_is_refused(self, setup):
        people, survey, section, yes_no, *_ = self._survey(setup)
        dependant = builder.question_add(
            actor=people.official,
            section=section,
            kind=Kind.LONG_TEXT,
            text="?",
            condition_question=yes_no,
            condition_value="ja",
        )
        for _ in range(2):
            builder.question_move(actor=people.official, question=dependant, up=True)
        with pytest.raises(ValidationError):
            builder.question_move(actor=people.official, question=dependant, up=True)
        dependant.refresh_from_db()
        assert dependant.order == 2

    def test_a_question_others_depend_on_cannot_be_removed(self, setup):
        people, survey, section, yes_no, single, _text = self._survey(setup)
        builder.question_add(
            actor=people.official,
            section=section,
            kind=Kind.LONG_TEXT,
            text="?",
            condition_question=single,
            condition_value="A",
        )
        with pytest.raises(ValidationError):
            builder.question_remove(actor=people.official, question=single)
        builder.option_add(actor=people.official, question=single, text="Aldrig")
        with pytest.raises(ValidationError) as error:
            builder.option_remove(actor=people.official, option=single.options.get(code="A"))
        assert "villkor" in " ".join(error.value.messages)


class TestCopy:
    def test_a_copy_is_a_deep_draft_with_conditions_pointing_to_the_copies(self, setup):
        dialogue, people = setup
        source = factories.survey_of_every_kind(dialogue)
        copy = builder.survey_copy(
            actor=people.official,
            source=source,
            dialogue=dialogue,
            method=builder.survey_methods(dialogue)[0],
        )
        assert copy.status == Status.DRAFT
        assert copy.copied_from == source
        assert copy.opens_at is None and copy.locked_at is None
        assert copy.title == source.title
        assert copy.sections.count() == 2
        assert copy.questions.count() == source.questions.count() == 9
        copied = {q.text: q for q in copy.questions.all()}
        dependant = copied["Vad gör att du känner dig trygg?"]
        assert dependant.condition_question == copied["Känner du dig trygg där på kvällen?"]
        assert dependant.condition_value == "ja"
        assert dependant.condition_question.survey == copy
        single = copied["Hur ofta är du på skolgården?"]
        assert list(single.options.values_list("code", "text")) == [
            ("A", "Gungor"),
            ("B", "Klätterställning"),
            ("C", "Fotbollsplan"),
            ("D", "Odlingslådor"),
        ]
        assert copied["Vad gör du där?"].max_choices == 2
        # The original is untouched.
        assert source.questions.count() == 9
        assert AuditEntry.objects.filter(action="survey.copied", object_id=str(copy.pk)).exists()


class TestPublishAndClose:
    def test_a_survey_without_questions_or_period_is_not_published(self, setup):
        dialogue, people = setup
        survey = _draft(dialogue, people)
        problems = builder.publish_problems(survey)
        assert any("frågor" in problem for problem in problems)
        assert any("öppnar och stänger" in problem for problem in problems)
        with pytest.raises(ValidationError):
            builder.survey_publish(actor=people.official, survey=survey)
        survey.refresh_from_db()
        assert survey.status == Status.DRAFT

    def test_a_complete_survey_is_published_then_closed(self, setup):
        dialogue, people = setup
        survey = _draft(dialogue, people, **_period())
        section = builder.section_add(actor=people.official, survey=survey, title="Del")
        builder.question_add(actor=people.official, section=section, kind=Kind.YES_NO, text="Ja?")
        assert builder.publish_problems(survey) == []
        builder.survey_publish(actor=people.official, survey=survey)
        assert survey.status == Status.PUBLISHED
        with pytest.raises(ValidationError):
            builder.survey_publish(actor=people.official, survey=survey)
        builder.survey_close(actor=people.official, survey=survey)
        assert survey.status == Status.CLOSED
        assert set(
            AuditEntry.objects.filter(object_id=str(survey.pk)).values_list("action", flat=True)
        ) >= {
            "survey.published",
            "survey.closed",
        }
        with pytest.raises(ValidationError):
            builder.section_add(actor=people.official, survey=survey, title="Sent")

    def test_a_period_already_over_is_refused(self, setup):
        dialogue, people = setup
        now = timezone.now()
        survey = _draft(
            dialogue,
            people,
            opens_at=now - datetime.timedelta(days=9),
            closes_at=now - datetime.timedelta(days=1),
        )
        section = builder.section_add(actor=people.official, survey=survey, title="Del")
        builder.question_add(actor=people.official, section=section, kind=Kind.YES_NO, text="Ja?")
        with pytest.raises(ValidationError):
            builder.survey_publish(actor=people.official, survey=survey)

    def test_a_draft_cannot_be_closed(self, setup):
        dialogue, people = setup
        with pytest.raises(ValidationError):
            builder.survey_close(actor=people.official, survey=_draft(dialogue, people))


class TestLock:
    @pytest.fixture
    def locked(self):
        survey = factories.survey_of_every_kind()
        Survey.objects.filter(pk=survey.pk).update(locked_at=timezone.now())
        survey.refresh_from_db()
        official = cast().official
        return survey, official

    def test_structure_changes_are_refused_after_the_first_answer(self, locked):
        survey, official = locked
        section = survey.sections.first()
        single = survey.questions.get(kind=Kind.SINGLE)
        refusals = [
            lambda: builder.section_add(actor=official, survey=survey, title="Ny"),
            lambda: builder.section_remove(actor=official, section=section),
            lambda: builder.section_move(actor=official, section=section, up=False),
            lambda: builder.question_add(
                actor=official, section=section, kind=Kind.YES_NO, text="Ny?"
            ),
            lambda: builder.question_remove(actor=official, question=single),
            lambda: builder.question_move(actor=official, question=single, up=False),
            lambda: builder.question_update(actor=official, question=single, kind=Kind.MULTIPLE),
            lambda: builder.question_update(actor=official, question=single, required=False),
            lambda: builder.question_update(
                actor=official, question=survey.questions.get(kind=Kind.MULTIPLE), max_choices=3
            ),
            lambda: builder.question_update(
                actor=official,
                question=survey.questions.get(kind=Kind.LONG_TEXT),
                condition_question=None,
            ),
            lambda: builder.option_add(actor=official, question=single, text="Nytt"),
            lambda: builder.option_remove(actor=official, option=single.options.first()),
            lambda: builder.option_move(actor=official, option=single.options.first(), up=False),
        ]
        for refusal in refusals:
            with pytest.raises(ValidationError) as error:
                refusal()
            assert "formuleringarna" in " ".join(error.value.messages)
        assert survey.questions.count() == 9
        assert single.options.count() == 4

    def test_a_wording_change_keeps_the_old_wording_as_a_version(self, locked):
        survey, official = locked
        question = survey.questions.get(kind=Kind.SINGLE)
        builder.question_update(
            actor=official,
            question=question,
            text="Hur ofta är du där?",
            help_text="Ungefär.",
            required=True,
        )
        question.refresh_from_db()
        assert question.version == 2
        assert question.text == "Hur ofta är du där?"
        version = QuestionVersion.objects.get(question=question)
        assert version.number == 1
        assert version.text == "Hur ofta är du på skolgården?"
        assert version.options["A"]["text"] == "Gungor"
        assert version.replaced_by == official

    def test_an_option_text_change_is_a_new_version_too(self, locked):
        survey, official = locked
        question = survey.questions.get(kind=Kind.SINGLE)
        builder.option_update(
            actor=official, option=question.options.get(code="A"), text="Gungorna"
        )
        question.refresh_from_db()
        assert question.version == 2
        assert question.versions.get().options["A"]["text"] == "Gungor"
        assert question.options.get(code="A").text == "Gungorna"

    def test_unchanged_wording_makes_no_version(self, locked):
        survey, official = locked
        question = survey.questions.get(kind=Kind.SINGLE)
        builder.question_update(
            actor=official, question=question, text=question.text, required=True
        )
        question.refresh_from_db()
        assert question.version == 1
        assert not question.versions.exists()

    def test_section_wording_may_change_after_answers(self, locked):
        survey, official = locked
        section = survey.sections.first()
        builder.section_update(actor=official, section=section, title="Ny rubrik", title_en="New")
        section.refresh_from_db()
        assert section.title == "Ny rubrik"

    def test_who_may_answer_is_fixed_after_answers(self, locked):
        survey, official = locked
        with pytest.raises(ValidationError):
            builder.survey_update(actor=official, survey=survey, access="e-post", access_reason="x")
        builder.survey_update(actor=official, survey=survey, title="Ny rubrik")
        survey.refresh_from_db()
        assert survey.title == "Ny rubrik"


def test_the_question_form_has_the_fields_of_each_kind(setup):
    from torget.surveys.builder_forms import QuestionForm

    dialogue, people = setup
    survey = _draft(dialogue, people)
    for kind in Kind.values:
        form = QuestionForm(survey=survey, kind=kind, adding=True, instance=Question(kind=kind))
        assert "text" in form.fields
        assert ("options" in form.fields) == (kind in (Kind.SINGLE, Kind.MULTIPLE, Kind.RANKING))
        assert ("max_choices" in form.fields) == (kind == Kind.MULTIPLE)
        assert ("scale_low_label" in form.fields) == (kind == Kind.SCALE)
