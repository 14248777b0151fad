"""Translated, field-level messages for the error codes of the people domain."""

from django.utils.translation import gettext_lazy as _

IIN_MESSAGES = {
    "length": _("An IIN has exactly 12 digits."),
    "digits": _("An IIN contains digits only."),
    "century": _("The 7th digit of an IIN (century and sex) must be 1 to 6."),
    "date": _("The first six digits of an IIN must be a real date of birth (YYMMDD)."),
    "check_digit": _("The IIN's check digit is wrong: please check the number for a typing error."),
}

BIN_MESSAGES = {
    "length": _("A BIN has exactly 12 digits."),
    "digits": _("A BIN contains digits only."),
    "type": _("The 5th digit of a BIN (type of organisation) must be 4, 5 or 6."),
    "date": _("The 3rd and 4th digits of a BIN must be a month (01 to 12)."),
    "check_digit": _("The BIN's check digit is wrong: please check the number for a typing error."),
}

MRZ_MESSAGES = {
    "format": _("The machine-readable zone is not in an ICAO 9303 format (2 lines of 44 or 36, or 3 of 30 characters)."),
    "date": _("The machine-readable zone holds a date that does not exist."),
}

MRZ_CHECK_FIELDS = {
    "document_number": _("document number"),
    "birth_date": _("date of birth"),
    "expiry_date": _("date of expiry"),
    "optional_data": _("personal number"),
    "composite": _("whole zone (composite)"),
}


def mrz_message(code: str, field: str) -> str:
    if code == "format" and field == "sex":
        return str(_("The sex in the machine-readable zone must be M, F, X or <."))
    if code == "check_digit":
        return _("The check digit of the %(part)s in the machine-readable zone is wrong.") % {
            "part": MRZ_CHECK_FIELDS.get(field, field)
        }
    return str(MRZ_MESSAGES.get(code, MRZ_MESSAGES["format"]))
