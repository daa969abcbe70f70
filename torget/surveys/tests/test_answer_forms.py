"""The answer forms: one control per question, each kind's parsing, and the conditions."""

import pytest
from django.core.exceptions import ValidationError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from torget.surveys import answer_forms
from torget.surveys.answer_forms import parse_answer, section_form, survey_form
from torget.surveys.models import Kind
from torget.surveys.tests import factories

pytestmark = pytest.mark.django_db

FUZZ_EXAMPLES = 25


@pytest.fixture
def every_kind():
    return factories.survey_of_every_kind()


def _questions(survey):
    return {q.kind: q for q in survey.questions.prefetch_related("options")}


class TestParseAnswer:
    def test_single_choice_takes_a_code_in_any_case(self, every_kind):
        question = _questions(every_kind)[Kind.SINGLE]
        assert parse_answer(question, "b") == "B"
        with pytest.raises(ValidationError):
            parse_answer(question, "Z")

    def test_multiple_choice_keeps_the_options_order_and_its_maximum(self, every_kind):
        question = _questions(every_kind)[Kind.MULTIPLE]
        assert parse_answer(question, ["C", "A"]) == ["A", "C"]
        assert parse_answer(question, "c a") == ["A", "C"]
        with pytest.raises(ValidationError, match="högst 2"):
            parse_answer(question, ["A", "B", "C"])

    def test_scale_takes_one_to_five(self, every_kind):
        question = _questions(every_kind)[Kind.SCALE]
        assert parse_answer(question, "4") == 4
        for bad in ("0", "6", "x", "2.5"):
            with pytest.raises(ValidationError):
                parse_answer(question, bad)

    def test_number_within_its_range(self, every_kind):
        question = _questions(every_kind)[Kind.NUMBER]
        assert parse_answer(question, " 15 ") == 15
        assert parse_answer(question, "0") == 0
        with pytest.raises(ValidationError, match="120 eller mindre"):
            parse_answer(question, "121")
        with pytest.raises(ValidationError, match="0 eller större"):
            parse_answer(question, "-1")
        for bad in ("tio", "1e400", "nan", "1.5"):
            with pytest.raises(ValidationError):
                parse_answer(question, bad)

    def test_texts_have_their_limits(self, every_kind):
        questions = _questions(every_kind)
        assert parse_answer(questions[Kind.SHORT_TEXT], "  Grönt ") == "Grönt"
        with pytest.raises(ValidationError, match="högst 200"):
            parse_answer(questions[Kind.SHORT_TEXT], "x" * 201)
        assert parse_answer(questions[Kind.LONG_TEXT], "x" * 5000) == "x" * 5000
        with pytest.raises(ValidationError, match="högst 5000"):
            parse_answer(questions[Kind.LONG_TEXT], "x" * 5001)

    def test_yes_no(self, every_kind):
        question = _questions(every_kind)[Kind.YES_NO]
        assert parse_answer(question, "Ja") == "ja"
        assert parse_answer(question, "nej") == "nej"
        with pytest.raises(ValidationError):
            parse_answer(question, "kanske")

    def test_ranking_from_ranks_or_codes_and_no_two_the_same(self, every_kind):
        question = _questions(every_kind)[Kind.RANKING]
        assert parse_answer(question, {"A": "2", "B": "1", "C": "", "D": "3"}) == ["B", "A", "D"]
        assert parse_answer(question, "CAB") == ["C", "A", "B"]
        with pytest.raises(ValidationError, match="samma"):
            parse_answer(question, {"A": "1", "B": "1"})
        with pytest.raises(ValidationError):
            parse_answer(question, {"A": "9"})

    def test_place_by_words_or_coordinates(self, every_kind):
        question = _questions(every_kind)[Kind.PLACE]
        assert parse_answer(question, {"text": "Vid gungorna", "lat": "", "lon": ""}) == {
            "text": "Vid gungorna"
        }
        assert parse_answer(question, {"text": "", "lat": "58,41", "lon": "15.62"}) == {
            "text": "",
            "lat": 58.41,
            "lon": 15.62,
        }
        with pytest.raises(ValidationError, match="både"):
            parse_answer(question, {"lat": "58.41"})
        with pytest.raises(ValidationError):
            parse_answer(question, {"lat": "91", "lon": "15"})

    def test_nothing_is_no_answer(self, every_kind):
        for question in _questions(every_kind).values():
            assert parse_answer(question, "") is None
            assert parse_answer(question, None) is None


class TestSectionForm:
    def test_one_labelled_control_per_question_with_fieldsets_for_choices(self, every_kind):
        first = every_kind.sections.get(order=1)
        html = str(section_form(every_kind, first).as_div())
        assert html.count("<fieldset") == 4  # single, multiple, scale, yes/no
        assert "<legend" in html
        assert 'type="number"' in html
        assert "Mycket dåligt" in html and "Mycket bra" in html
        assert 'value="ja"' in html and 'value="nej"' in html
        assert "aria-describedby" in html

    def test_a_required_question_left_empty_gives_its_error(self, every_kind):
        first = every_kind.sections.get(order=1)
        form = section_form(every_kind, first, data={})
        assert not form.is_valid()
        single = _questions(every_kind)[Kind.SINGLE]
        assert form.errors[f"q{single.pk}"] == ["Svara på frågan."]

    def test_a_valid_page_gives_its_answers(self, every_kind):
        first = every_kind.sections.get(order=1)
        q = _questions(every_kind)
        form = section_form(
            every_kind,
            first,
            data={
                f"q{q[Kind.SINGLE].pk}": "A",
                f"q{q[Kind.MULTIPLE].pk}": ["A", "B"],
                f"q{q[Kind.SCALE].pk}": "5",
                f"q{q[Kind.NUMBER].pk}": "10",
                f"q{q[Kind.YES_NO].pk}": "ja",
            },
        )
        assert form.is_valid(), form.errors
        assert form.answers() == {
            q[Kind.SINGLE].pk: "A",
            q[Kind.MULTIPLE].pk: ["A", "B"],
            q[Kind.SCALE].pk: 5,
            q[Kind.NUMBER].pk: 10,
            q[Kind.YES_NO].pk: "ja",
        }

    def test_a_question_hidden_by_an_earlier_page_is_not_asked(self, every_kind):
        second = every_kind.sections.get(order=2)
        q = _questions(every_kind)
        shown = section_form(every_kind, second, answers={q[Kind.YES_NO].pk: "ja"})
        hidden = section_form(every_kind, second, answers={q[Kind.YES_NO].pk: "nej"})
        assert f"q{q[Kind.LONG_TEXT].pk}" in shown.fields
        assert f"q{q[Kind.LONG_TEXT].pk}" not in hidden.fields

    def test_on_one_page_a_hidden_question_is_not_required_and_its_answer_dropped(self):
        survey = factories.survey()
        page = factories.section(survey)
        parent = factories.question(page, Kind.YES_NO, "Har du barn?")
        child = factories.question(
            page,
            Kind.SHORT_TEXT,
            "Hur gamla?",
            required=True,
            condition_question=parent,
            condition_value="ja",
        )
        form = section_form(
            survey, page, data={f"q{parent.pk}": "nej", f"q{child.pk}": "tre och fem"}
        )
        assert form.is_valid(), form.errors
        assert form.answers() == {parent.pk: "nej", child.pk: None}
        form = section_form(survey, page, data={f"q{parent.pk}": "ja"})
        assert not form.is_valid()
        assert "Svara bara om du svarade ”Ja”" in str(form[f"q{child.pk}"].help_text)

    def test_ranking_renders_a_labelled_select_per_option_and_refuses_duplicates(self, every_kind):
        second = every_kind.sections.get(order=2)
        ranking = _questions(every_kind)[Kind.RANKING]
        form = section_form(
            every_kind,
            second,
            data={f"q{ranking.pk}_0": "1", f"q{ranking.pk}_1": "1"},
        )
        html = str(form[f"q{ranking.pk}"])
        assert html.count("<select") == 4
        assert html.count("<label") == 4
        assert not form.is_valid()
        assert "samma" in str(form.errors[f"q{ranking.pk}"])

    def test_place_renders_description_and_coordinates(self, every_kind):
        second = every_kind.sections.get(order=2)
        place = _questions(every_kind)[Kind.PLACE]
        form = section_form(
            every_kind,
            second,
            data={
                f"q{place.pk}_0": "Vid cykelstället",
                f"q{place.pk}_1": "58.4",
                f"q{place.pk}_2": "15.6",
            },
        )
        assert form.is_valid(), form.errors
        assert form.answers()[place.pk] == {"text": "Vid cykelstället", "lat": 58.4, "lon": 15.6}
        assert "data-pin-lat" in str(form[f"q{place.pk}"])

    def test_english_labels_where_there_are_some(self, every_kind):
        from django.utils import translation

        question = _questions(every_kind)[Kind.SINGLE]
        question.text_en = "How often are you in the school yard?"
        question.save()
        with translation.override("en"):
            form = section_form(every_kind, question.section)
            assert form[f"q{question.pk}"].label == "How often are you in the school yard?"

    def test_the_whole_survey_on_one_form(self, every_kind):
        form = survey_form(every_kind)
        assert len(form.fields) == 9


class TestStorage:
    def test_stored_and_back(self, every_kind):
        q = _questions(every_kind)
        place = {"text": "Här", "lat": 58.4, "lon": 15.6}
        assert answer_forms.stored(q[Kind.PLACE], place) == {
            "value": {"lat": 58.4, "lon": 15.6},
            "text": "Här",
            "lat": 58.4,
            "lon": 15.6,
        }
        assert answer_forms.stored(q[Kind.SHORT_TEXT], "Grönt")["text"] == "Grönt"


@settings(
    max_examples=FUZZ_EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    values=st.lists(
        st.one_of(st.text(max_size=40), st.lists(st.text(max_size=8), max_size=5)),
        min_size=40,
        max_size=40,
    )
)
def test_random_input_never_breaks_the_form(every_kind, values):
    from django.utils.datastructures import MultiValueDict

    form = survey_form(every_kind)
    names = []
    for name in form.fields:
        names.append(name)
        names += [f"{name}_{i}" for i in range(4)]
    data = MultiValueDict()
    for name, value in zip(names, values, strict=False):
        data.setlist(name, value if isinstance(value, list) else [value])
    bound = survey_form(every_kind, data=data)
    if bound.is_valid():
        assert set(bound.answers()) == {q.pk for q in bound.questions}
    else:
        assert bound.errors
