import datetime

import pytest
from django.core.exceptions import ValidationError

from torget.identity import personnummer
from torget.identity.personnummer import luhn_ok, parse, pin_key, with_check_digit

TODAY = datetime.date(2026, 6, 1)


class TestFormats:
    @pytest.mark.parametrize(
        ("raw", "digits"),
        [
            ("19121212-1212", "191212121212"),
            ("191212121212", "191212121212"),
            ("20121212-1212", "201212121212"),
            ("121212-1212", "201212121212"),  # no century: the latest year not in the future
            ("1212121212", "201212121212"),
            ("121212+1212", "191212121212"),  # "+": 100 years or older
            (" 19121212 1212 ", "191212121212"),
            ("811218-9876", "198112189876"),
        ],
    )
    def test_accepted_forms_normalise_to_twelve_digits(self, raw, digits):
        assert parse(raw, today=TODAY).digits == digits

    def test_a_year_ahead_of_today_without_century_is_last_century(self):
        number = parse("300101-" + with_check_digit("300101123")[6:], today=TODAY)
        assert number.birth_date == datetime.date(1930, 1, 1)

    def test_plus_moves_back_another_century(self):
        assert parse("121212+1212", today=TODAY).birth_date == datetime.date(1912, 12, 12)

    def test_printed_with_century_and_dash(self):
        assert str(parse("8112189876", today=TODAY)) == "19811218-9876"

    def test_age_on_a_day(self):
        number = parse("19811218-9876", today=TODAY)
        assert number.age_on(datetime.date(2026, 12, 17)) == 44
        assert number.age_on(datetime.date(2026, 12, 18)) == 45

    @pytest.mark.parametrize("raw", ["", "hej", "1212-1212", "19121212--1212", "19121212-12120"])
    def test_other_shapes_are_refused(self, raw):
        with pytest.raises(ValidationError) as refused:
            parse(raw, today=TODAY)
        assert refused.value.code == "format"


class TestChecks:
    def test_the_luhn_check_digit_is_verified(self):
        assert luhn_ok("8112189876")
        with pytest.raises(ValidationError, match="stämmer inte") as refused:
            parse("811218-9875", today=TODAY)
        assert refused.value.code == "checksum"

    def test_with_check_digit_completes_a_number(self):
        assert with_check_digit("811218987") == "8112189876"

    def test_a_coordination_number_has_sixty_added_to_the_day(self):
        number = parse("701063-2391", today=TODAY)
        assert number.is_coordination_number
        assert number.birth_date == datetime.date(1970, 10, 3)
        assert number.digits == "197010632391"
        assert not parse("811218-9876", today=TODAY).is_coordination_number

    @pytest.mark.parametrize("nine", ["800230123", "801301123", "800100123", "800192123"])
    def test_an_impossible_date_is_refused(self, nine):
        with pytest.raises(ValidationError) as refused:
            parse("19" + with_check_digit(nine), today=TODAY)
        assert refused.value.code == "date"

    def test_a_birth_date_in_the_future_is_refused(self):
        with pytest.raises(ValidationError) as refused:
            parse("20" + with_check_digit("260602123"), today=TODAY)
        assert refused.value.code == "future"
        assert parse("20" + with_check_digit("260601123"), today=TODAY)


class TestKey:
    def test_the_key_is_the_same_for_every_way_of_writing_the_number(self):
        keys = {
            parse(raw, today=TODAY).key for raw in ["19811218-9876", "811218-9876", "8112189876"]
        }
        assert len(keys) == 1

    def test_the_key_is_a_hash_without_the_number(self):
        key = parse("19811218-9876", today=TODAY).key
        assert len(key) == 64
        assert "8112189876" not in key
        assert key == pin_key("198112189876")

    def test_the_key_differs_between_people(self):
        assert parse("811218-9876", today=TODAY).key != parse("121212-1212", today=TODAY).key

    def test_another_hash_key_gives_another_key(self, settings):
        before = parse("811218-9876", today=TODAY).key
        settings.IDENTITY_HASH_KEY = "another-municipality"
        after = parse("811218-9876", today=TODAY).key
        assert after != before
        settings.IDENTITY_HASH_KEY = "another-municipality"
        assert personnummer.pin_key("198112189876") == after
