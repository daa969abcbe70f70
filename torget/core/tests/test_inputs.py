import datetime

import pytest
from django import forms
from django.core.exceptions import ValidationError
from hypothesis import given, settings
from hypothesis import strategies as st

from torget.core import inputs

any_text = st.text(alphabet=st.characters(exclude_categories=("Cs",)), max_size=80)
PROPERTY = settings(max_examples=300, deadline=None)


class TestIds:
    @PROPERTY
    @given(value=st.one_of(any_text, st.integers(), st.none(), st.floats(), st.booleans()))
    def test_any_value_is_an_id_in_range_or_none_never_an_exception(self, value):
        result = inputs.parse_id(value)
        assert result is None or (isinstance(result, int) and 0 < result <= inputs.ID_MAX)

    @PROPERTY
    @given(number=st.integers(1, inputs.ID_MAX))
    def test_every_id_in_range_is_read_back(self, number):
        assert inputs.parse_id(str(number)) == number
        assert inputs.parse_id(f" {number} ") == number

    @pytest.mark.parametrize("value", ["²", "١٢", "１２", "9" * 5000, "9" * 30, "-1", "0", "1.0"])
    def test_what_the_probe_sent_is_no_id(self, value):
        assert inputs.parse_id(value) is None

    def test_ids_from_keeps_only_the_valid_ones(self):
        assert inputs.ids_from(["1", "x", "²", "3"]) == [1, 3]


class TestEmail:
    def test_an_address_of_254_characters_is_accepted_and_255_refused(self):
        field = inputs.EmailField()
        ok = f"{'a' * 64}@{'b' * 60}.{'c' * 60}.{'d' * 60}.{'e' * 3}.se"
        assert len(ok) == 254
        assert field.clean(ok) == ok
        with pytest.raises(ValidationError):
            field.clean("a" + ok)

    def test_a_larger_max_length_is_never_allowed(self):
        assert inputs.EmailField(max_length=320).max_length == 254


class TestText:
    @PROPERTY
    @given(text=any_text)
    def test_text_with_a_control_character_is_refused_and_other_text_kept(self, text):
        has_control = bool(inputs.CONTROL_CHARACTERS.search(text))
        try:
            inputs.validate_text(text)
        except ValidationError:
            assert has_control
        else:
            assert not has_control

    @pytest.mark.parametrize("text", ["rad ett\nrad två", "tabb\tsteg", "windows\r\nrad"])
    def test_tab_and_line_breaks_are_allowed(self, text):
        inputs.validate_text(text)

    def test_clean_text_strips_and_limits(self):
        assert inputs.clean_text("  hej\r\nhå ") == "hej\nhå"
        with pytest.raises(ValidationError):
            inputs.clean_text("x" * 11, max_length=10)
        with pytest.raises(ValidationError):
            inputs.clean_text("a\x00b")


class TestDates:
    @PROPERTY
    @given(text=st.one_of(any_text, st.dates().map(str), st.datetimes().map(str)))
    def test_parse_date_and_datetime_only_raise_validation_errors(self, text):
        for parse in (inputs.parse_date, inputs.parse_datetime):
            try:
                value = parse(text)
            except ValidationError:
                continue
            day = value.date() if isinstance(value, datetime.datetime) else value
            assert inputs.DATE_MIN <= day <= inputs.DATE_MAX

    @pytest.mark.parametrize("text", ["9999-12-31", "0001-01-01", "1899-12-31", "2200-01-01"])
    def test_dates_out_of_range_are_refused(self, text):
        with pytest.raises(ValidationError):
            inputs.parse_date(text)

    @pytest.mark.parametrize("text", ["9999-12", "0000-01", "0001-01", "2026-13", "²⁰²⁶-01"])
    def test_months_out_of_range_are_refused(self, text):
        with pytest.raises(ValidationError):
            inputs.MonthField().clean(text)

    def test_a_month_in_range_is_its_first_day(self):
        assert inputs.MonthField().clean("2026-03") == datetime.date(2026, 3, 1)


class TestPhones:
    @PROPERTY
    @given(text=any_text)
    def test_parse_phone_only_raises_validation_errors(self, text):
        try:
            number = inputs.parse_phone(text)
        except ValidationError:
            return
        assert number.startswith("+")

    def test_a_landline_will_do_for_a_call_but_not_for_sms(self):
        assert inputs.parse_phone("013-20 00 00") == "+4613200000"
        with pytest.raises(ValidationError):
            inputs.parse_phone("013-20 00 00", mobile=True)
        assert inputs.parse_phone("070-123 45 67", mobile=True) == "+46701234567"


class TestEveryForm:
    """install() gives Django's own field classes the same checks, for ModelForms and the
    admin as much as for the forms written with the fields above."""

    def test_a_plain_char_field_refuses_control_characters(self):
        class Form(forms.Form):
            text = forms.CharField()

        form = Form({"text": "hej\x1b[31m"})
        assert not form.is_valid()
        assert "styrtecken" in form.errors["text"][0]

    def test_a_plain_date_field_refuses_year_9999(self):
        class Form(forms.Form):
            day = forms.DateField()
            moment = forms.DateTimeField()

        form = Form({"day": "9999-12-31", "moment": "0001-01-01 00:00"})
        assert not form.is_valid()
        assert set(form.errors) == {"day", "moment"}

    @pytest.mark.django_db
    @pytest.mark.parametrize("value", ["²", "9" * 30, "9" * 5000])
    def test_model_choices_refuse_what_is_no_id(self, value):
        from torget.geo.models import Area

        class Form(forms.Form):
            one = forms.ModelChoiceField(queryset=Area.objects.all())
            many = forms.ModelMultipleChoiceField(queryset=Area.objects.all())

        form = Form({"one": value, "many": [value]})
        assert not form.is_valid()
        assert set(form.errors) == {"one", "many"}


@pytest.mark.django_db
class TestAddressesWithControlCharacters:
    @pytest.mark.parametrize(
        "url",
        [
            "/arende/%00abc/",
            "/open311/v2/requests/2026-%0000001.json",
            "/forslag/?kategori=%00",
            "/bevakning/x%1b/",
        ],
    )
    def test_are_a_clear_400_not_a_server_error(self, client, url):
        response = client.get(url)
        assert response.status_code == 400
        assert "Adressen går inte att läsa" in response.content.decode()

    def test_an_ordinary_address_is_untouched(self, client):
        assert client.get("/forslag/?q=trafik%20och%20gator").status_code == 200


@pytest.mark.parametrize(
    ("candidate", "expected"),
    [
        ("/enkater/1/", "/enkater/1/"),
        ("/personal/?q=1#svar", "/personal/?q=1#svar"),
        ("²", None),
        ("surveys:results_staff", None),
        ("//evil.example/", None),
        ("/\\evil.example/", None),
        ("https://evil.example/", None),
        ("http://testserver/", None),
        ("", None),
        (None, None),
    ],
)
def test_next_path_is_a_path_on_this_site_or_nothing(candidate, expected):
    from torget.core.inputs import next_path

    assert next_path(candidate, host="testserver", secure=False) == expected
