"""The labour exchange's records as they arrive in files, and how a jobseeker matches an occupation
(domain.md §4; docs/labour-exchange-import-format.md).

Rows of a CSV or XLSX file are read cell by cell: a cell may be text (CSV, or text typed in a spreadsheet), a
number or a date (a spreadsheet's own types). Each problem is a stable code with the column it concerns; the
Django layer words it in the user's language and adds the line number. Checks that need the database (the
region exists and is the officer's, the occupation and education codes are known) come after these.

**Occupations match down the ISCO-08 tree.** A jobseeker counts for a job in occupation group G when the
jobseeker's occupation is G itself or one of G's sub-groups (ISCO codes nest by prefix: 2142 is in 214, which
is in 21, which is in 2). A jobseeker registered only under a broader group does not count for a narrower job:
nothing says a "science and engineering professional" (21) can take a civil engineer's job (2142).
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from koshiqon.people.domain.iin import bin_problem, normalize_number

Cell = str | int | float | Decimal | date | datetime | bool | None

VACANCY_COLUMNS = ("exchange_id", "employer_bin", "title", "occupation", "region", "wage", "posted_on", "status")
VACANCY_REQUIRED = ("exchange_id", "employer_bin", "title", "occupation", "region", "wage", "posted_on")
JOBSEEKER_COLUMNS = ("registration", "occupation", "region", "education", "registered_on", "deregistered_on")
JOBSEEKER_REQUIRED = ("registration", "occupation", "region", "registered_on")
VACANCY_STATUSES = ("open", "filled", "closed")
MAX_LENGTH = {"exchange_id": 40, "title": 300, "registration": 40}
# A wage above this is a typing error (tenge a month; the largest real wages are a few million).
MAX_WAGE = 100_000_000


@dataclass(frozen=True)
class Problem:
    """A problem with one cell (or, with column "", with the whole row or file)."""

    column: str
    code: str
    params: tuple[tuple[str, str], ...] = ()


class CellError(ValueError):
    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def occupation_covers(asked: str, registered: str) -> bool:
    """True when an occupation registered as `registered` is the group `asked` or inside it."""
    return bool(asked) and registered.startswith(asked)


def cell_text(cell: Cell) -> str:
    """A cell as text, trimmed; a whole number stored as a float (1.0) reads "1", a date as YYYY-MM-DD."""
    if cell is None:
        return ""
    if isinstance(cell, bool):
        return "1" if cell else "0"
    if isinstance(cell, datetime):
        return cell.date().isoformat()
    if isinstance(cell, date):
        return cell.isoformat()
    if isinstance(cell, float | Decimal) and cell == int(cell):
        return str(int(cell))
    return str(cell).strip()


def cell_whole(cell: Cell) -> int:
    """A whole number from a number cell or from text such as "250000", "250 000" or "250000.00"."""
    if isinstance(cell, bool):
        raise CellError("whole_number")
    if isinstance(cell, int):
        return cell
    if isinstance(cell, float | Decimal):
        if cell != cell or cell != int(cell):  # NaN, or a fraction
            raise CellError("whole_number")
        return int(cell)
    text = cell_text(cell).replace("\u00a0", "").replace(" ", "")
    if text.endswith((".00", ",00")):
        text = text[:-3]
    if text.startswith("-") and text[1:].isascii() and text[1:].isdigit():
        return -int(text[1:])
    if not text.isascii() or not text.isdigit():
        raise CellError("whole_number")
    return int(text)


def cell_date(cell: Cell) -> date:
    """A date from a date cell, or from text as YYYY-MM-DD or DD.MM.YYYY (how dates are written in
    Kazakhstan)."""
    if isinstance(cell, datetime):
        return cell.date()
    if isinstance(cell, date):
        return cell
    text = cell_text(cell)
    try:
        if len(text) == 10 and text[2] == "." and text[5] == ".":
            return date(int(text[6:]), int(text[3:5]), int(text[:2]))
        return date.fromisoformat(text)
    except ValueError:
        raise CellError("date") from None


def header_problems(header: Sequence[str], columns: Sequence[str], required: Sequence[str]) -> list[Problem]:
    """Problems of the first line: unknown columns, missing required ones, a column named twice."""
    problems = [Problem(name, "unknown_column") for name in header if name and name not in columns]
    problems += [Problem(name, "missing_column") for name in required if name not in header]
    named = [name for name in header if name]
    if len(set(named)) != len(named):
        problems.append(Problem("", "duplicate_column"))
    return problems


@dataclass
class _Reader:
    record: Mapping[str, Cell]
    problems: list[Problem] = field(default_factory=list)

    def fail(self, column: str, code: str, **params: object) -> None:
        self.problems.append(Problem(column, code, tuple((k, str(v)) for k, v in params.items())))

    def text(self, column: str, *, required: bool) -> str:
        value = cell_text(self.record.get(column))
        if required and not value:
            self.fail(column, "required")
        limit = MAX_LENGTH.get(column)
        if limit is not None and len(value) > limit:
            self.fail(column, "too_long", max=limit)
        if any(ord(c) < 32 or ord(c) == 127 for c in value):
            self.fail(column, "control")
        return value

    def code(self, column: str, *, required: bool, pattern: str) -> str:
        value = self.text(column, required=required).upper()
        if value and not _matches(value, pattern):
            self.fail(column, f"{column}_format")
        return value

    def day(self, column: str, *, required: bool, today: date) -> date | None:
        raw = self.record.get(column)
        if cell_text(raw) == "":
            if required:
                self.fail(column, "required")
            return None
        try:
            value = cell_date(raw)
        except CellError as exc:
            self.fail(column, exc.code)
            return None
        if value > today:
            self.fail(column, "future")
        return value


def _matches(value: str, pattern: str) -> bool:
    """Tiny patterns: "region" KZ-dd, "occupation" 1 to 4 digits, "education" one digit 0-8."""
    if pattern == "region":
        return len(value) == 5 and value.startswith("KZ-") and value[3:].isascii() and value[3:].isdigit()
    if pattern == "occupation":
        return 1 <= len(value) <= 4 and value.isascii() and value.isdigit()
    return len(value) == 1 and value in "012345678"


@dataclass(frozen=True)
class VacancyRow:
    exchange_id: str
    employer_bin: str
    title: str
    occupation: str
    region: str
    wage: int
    posted_on: date
    status: str


@dataclass(frozen=True)
class JobseekerRow:
    registration: str
    occupation: str
    region: str
    education: str
    registered_on: date
    deregistered_on: date | None


def parse_vacancy(record: Mapping[str, Cell], *, today: date) -> tuple[VacancyRow | None, list[Problem]]:
    """A vacancy row's values, or None with the problems found (every one of them, not only the first)."""
    read = _Reader(record)
    exchange_id = read.text("exchange_id", required=True)
    employer_bin = normalize_number(read.text("employer_bin", required=True))
    if employer_bin and (problem := bin_problem(employer_bin)):
        read.fail("employer_bin", f"bin_{problem}")
    title = read.text("title", required=True)
    occupation = read.code("occupation", required=True, pattern="occupation")
    region = read.code("region", required=True, pattern="region")
    wage = 0
    if cell_text(record.get("wage")) == "":
        read.fail("wage", "required")
    else:
        try:
            wage = cell_whole(record.get("wage"))
        except CellError as exc:
            read.fail("wage", exc.code)
        else:
            if wage < 1:
                read.fail("wage", "positive")
            elif wage > MAX_WAGE:
                read.fail("wage", "too_large", max=MAX_WAGE)
    posted_on = read.day("posted_on", required=True, today=today)
    status = read.text("status", required=False).lower() or "open"
    if status not in VACANCY_STATUSES:
        read.fail("status", "status", choices=", ".join(VACANCY_STATUSES))
    if read.problems or posted_on is None:
        return None, read.problems
    return VacancyRow(exchange_id, employer_bin, title, occupation, region, wage, posted_on, status), []


def parse_jobseeker(record: Mapping[str, Cell], *, today: date) -> tuple[JobseekerRow | None, list[Problem]]:
    """A jobseeker row's values, or None with the problems found."""
    read = _Reader(record)
    registration = read.text("registration", required=True)
    occupation = read.code("occupation", required=True, pattern="occupation")
    region = read.code("region", required=True, pattern="region")
    education = read.code("education", required=False, pattern="education")
    registered_on = read.day("registered_on", required=True, today=today)
    deregistered_on = read.day("deregistered_on", required=False, today=today)
    if registered_on and deregistered_on and deregistered_on < registered_on:
        read.fail("deregistered_on", "before_registration")
    if read.problems or registered_on is None:
        return None, read.problems
    return JobseekerRow(registration, occupation, region, education, registered_on, deregistered_on), []
