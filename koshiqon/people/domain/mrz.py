"""Machine-readable zones of travel documents, as ICAO Doc 9303 (8th edition) defines them.

Three formats: TD3 passports (Part 4: 2 lines of 44 characters), TD1 identity cards (Part 5: 3 lines of
30) and TD2 documents (Part 6: 2 lines of 36). Every zone carries check digits (Part 3 §4.9: weights 7, 3, 1
repeating; digits count as their value, A-Z as 10-35, the filler '<' as 0) over the document number, the
date of birth, the date of expiry, the TD3 personal number, and a composite one over most of the zone.

Hosts and officers register a foreigner by scanning or pasting the zone (Law "On Migration of the
Population" No. 477-IV of 22 July 2011, registration of foreigners), so `parse_mrz` never raises on bad
input: it returns what it could read and lists each problem as a stable code for the Django layer to
translate (``koshiqon.people.messages``).
"""

import re
import unicodedata
from dataclasses import dataclass
from datetime import date

from koshiqon.people.domain.names import latin_from_cyrillic

# (line count, line length) of each format.
SHAPES = {"TD1": (3, 30), "TD2": (2, 36), "TD3": (2, 44)}
_ALLOWED = re.compile(r"[A-Z0-9<]*")
_WEIGHTS = (7, 3, 1)


@dataclass(frozen=True)
class MrzProblem:
    """One problem: `code` is "format", "check_digit" or "date"; `field` says where."""

    code: str
    field: str = ""


@dataclass(frozen=True)
class Mrz:
    """What a machine-readable zone says. Fields read as printed: "D" for Germany, fillers removed."""

    format: str
    document_code: str = ""
    issuing_state: str = ""
    surname: str = ""
    given_names: str = ""
    document_number: str = ""
    nationality: str = ""
    birth_date: date | None = None
    sex: str | None = None
    expiry_date: date | None = None
    optional_data: str = ""
    # TD1 only: the second optional-data field, on line 2.
    optional_data_2: str = ""
    problems: tuple[MrzProblem, ...] = ()

    @property
    def is_valid(self) -> bool:
        return not self.problems

    @property
    def problem_codes(self) -> tuple[tuple[str, str], ...]:
        return tuple((p.code, p.field) for p in self.problems)


def char_value(char: str) -> int:
    """The value of one MRZ character in check-digit arithmetic (ICAO 9303 Part 3 §4.9)."""
    if char == "<":
        return 0
    if "0" <= char <= "9":
        return ord(char) - ord("0")
    if "A" <= char <= "Z":
        return ord(char) - ord("A") + 10
    raise ValueError(f"{char!r} is not an MRZ character")


def check_digit(text: str) -> str:
    """The check digit over `text`: weights 7, 3, 1 repeating, sum modulo 10."""
    return str(sum(char_value(c) * _WEIGHTS[i % 3] for i, c in enumerate(text)) % 10)


def normalize_mrz_lines(text: str) -> list[str]:
    """The zone's lines, upper case, without surrounding whitespace or blank lines.

    A zone pasted as one run of 88, 72 or 90 characters (a scanner that drops line breaks) is cut back
    into its lines.
    """
    lines = [line.strip().upper() for line in text.replace("\r", "\n").split("\n")]
    lines = [line for line in lines if line]
    if len(lines) == 1:
        for count, length in SHAPES.values():
            if len(lines[0]) == count * length:
                return [lines[0][i * length : (i + 1) * length] for i in range(count)]
    return lines


def parse_mrz(text: str, *, today: date | None = None) -> Mrz:
    """Read a TD1, TD2 or TD3 zone and list its problems.

    A zone of the wrong shape or with characters outside A-Z, 0-9 and '<' is reported with code "format"
    and nothing else is read from it. Otherwise every field is read and each failing check digit, each
    date that does not exist and an unreadable sex marker is listed. Two-digit years: a birth year that
    would lie after `today` in the 2000s is in the 1900s; expiry years are always in the 2000s.
    """
    today = today or date.today()
    lines = normalize_mrz_lines(text)
    fmt = _detect_format(lines)
    if fmt is None:
        return Mrz(format=_guess_format(lines), problems=(MrzProblem("format", "lines"),))
    for number, line in enumerate(lines, start=1):
        if not _ALLOWED.fullmatch(line):
            return Mrz(format=fmt, problems=(MrzProblem("format", f"line{number}"),))
    if fmt == "TD1":
        return _parse_td1(lines, today)
    return _parse_two_line(lines, fmt, today)


def _detect_format(lines: list[str]) -> str | None:
    for fmt, (count, length) in SHAPES.items():
        if len(lines) == count and all(len(line) == length for line in lines):
            return fmt
    return None


def _guess_format(lines: list[str]) -> str:
    # Shown to the officer ("looks like a passport zone with a short line"), never used to read fields.
    for fmt, (count, length) in SHAPES.items():
        if len(lines) == count and lines and len(lines[0]) == length:
            return fmt
    return ""


class _Reader:
    """Collects the problems of one zone while its fields are read."""

    def __init__(self, today: date) -> None:
        self.today = today
        self.problems: list[MrzProblem] = []

    def check(self, value: str, digit: str, field: str, *, filler_allowed: bool = False) -> None:
        # An unused optional-data field may carry '<' instead of a check digit (Part 4 §4.2.2.1).
        if filler_allowed and digit == "<" and set(value) <= {"<"}:
            return
        if digit != check_digit(value):
            self.problems.append(MrzProblem("check_digit", field))

    def birth_date(self, raw: str) -> date | None:
        parsed = _yymmdd(raw)
        if parsed is None:
            self._date_problem(raw, "birth_date")
            return None
        yy, mm, dd = parsed
        year = 2000 + yy if (2000 + yy, mm, dd) <= (self.today.year, self.today.month, self.today.day) else 1900 + yy
        return self._real_date(year, mm, dd, "birth_date")

    def expiry_date(self, raw: str) -> date | None:
        parsed = _yymmdd(raw)
        if parsed is None:
            self._date_problem(raw, "expiry_date")
            return None
        yy, mm, dd = parsed
        return self._real_date(2000 + yy, mm, dd, "expiry_date")

    def sex(self, raw: str) -> str | None:
        if raw in ("M", "F"):
            return raw
        if raw not in ("<", "X"):
            self.problems.append(MrzProblem("format", "sex"))
        return None

    def _date_problem(self, raw: str, field: str) -> None:
        # '<' marks an unknown part of a date (Part 3 §4.6), which is not an error.
        if "<" not in raw:
            self.problems.append(MrzProblem("date", field))

    def _real_date(self, year: int, month: int, day: int, field: str) -> date | None:
        try:
            return date(year, month, day)
        except ValueError:
            self.problems.append(MrzProblem("date", field))
            return None


def _yymmdd(raw: str) -> tuple[int, int, int] | None:
    if not raw.isdigit():
        return None
    return int(raw[0:2]), int(raw[2:4]), int(raw[4:6])


def _text(raw: str) -> str:
    return " ".join(raw.replace("<", " ").split())


def _names(raw: str) -> tuple[str, str]:
    primary, _sep, secondary = raw.partition("<<")
    return _text(primary), _text(secondary)


def _document_number(principal: str, digit: str, optional: str, reader: _Reader) -> tuple[str, str]:
    """The document number and what remains of the optional data.

    A number longer than 9 characters (TD1: Part 5 §4.2.4 note j; TD2: Part 6 §4.2.4) shows its first 9
    characters, then '<' where the check digit would be, then the rest at the start of the optional data,
    followed by the check digit over the whole number and a filler.
    """
    if digit == "<" and optional[:1] not in ("", "<"):
        rest = optional.split("<", 1)[0]
        number, real_digit = principal + rest[:-1], rest[-1]
        reader.check(number, real_digit, "document_number")
        return number, optional[len(rest) + 1 :]
    reader.check(principal, digit, "document_number")
    return principal.rstrip("<"), optional


def _parse_td1(lines: list[str], today: date) -> Mrz:
    l1, l2, l3 = lines
    reader = _Reader(today)
    number, optional = _document_number(l1[5:14], l1[14], l1[15:30], reader)
    birth = reader.birth_date(l2[0:6])
    reader.check(l2[0:6], l2[6], "birth_date")
    sex = reader.sex(l2[7])
    expiry = reader.expiry_date(l2[8:14])
    reader.check(l2[8:14], l2[14], "expiry_date")
    reader.check(l1[5:30] + l2[0:7] + l2[8:15] + l2[18:29], l2[29], "composite")
    surname, given = _names(l3)
    return Mrz(
        format="TD1",
        document_code=l1[0:2].rstrip("<"),
        issuing_state=l1[2:5].rstrip("<"),
        surname=surname,
        given_names=given,
        document_number=number,
        nationality=l2[15:18].rstrip("<"),
        birth_date=birth,
        sex=sex,
        expiry_date=expiry,
        optional_data=_text(optional),
        optional_data_2=_text(l2[18:29]),
        problems=tuple(reader.problems),
    )


def _parse_two_line(lines: list[str], fmt: str, today: date) -> Mrz:
    l1, l2 = lines
    end = len(l2) - 1  # position of the composite check digit
    reader = _Reader(today)
    if fmt == "TD3":
        number, optional = l2[0:9].rstrip("<"), l2[28:42]
        reader.check(l2[0:9], l2[9], "document_number")
    else:
        number, optional = _document_number(l2[0:9], l2[9], l2[28:35], reader)
    birth = reader.birth_date(l2[13:19])
    reader.check(l2[13:19], l2[19], "birth_date")
    sex = reader.sex(l2[20])
    expiry = reader.expiry_date(l2[21:27])
    reader.check(l2[21:27], l2[27], "expiry_date")
    if fmt == "TD3":
        reader.check(l2[28:42], l2[42], "optional_data", filler_allowed=True)
    reader.check(l2[0:10] + l2[13:20] + l2[21:end], l2[end], "composite")
    surname, given = _names(l1[5:])
    return Mrz(
        format=fmt,
        document_code=l1[0:2].rstrip("<"),
        issuing_state=l1[2:5].rstrip("<"),
        surname=surname,
        given_names=given,
        document_number=number,
        nationality=l2[10:13].rstrip("<"),
        birth_date=birth,
        sex=sex,
        expiry_date=expiry,
        optional_data=_text(optional),
        problems=tuple(reader.problems),
    )


# Building zones: the demo data and the tests need real, valid ones.


def mrz_text(value: str) -> str:
    """`value` in MRZ characters: Cyrillic transliterated as Kazakh passports do, accents dropped,
    apostrophes removed, spaces, hyphens and commas turned into fillers (ICAO 9303 Part 3 §6)."""
    latin = unicodedata.normalize("NFKD", latin_from_cyrillic(value).upper())
    latin = "".join(c for c in latin if not unicodedata.combining(c))
    latin = re.sub(r"['’ʼ`]", "", latin.strip())
    latin = re.sub(r"[\s,\-]+", "<", latin)
    if not _ALLOWED.fullmatch(latin):
        raise ValueError(f"{value!r} has characters an MRZ cannot hold")
    return latin


def _field(value: str, length: int, what: str) -> str:
    text = mrz_text(value)
    if len(text) > length:
        raise ValueError(f"the {what} has more than {length} characters")
    return text.ljust(length, "<")


def _name_field(surname: str, given_names: str, length: int) -> str:
    # Names that do not fit are truncated (Part 3 §6.2: truncation is allowed, the check is on the rest).
    name = mrz_text(surname) + ("<<" + mrz_text(given_names) if given_names.strip() else "")
    return name[:length].ljust(length, "<")


def _yymmdd_text(value: date | None) -> str:
    return value.strftime("%y%m%d") if value else "<<<<<<"


def _sex_char(sex: str | None) -> str:
    if sex not in ("M", "F", None):
        raise ValueError('sex must be "M", "F" or None')
    return sex or "<"


def make_td3(
    *,
    surname: str,
    given_names: str,
    document_number: str,
    nationality: str,
    birth_date: date | None,
    sex: str | None,
    expiry_date: date | None,
    issuing_state: str | None = None,
    document_code: str = "P",
    personal_number: str = "",
) -> str:
    """A valid passport zone (two lines of 44 joined by a newline) with all five check digits."""
    number = _field(document_number, 9, "document number")
    personal = _field(personal_number, 14, "personal number")
    line1 = _field(document_code, 2, "document code") + _field(issuing_state or nationality, 3, "state")
    line1 += _name_field(surname, given_names, 39)
    birth, expiry = _yymmdd_text(birth_date), _yymmdd_text(expiry_date)
    personal_check = "<" if set(personal) == {"<"} else check_digit(personal)
    body = (
        number + check_digit(number) + _field(nationality, 3, "nationality") + birth + check_digit(birth)
        + _sex_char(sex) + expiry + check_digit(expiry) + personal + personal_check
    )
    line2 = body + check_digit(body[0:10] + body[13:20] + body[21:43])
    return line1 + "\n" + line2


def make_td1(
    *,
    surname: str,
    given_names: str,
    document_number: str,
    nationality: str,
    birth_date: date | None,
    sex: str | None,
    expiry_date: date | None,
    issuing_state: str | None = None,
    document_code: str = "I",
    optional_data: str = "",
    optional_data_2: str = "",
) -> str:
    """A valid identity-card zone (three lines of 30), using the long-number rule past 9 characters."""
    number = mrz_text(document_number)
    if len(number) <= 9:
        number_part = number.ljust(9, "<") + check_digit(number.ljust(9, "<"))
        optional = _field(optional_data, 15, "optional data")
    else:
        number_part = number[:9] + "<"
        optional = _field(number[9:] + check_digit(number) + "<" + mrz_text(optional_data), 15, "number")
    line1 = _field(document_code, 2, "document code") + _field(issuing_state or nationality, 3, "state")
    line1 += number_part + optional
    birth, expiry = _yymmdd_text(birth_date), _yymmdd_text(expiry_date)
    line2 = (
        birth + check_digit(birth) + _sex_char(sex) + expiry + check_digit(expiry)
        + _field(nationality, 3, "nationality") + _field(optional_data_2, 11, "optional data")
    )
    line2 += check_digit(line1[5:30] + line2[0:7] + line2[8:15] + line2[18:29])
    return "\n".join((line1, line2, _name_field(surname, given_names, 30)))
