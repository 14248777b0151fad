"""Reading an archive of past arrivals (docs/placement-history-import-format.md): one row per member of a
family that settled in a region in a past year, with what the member was on arrival and, for members of
working age, whether they were employed at 3, 6 and 12 months and still lived in the region at 12 months.

The rows of a family share its key, year, country of origin, region and size. Each row is checked on its own
(the values and their ranges), then each family as a whole (its rows agree, its size holds its members),
then against the reference data (regions, countries) and the history already held. Every problem is reported
with its line, column and reason in the user's language; a file with any problem saves nothing.

No names, no identity numbers: the history is anonymised training data for the outcome model.
"""

from dataclasses import dataclass, field
from datetime import date
from typing import Any, NamedTuple

from django.utils.translation import gettext as _

from koshiqon.core.tables import READ_ERRORS, TableFileError, table_lines, too_large
from koshiqon.placement.domain.features import (
    LANGUAGE_LEVELS,
    FactsError,
    FamilyFacts,
    MemberFacts,
    member_table,
)

COLUMNS = (
    "family", "year", "origin", "region", "size", "age", "sex", "education", "occupation", "experience_years",
    "kazakh", "russian", "employed_3m", "employed_6m", "employed_12m", "stayed_12m",
)
REQUIRED = ("family", "year", "origin", "region", "age", "sex")
OUTCOME_COLUMNS = ("employed_3m", "employed_6m", "employed_12m", "stayed_12m")
FAMILY_COLUMNS = ("year", "origin", "region", "size")
YES = {"yes", "y", "1", "true", "иә", "да"}
NO = {"no", "n", "0", "false", "жоқ", "нет"}
MAX_BYTES = 30 * 1024 * 1024
MAX_ROWS = 200_000
MAX_MEMBERS = 30
FIRST_YEAR = 1991  # the first kandas arrived after independence


class RowError(NamedTuple):
    line: int
    column: str
    message: str


@dataclass
class ArchiveFamily:
    """A family read from the file: its facts, where it settled, and its members' outcomes."""

    key: str
    year: int
    origin: str
    region: str
    size: int | None
    first_line: int
    lines: list[int] = field(default_factory=list)
    members: list[MemberFacts] = field(default_factory=list)
    outcomes: list[dict[str, Any]] = field(default_factory=list)

    def facts(self) -> FamilyFacts:
        return FamilyFacts(id=self.key, origin=self.origin, size=self.size or len(self.members),
                           members=tuple(self.members))


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def read_rows(data: bytes) -> tuple[list[tuple[int, dict[str, str]]], list[RowError]]:
    """The file's rows as {column: text} with their line numbers, or the problems of the file itself (its
    size, its encoding, its header). An XLSX workbook is recognised by its content (`core.tables`)."""
    if len(data) > MAX_BYTES:
        return [], [RowError(1, "", too_large(MAX_BYTES))]
    rows: list[tuple[int, dict[str, str]]] = []
    header: list[str] | None = None
    try:
        source = table_lines(data)
        for line, cells in source:
            texts = [_text(c) for c in cells]
            if header is None:
                header = [t.lower() for t in texts]
                while header and not header[-1]:
                    header.pop()
                if not header:
                    return [], [RowError(line, "", _("The file is empty: its first line must name the columns."))]
                problems = _header_problems(header)
                if problems:
                    return [], problems
                continue
            if not any(texts):
                continue
            if any(texts[len(header):]):
                return [], [RowError(line, "", _("This row has more cells than the first line has columns."))]
            rows.append((line, {name: (texts[i] if i < len(texts) else "") for i, name in enumerate(header)}))
            if len(rows) > MAX_ROWS:
                return [], [RowError(line, "", _("A file may hold at most %(max)s rows; split it.") % {"max": MAX_ROWS})]
    except TableFileError as exc:
        return [], [RowError(1, "", str(exc))]
    except READ_ERRORS:
        return [], [RowError(1, "", _("The file could not be read as CSV or XLSX."))]
    if header is None:
        return [], [RowError(1, "", _("The file is empty: its first line must name the columns."))]
    if not rows:
        return [], [RowError(1, "", _("The file has no rows under its first line."))]
    return rows, []


def _header_problems(header: list[str]) -> list[RowError]:
    problems = []
    for name in header:
        if name and name not in COLUMNS:
            problems.append(RowError(1, name, _("Unknown column. The columns are: %(columns)s.")
                                     % {"columns": ", ".join(COLUMNS)}))
    seen: set[str] = set()
    for name in header:
        if name and name in seen:
            problems.append(RowError(1, name, _("This column is named twice.")))
        seen.add(name)
    for name in REQUIRED:
        if name not in header:
            problems.append(RowError(1, name, _("This column is missing.")))
    return problems


def _whole(value: str, low: int, high: int) -> int | None:
    try:
        number = int(value)
    except ValueError:
        return None
    return number if low <= number <= high else None


def _flag(value: str) -> bool | None | str:
    """True, False, None (not recorded) or "bad"."""
    text = value.strip().lower()
    if not text:
        return None
    if text in YES:
        return True
    if text in NO:
        return False
    return "bad"


def parse_row(line: int, row: dict[str, str], *, today: date) -> tuple[ArchiveFamily | None, list[RowError]]:
    """One member's row: the family values it carries (as an ArchiveFamily of one member) or its problems."""
    errors: list[RowError] = []

    def bad(column: str, message: str) -> None:
        errors.append(RowError(line, column, message))

    key = row.get("family", "")
    if not key:
        bad("family", _("This field is required."))
    elif len(key) > 30:
        bad("family", _("A family key has at most 30 characters."))
    year = _whole(row.get("year", ""), FIRST_YEAR, today.year)
    if year is None:
        bad("year", _("Enter a year from %(first)s to %(last)s.") % {"first": FIRST_YEAR, "last": today.year})
    origin = row.get("origin", "").upper()
    if len(origin) != 2 or not origin.isalpha():
        bad("origin", _("Enter the country as its two-letter ISO code, e.g. CN."))
    region = row.get("region", "").upper()
    if not region:
        bad("region", _("This field is required."))
    size = None
    if row.get("size", ""):
        size = _whole(row["size"], 1, MAX_MEMBERS)
        if size is None:
            bad("size", _("Enter a whole number from 1 to %(max)s.") % {"max": MAX_MEMBERS})
    age = _whole(row.get("age", ""), 0, 120)
    if age is None:
        bad("age", _("Enter the age on arrival as a whole number from 0 to 120."))
    sex = row.get("sex", "").upper()
    if sex not in ("M", "F"):
        bad("sex", _("Enter M or F."))
    education = row.get("education", "")
    if education and education not in {str(n) for n in range(9)}:
        bad("education", _("Enter an ISCED 2011 level from 0 to 8, or leave it empty."))
    occupation = row.get("occupation", "")
    if occupation and not (occupation.isdigit() and 1 <= len(occupation) <= 4):
        bad("occupation", _("Enter an ISCO-08 code of 1 to 4 digits, or leave it empty."))
    experience = 0.0
    if row.get("experience_years", ""):
        try:
            experience = float(row["experience_years"].replace(",", "."))
        except ValueError:
            experience = -1.0
        if not 0 <= experience <= 60:
            bad("experience_years", _("Enter the years of experience as a number from 0 to 60."))
    languages = {}
    for column in ("kazakh", "russian"):
        level = row.get(column, "").lower() or "none"
        if level not in LANGUAGE_LEVELS:
            bad(column, _("Enter one of: %(choices)s.") % {"choices": ", ".join(LANGUAGE_LEVELS)})
        languages[column] = level
    outcome: dict[str, Any] = {}
    for column in OUTCOME_COLUMNS:
        value = _flag(row.get(column, ""))
        if value == "bad":
            bad(column, _("Enter yes or no, or leave it empty when not recorded."))
        else:
            outcome[column] = value
    if errors:
        return None, errors
    assert year is not None and age is not None
    family = ArchiveFamily(key=key, year=year, origin=origin, region=region, size=size, first_line=line,
                           lines=[line])
    family.members.append(MemberFacts(age=age, sex=sex, education=education, occupation=occupation,
                                      experience_years=experience, kazakh=languages["kazakh"],
                                      russian=languages["russian"]))
    family.outcomes.append(outcome)
    return family, []


def merge(families: dict[str, ArchiveFamily], one: ArchiveFamily, line: int) -> list[RowError]:
    """Add a parsed row to its family; the family values must agree with the family's first row."""
    family = families.get(one.key)
    if family is None:
        families[one.key] = one
        return []
    errors = []
    for column in FAMILY_COLUMNS:
        mine, theirs = getattr(one, column), getattr(family, column)
        if column == "size" and mine is None:
            continue
        if column == "size" and theirs is None:
            family.size = mine
            continue
        if mine != theirs:
            errors.append(RowError(line, column, _("The family's first row (line %(line)s) says %(value)s.")
                                   % {"line": family.first_line, "value": theirs}))
    if not errors:
        family.lines.append(line)
        family.members.extend(one.members)
        family.outcomes.extend(one.outcomes)
    return errors


def family_problems(family: ArchiveFamily) -> list[RowError]:
    """A family as a whole: its size holds its members, and the model can read it."""
    if len(family.members) > MAX_MEMBERS:
        return [RowError(family.first_line, "family", _("A family has at most %(max)s members.") % {"max": MAX_MEMBERS})]
    if family.size is not None and family.size < len(family.members):
        return [RowError(family.first_line, "size", _("The family has %(rows)s rows but a size of %(size)s.")
                         % {"rows": len(family.members), "size": family.size})]
    try:
        member_table([family.facts()])
    except FactsError as exc:
        return [RowError(family.first_line, "family", str(exc))]
    return []


def outcome_rows(family: ArchiveFamily) -> list[dict[str, Any]]:
    """The family's outcomes as PastArrival stores them: one dict per member with anything recorded."""
    return [
        {"member_index": i, **values}
        for i, values in enumerate(family.outcomes) if any(v is not None for v in values.values())
    ]
