"""Reading the rows of an outcomes file (docs/adaptation-outcomes-import-format.md): the header, and each
row's cells into typed values, with every problem named by line and column. Looking the plans and persons up
and checking the outcome rules (domain.outcomes) come after, in the service.

Staff fill these files in spreadsheets in Kazakh or Russian, so the answers are read in any of the three
languages: yes / иә / да, no / жоқ / нет, unknown / белгісіз / неизвестно (and 1 / 0, y / n).
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from koshiqon.adaptation.domain.outcomes import CHECKPOINTS, SECTORS, Answer

COLUMNS = ("plan", "person", "iin", "months", "employed", "sector", "stayed_in_region")
REQUIRED = ("plan", "months", "employed")
MAX_ROWS = 20_000

ANSWERS: Mapping[str, Answer] = {
    "yes": Answer.YES, "y": Answer.YES, "1": Answer.YES, "иә": Answer.YES, "ия": Answer.YES, "да": Answer.YES,
    "no": Answer.NO, "n": Answer.NO, "0": Answer.NO, "жоқ": Answer.NO, "нет": Answer.NO,
    "unknown": Answer.UNKNOWN, "?": Answer.UNKNOWN, "белгісіз": Answer.UNKNOWN, "неизвестно": Answer.UNKNOWN,
}


class Code(StrEnum):
    """Why a header or a row is refused; the service gives each its message in the user's language."""

    EMPTY_FILE = "empty_file"
    NO_ROWS = "no_rows"
    TOO_MANY_ROWS = "too_many_rows"
    UNKNOWN_COLUMN = "unknown_column"
    MISSING_COLUMN = "missing_column"
    DUPLICATE_COLUMN = "duplicate_column"
    NO_PERSON_COLUMN = "no_person_column"
    REQUIRED = "required"
    PERSON_REQUIRED = "person_required"
    NOT_A_NUMBER = "not_a_number"
    CHECKPOINT = "checkpoint"
    ANSWER = "answer"
    SECTOR = "sector"
    IIN = "iin"


@dataclass(frozen=True)
class RowProblem:
    line: int
    column: str
    code: Code

    def key(self) -> tuple[int, str, str]:
        return (self.line, self.column, self.code.value)


@dataclass
class OutcomeRow:
    """One row as read: the plan number, the person (record number and/or IIN) and the answers."""

    line: int
    plan: str = ""
    person_id: int | None = None
    iin: str = ""
    months: int | None = None
    employed: str = ""
    sector: str = ""
    stayed: str = ""
    problems: list[RowProblem] = field(default_factory=list)

    def fail(self, column: str, code: Code) -> None:
        self.problems.append(RowProblem(self.line, column, code))


def check_header(header: Sequence[str]) -> list[RowProblem]:
    problems = [RowProblem(1, name, Code.UNKNOWN_COLUMN) for name in header if name and name not in COLUMNS]
    problems += [RowProblem(1, name, Code.MISSING_COLUMN) for name in REQUIRED if name not in header]
    if "person" not in header and "iin" not in header:
        problems.append(RowProblem(1, "person", Code.NO_PERSON_COLUMN))
    if len(set(header)) != len(header):
        problems.append(RowProblem(1, "", Code.DUPLICATE_COLUMN))
    return problems


def answer(value: str) -> Answer | None:
    return ANSWERS.get(value.strip().lower())


def parse_row(line: int, cells: Mapping[str, str]) -> OutcomeRow:
    """A row of cells named by the header, stripped; each bad cell is a problem on the row."""
    row = OutcomeRow(line=line, plan=cells.get("plan", "").strip().upper())
    if not row.plan:
        row.fail("plan", Code.REQUIRED)
    person = cells.get("person", "").strip()
    if person:
        if person.isdigit() and 0 < int(person) < 2**63:
            row.person_id = int(person)
        else:
            row.fail("person", Code.NOT_A_NUMBER)
    row.iin = cells.get("iin", "").strip()
    if row.iin and not (len(row.iin) == 12 and row.iin.isdigit()):
        row.fail("iin", Code.IIN)
    if not person and not row.iin:
        row.fail("person", Code.PERSON_REQUIRED)
    months = cells.get("months", "").strip()
    if not months:
        row.fail("months", Code.REQUIRED)
    elif not months.isdigit() or int(months) not in CHECKPOINTS:
        row.fail("months", Code.CHECKPOINT)
    else:
        row.months = int(months)
    employed = cells.get("employed", "").strip()
    if not employed:
        row.fail("employed", Code.REQUIRED)
    elif (a := answer(employed)) is None:
        row.fail("employed", Code.ANSWER)
    else:
        row.employed = a.value
    sector = cells.get("sector", "").strip().upper()
    if sector and sector not in SECTORS:
        row.fail("sector", Code.SECTOR)
    row.sector = sector
    stayed = cells.get("stayed_in_region", "").strip()
    if stayed:
        if (a := answer(stayed)) is None:
            row.fail("stayed_in_region", Code.ANSWER)
        else:
            row.stayed = a.value
    return row
