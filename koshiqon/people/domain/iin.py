"""Kazakhstan's individual (IIN) and business (BIN) identification numbers.

Legal basis: Law of the Republic of Kazakhstan No. 223-III of 12 January 2007 "On national registers of
identification numbers", which makes the IIN and the BIN the single identifier of a person and of an
organisation; the structure and the check-digit algorithm are those of the Government's rules for forming
identification numbers made under it (the move to a single number began with Government Resolution
No. 565 of 11 June 2003). The algorithm is public.

IIN, 12 digits: ``YYMMDD`` date of birth, one digit for century and sex (1/2: born in the 1800s, male/female;
3/4: the 1900s; 5/6: the 2000s), a four-digit serial, one check digit.

BIN, 12 digits: ``YYMM`` year and month of registration, one type digit (4 resident legal entity, 5
non-resident legal entity, 6 individual entrepreneur in joint enterprise), one attribute digit (0 head
office, 1 branch, 2 representative office, 3 peasant farm), a five-digit serial, one check digit.

The check digit of both is ``sum(d_i * w_i) mod 11`` over the first 11 digits with weights 1..11; when that
gives 10 it is computed again with weights 3..11, 1, 2; when that also gives 10 the number is never issued.

Functions return stable error codes, never messages: the Django layer translates them
(``koshiqon.people.messages``).
"""

import re
from datetime import date

IIN_LENGTH = 12

_DIGITS = re.compile(r"[0-9]*")
_WEIGHTS_FIRST = (1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11)
_WEIGHTS_SECOND = (3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2)

# The 7th digit: (century of birth, sex).
_CENTURY_SEX: dict[str, tuple[int, str]] = {
    "1": (1800, "M"),
    "2": (1800, "F"),
    "3": (1900, "M"),
    "4": (1900, "F"),
    "5": (2000, "M"),
    "6": (2000, "F"),
}

BIN_TYPES = {"4": "resident", "5": "non_resident", "6": "individual_entrepreneur"}
BIN_ATTRIBUTES = {"0": "head_office", "1": "branch", "2": "representative_office", "3": "peasant_farm"}


def check_digit(first_eleven: str) -> int | None:
    """The check digit for the first 11 digits of an IIN or BIN, or None when no digit can be issued."""
    if len(first_eleven) != IIN_LENGTH - 1 or not _is_ascii_digits(first_eleven):
        raise ValueError("check_digit() needs exactly 11 ASCII digits")
    digits = [int(c) for c in first_eleven]
    for weights in (_WEIGHTS_FIRST, _WEIGHTS_SECOND):
        remainder = sum(d * w for d, w in zip(digits, weights, strict=True)) % 11
        if remainder != 10:
            return remainder
    return None


def normalize_number(value: str) -> str:
    """Drop the spaces and hyphens people type or paste inside a 12-digit number ("860 101 300 012")."""
    return re.sub(r"[\s\-]", "", value)


def iin_problem(value: str) -> str | None:
    """None for a valid IIN, else the first problem found.

    Codes, in the order checked: "length" (not 12 characters), "digits" (a character that is not 0-9),
    "century" (7th digit not 1-6), "date" (YYMMDD is not a real date in that century), "check_digit".
    """
    if len(value) != IIN_LENGTH:
        return "length"
    if not _is_ascii_digits(value):
        return "digits"
    if value[6] not in _CENTURY_SEX:
        return "century"
    if _iin_date(value) is None:
        return "date"
    if check_digit(value[:11]) != int(value[11]):
        return "check_digit"
    return None


def is_valid_iin(value: str) -> bool:
    return iin_problem(value) is None


def iin_birth_date(value: str) -> date | None:
    """The date of birth an IIN encodes; None unless the IIN is valid (a typo could move the date)."""
    if iin_problem(value) is not None:
        return None
    return _iin_date(value)


def iin_sex(value: str) -> str | None:
    """The sex the 7th digit gives, "M" (odd) or "F" (even); None unless the IIN is valid."""
    if iin_problem(value) is not None:
        return None
    return _CENTURY_SEX[value[6]][1]


def make_iin(birth_date: date, sex: str, serial: int) -> str:
    """Build a valid IIN for a birth date (1800-2099), a sex ("M"/"F") and a four-digit serial.

    Serials whose IIN would need a check digit of 10 are never issued, so the first serial at or after
    `serial` that yields a real check digit is used.
    """
    if not 1800 <= birth_date.year <= 2099:
        raise ValueError("an IIN encodes birth years 1800 to 2099 only")
    if sex not in ("M", "F"):
        raise ValueError('sex must be "M" or "F"')
    century = birth_date.year // 100 * 100
    century_digit = next(d for d, (c, s) in _CENTURY_SEX.items() if c == century and s == sex)
    return _with_check_digit(birth_date.strftime("%y%m%d") + century_digit, serial, width=4)


def bin_problem(value: str) -> str | None:
    """None for a valid BIN, else the first problem found.

    Codes, in the order checked: "length", "digits", "type" (5th digit not 4, 5 or 6), "date" (the
    registration month, digits 3-4, not 01-12), "check_digit".
    """
    if len(value) != IIN_LENGTH:
        return "length"
    if not _is_ascii_digits(value):
        return "digits"
    if value[4] not in BIN_TYPES:
        return "type"
    if not 1 <= int(value[2:4]) <= 12:
        return "date"
    if check_digit(value[:11]) != int(value[11]):
        return "check_digit"
    return None


def is_valid_bin(value: str) -> bool:
    return bin_problem(value) is None


def make_bin(registered: date, kind: str, attribute: str, serial: int) -> str:
    """Build a valid BIN: registration month, type digit ("4"/"5"/"6"), attribute digit ("0"-"3"), serial.

    As for the IIN, the first five-digit serial at or after `serial` with a real check digit is used.
    """
    if kind not in BIN_TYPES:
        raise ValueError("a BIN type digit is 4, 5 or 6")
    if attribute not in BIN_ATTRIBUTES:
        raise ValueError("a BIN attribute digit is 0 to 3")
    return _with_check_digit(registered.strftime("%y%m") + kind + attribute, serial, width=5)


def _with_check_digit(prefix: str, serial: int, *, width: int) -> str:
    if serial < 0:
        raise ValueError("the serial cannot be negative")
    for candidate in range(serial, 10**width):
        body = prefix + str(candidate).zfill(width)
        digit = check_digit(body)
        if digit is not None:
            return body + str(digit)
    raise ValueError(f"no serial from {serial} up gives a valid number")


def _iin_date(value: str) -> date | None:
    century, _sex = _CENTURY_SEX[value[6]]
    try:
        return date(century + int(value[0:2]), int(value[2:4]), int(value[4:6]))
    except ValueError:
        return None


def _is_ascii_digits(value: str) -> bool:
    # str.isdigit() also accepts superscripts and other scripts' digits, which no register issues.
    return _DIGITS.fullmatch(value) is not None
