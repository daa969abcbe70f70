import phonenumbers
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MOBILE_TYPES = {
    phonenumbers.PhoneNumberType.MOBILE,
    phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
}


def normalize_mobile(raw: str, *, region: str = "SE") -> str:
    """A mobile number as E.164 ("+46701234567"), or a ValidationError that says what's wrong.

    Swedish numbers may be written the Swedish way (070-123 45 67); others need +country code.
    """
    try:
        number = phonenumbers.parse(raw, region)
    except phonenumbers.NumberParseException as error:
        raise ValidationError(
            _("Skriv ett mobilnummer med siffror, till exempel 070-123 45 67."), code="invalid"
        ) from error
    if not phonenumbers.is_valid_number(number):
        raise ValidationError(
            _("Numret finns inte. Kontrollera siffrorna, till exempel 070-123 45 67."),
            code="invalid",
        )
    if phonenumbers.number_type(number) not in MOBILE_TYPES:
        raise ValidationError(
            _("Numret går inte att skicka sms till. Skriv ett mobilnummer."), code="not_mobile"
        )
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def display(e164: str) -> str:
    """+46701234567 as 070-123 45 67 for Swedish numbers, international format otherwise."""
    try:
        number = phonenumbers.parse(e164)
    except phonenumbers.NumberParseException:
        return e164
    if number.country_code == 46:
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
