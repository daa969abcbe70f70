"""Properties of `personnummer.parse`: every spelling of one number gives one key (issue 15),
and no input makes it raise anything but ValidationError."""

import datetime
import unicodedata

import pytest
from django.core.exceptions import ValidationError
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from torget.identity.personnummer import MAX_INPUT_LENGTH, parse, pin_key, with_check_digit

TODAY = datetime.date(2026, 6, 1)

# The zero of each script; the other digits follow it in Unicode.
ZEROS = {
    "ascii": "0",
    "arabic-indic": "\u0660",
    "extended-arabic-indic": "\u06f0",
    "full-width": "\uff10",
    "devanagari": "\u0966",
    "bengali": "\u09e6",
}
DASHES = ["-", "\u2010", "\u2011", "\u2012", "\u2013", "\u2014", "\u2015", "\u2212", "\uff0d"]
PLUSES = ["+", "\uff0b"]
SPACES = ["", " ", "  ", "\t", "\n", "\u00a0", "\u2009", "\u3000"]

# hypothesis is thorough but slow: a modest number of examples, no deadline (the suite
# shares its CPUs), and no "too slow" health check for the same reason.
PROPERTY = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _valid_numbers() -> st.SearchStrategy[tuple[datetime.date, bool, str]]:
    """A birth date, whether it is a samordningsnummer, and the canonical twelve digits."""

    @st.composite
    def build(draw: st.DrawFn) -> tuple[datetime.date, bool, str]:
        born = draw(st.dates(min_value=datetime.date(1880, 1, 1), max_value=TODAY))
        coordination = draw(st.booleans())
        serial = draw(st.integers(0, 999))
        day = born.day + (60 if coordination else 0)
        ten = with_check_digit(f"{born:%y%m}{day:02d}{serial:03d}")
        return born, coordination, f"{born.year // 100:02d}{ten}"

    return build()


def _in_script(digits: str, zeros: list[str]) -> str:
    return "".join(chr(ord(zero) + int(d)) for d, zero in zip(digits, zeros, strict=True))


@st.composite
def spellings(draw: st.DrawFn, digits: str) -> str:
    """One way a person could write these twelve digits that Skatteverket allows for them."""
    year = int(digits[:4])
    hundred_this_year = TODAY.year - year >= 100
    with_century = draw(st.booleans())
    shown = digits if with_century else digits[2:]
    if draw(st.booleans()):
        zeros = [ZEROS[draw(st.sampled_from(sorted(ZEROS)))]] * len(shown)  # one script
    else:
        zeros = [ZEROS[draw(st.sampled_from(sorted(ZEROS)))] for _ in shown]  # mixed
    if with_century:
        separators = ["", *DASHES] + (PLUSES if hundred_this_year else [])
    else:
        # Without the century the separator says it: "+" from the year one turns 100.
        separators = PLUSES if hundred_this_year else ["", *DASHES]
    separator = draw(st.sampled_from(separators))
    text = _in_script(shown[:-4], zeros[:-4]) + separator + _in_script(shown[-4:], zeros[-4:])
    return draw(st.sampled_from(SPACES)) + text + draw(st.sampled_from(SPACES))


class TestEverySpellingGivesOneKey:
    @PROPERTY
    @given(data=st.data(), number=_valid_numbers())
    def test_any_script_century_and_separator_give_the_canonical_key(self, data, number):
        born, coordination, digits = number
        spelling = data.draw(spellings(digits))
        parsed = parse(spelling, today=TODAY)
        assert parsed.digits == digits
        assert parsed.key == pin_key(digits)
        assert parsed.birth_date == born
        assert parsed.is_coordination_number == coordination

    @PROPERTY
    @given(first=_valid_numbers(), second=_valid_numbers())
    def test_different_numbers_give_different_keys(self, first, second):
        assume(first[2] != second[2])
        assert parse(first[2], today=TODAY).key != parse(second[2], today=TODAY).key


class TestNothingButValidationError:
    @PROPERTY
    @given(value=st.text(alphabet=st.characters(exclude_categories=()), max_size=80))
    def test_any_text_is_parsed_or_refused(self, value):
        # Surrogates, NUL and every other control character included.
        try:
            parse(value, today=TODAY)
        except ValidationError:
            pass

    @PROPERTY
    @given(
        value=st.text(
            alphabet=st.sampled_from(
                [chr(ord(z) + d) for z in ZEROS.values() for d in range(10)]
                + DASHES
                + PLUSES
                + [s for s in SPACES if len(s) == 1]
                + ["²", "①", "\x00", "\ud800", "\u200f", "٫"]
            ),
            max_size=30,
        )
    )
    def test_text_that_looks_like_a_number_is_parsed_or_refused(self, value):
        try:
            number = parse(value, today=TODAY)
        except ValidationError:
            return
        assert number.digits.isascii() and len(number.digits) == 12

    @PROPERTY
    @given(
        value=st.one_of(
            st.none(),
            st.integers(),
            st.floats(),
            st.binary(),
            st.booleans(),
            st.lists(st.text(max_size=3), max_size=3),
            st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
        )
    )
    def test_values_that_are_not_text_are_refused(self, value):
        with pytest.raises(ValidationError):
            parse(value, today=TODAY)

    @PROPERTY
    @given(size=st.integers(MAX_INPUT_LENGTH + 1, 1_000_000), char=st.sampled_from("1 ٠-"))
    def test_huge_values_are_refused_before_they_are_read(self, size, char):
        with pytest.raises(ValidationError) as refused:
            parse(char * size, today=TODAY)
        assert refused.value.code == "format"


class TestProbeFindings:
    """The outside probe's spellings (issue 15), one test per finding."""

    ASCII = "19811218-9876"

    def test_the_probes_three_spellings_give_one_key(self):
        arabic_indic = "١٩٨١١٢١٨-٩٨٧٦"
        full_width = "１９８１１２１８－９８７６"
        keys = {parse(raw, today=TODAY).key for raw in [self.ASCII, arabic_indic, full_width]}
        assert keys == {pin_key("198112189876")}

    def test_a_superscript_two_is_refused(self):
        # "²" is a digit to Unicode (No) but not a decimal digit (Nd): nobody's number.
        assert unicodedata.digit("²") == 2
        with pytest.raises(ValidationError) as refused:
            parse("19811218-9876".replace("2", "²"), today=TODAY)
        assert refused.value.code == "format"

    @pytest.mark.parametrize("mark", ["\u200f", "\u200e", "\u061c", "\ufeff", "\u2066"])
    def test_invisible_direction_marks_from_pasted_text_are_ignored(self, mark):
        assert parse(f"{mark}١٩٨١١٢١٨{mark}-٩٨٧٦{mark}", today=TODAY).digits == "198112189876"

    def test_a_plus_with_the_century_for_someone_under_a_hundred_is_refused(self):
        with pytest.raises(ValidationError) as refused:
            parse("19811218+9876", today=TODAY)
        assert refused.value.code == "separator"

    def test_a_plus_with_the_century_is_accepted_from_the_year_one_turns_a_hundred(self):
        # Born 12 Dec 1926: turns 100 later in 2026, and Skatteverket writes "+" all year.
        digits = "19" + with_check_digit("261212123")
        assert parse(digits[:8] + "+" + digits[8:], today=TODAY).digits == digits
        assert parse(digits[2:8] + "+" + digits[8:], today=TODAY).digits == digits

    def test_two_separators_are_refused(self):
        with pytest.raises(ValidationError):
            parse("811218-−9876", today=TODAY)

    def test_pin_key_refuses_anything_but_the_canonical_digits(self):
        with pytest.raises(ValueError):
            pin_key("１９８１１２１８９８７６")
        with pytest.raises(ValueError):
            pin_key("811218-9876")
