"""Importing outcomes from a CSV or XLSX file (docs/adaptation-outcomes-import-format.md): every row or none.

The file is read (domain/imports.py reads each row's cells), then every row goes through the same check as
an outcome entered on a plan's page (services/outcomes.py): the plan at one of the user's centres, the person
a member of the family, of working age at the checkpoint, the checkpoint reached, the answers known. If any
row is wrong, nothing is saved and the report lists every problem with its line, column and reason; else all
rows are saved in one transaction and audited. The page and any other caller start it as a long job
(`outcomes_import_start`, kind "adaptation.import_outcomes"): the upload's size and type are checked when it is
started, its rows by the job, which runs as the user who started it (the same centres in scope) and reports
its progress row by row; the job's page shows the rows saved or every problem.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from koshiqon.adaptation.access import require_right
from koshiqon.adaptation.domain.imports import MAX_ROWS, Code, OutcomeRow, RowProblem, check_header, parse_row
from koshiqon.adaptation.messages import import_message
from koshiqon.adaptation.models import OutcomeSource
from koshiqon.adaptation.services.outcomes import outcomes_check, outcomes_record_many
from koshiqon.core.domain.permissions import Perm
from koshiqon.core.permissions import require
from koshiqon.core.tables import (
    READ_ERRORS,
    XLSX_MAGIC,
    TableFileError,
    readable_as_table,
    table_lines,
    too_large,
)
from koshiqon.jobs.models import Job
from koshiqon.jobs.services import file_from_param, file_param, job_start

IMPORT_JOB = "adaptation.import_outcomes"
MAX_BYTES = 5 * 1024 * 1024
Progress = Callable[[int, int, str], None]


@dataclass
class ImportReport:
    rows: int
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[tuple[int, str, str]] = field(default_factory=list)  # line, column, message

    @property
    def saved(self) -> bool:
        return not self.errors and self.rows > 0

    def summary(self) -> str:
        if self.errors:
            return ngettext("Nothing was saved: %(count)s problem was found in the file.",
                            "Nothing was saved: %(count)s problems were found in the file.",
                            len(self.errors)) % {"count": len(self.errors)}
        return _("Saved. Recorded: %(created)s; corrected: %(updated)s; already as in the file: %(unchanged)s.") % {
            "created": self.created, "updated": self.updated, "unchanged": self.unchanged}


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()


def read_rows(*, name: str, content: bytes) -> tuple[list[OutcomeRow], list[RowProblem]]:
    """The file's rows as read, and the problems of its header and cells (core.tables reads CSV or XLSX)."""
    lines = ((line, [_cell(c) for c in cells]) for line, cells in table_lines(content, name))
    first = next(lines, None)
    header = [h.strip().lower() for h in (first[1] if first else [])]
    while header and not header[-1]:
        header.pop()
    if not any(header):
        return [], [RowProblem(1, "", Code.EMPTY_FILE)]
    problems = check_header(header)
    rows: list[OutcomeRow] = []
    for line, cells in lines:
        if not any(c.strip() for c in cells):
            continue
        if len(rows) >= MAX_ROWS:
            problems.append(RowProblem(line, "", Code.TOO_MANY_ROWS))
            break
        rows.append(parse_row(line, {name: (cells[i] if i < len(cells) else "") for i, name in enumerate(header)}))
    if not rows and not problems:
        problems.append(RowProblem(1, "", Code.NO_ROWS))
    return rows, problems


def _no_progress(done: int, total: int, message: str = "") -> None:
    return None


def outcomes_import(
    *, name: str, content: bytes, by, progress: Progress | None = None, today: date | None = None
) -> ImportReport:
    """Import the outcomes of a CSV or XLSX file, all of them or, if any row is bad, none."""
    require_right(by, Perm.ADAPTATION_CHANGE)
    progress = progress or _no_progress
    if len(content) > MAX_BYTES:
        return ImportReport(rows=0, errors=[(1, "", too_large(MAX_BYTES))])
    try:
        rows, problems = read_rows(name=name, content=content)
    except (TableFileError, *READ_ERRORS):
        return ImportReport(rows=0, errors=[(1, "", _("The file cannot be read: send a CSV file or an XLSX workbook."))])
    errors = [(p.line, p.column, import_message(p.code)) for p in problems]
    if any(p.line == 1 for p in problems):  # a bad header: the rows cannot be read right
        return ImportReport(rows=len(rows), errors=sorted(errors))
    for row in rows:
        errors += [(p.line, p.column, import_message(p.code)) for p in row.problems]
    # The check of each row is the first half of the work; saving (checked again under lock) the second.
    total = 2 * len(rows)
    progress(0, total, _("Checking %(total)s rows") % {"total": len(rows)})
    good = [r for r in rows if not r.problems]
    values = [{"plan": r.plan, "person": r.person_id, "iin": r.iin, "months": r.months, "employed": r.employed,
               "sector": r.sector, "stayed_in_region": r.stayed} for r in good]

    def checked(done: int) -> None:
        progress(done, total, _("Checked %(done)s of %(total)s rows") % {"done": done, "total": len(good)})

    _resolved, found = outcomes_check(rows=values, by=by, today=today, on_row=checked)
    for key, messages in found.items():
        _rows, index, column = key.split(".", 2)
        row = good[int(index)]
        if column == "person" and row.person_id is None:
            column = "iin"
        errors += [(row.line, column, str(m)) for m in messages]
    report = ImportReport(rows=len(rows), errors=sorted(errors))
    if report.errors:
        progress(total, total, _("Nothing was saved: the file has problems"))
        return report
    progress(len(rows), total, _("Saving %(total)s rows") % {"total": len(rows)})
    try:
        result = outcomes_record_many(rows=values, by=by, source=OutcomeSource.IMPORT, today=today)
    except ValidationError as exc:  # the data changed since the check: still all or nothing
        report.errors = sorted((good[int(k.split(".")[1])].line, k.split(".", 2)[2], str(m))
                               for k, ms in exc.message_dict.items() for m in ms)
        progress(total, total, _("Nothing was saved: the file has problems"))
        return report
    report.created, report.updated, report.unchanged = result.created, result.updated, result.unchanged
    progress(total, total, report.summary())
    return report


def upload_problem(*, name: str, content: bytes) -> str | None:
    """What is wrong with an upload as a whole, checked before a job is started: too large, or neither an XLSX
    workbook nor CSV text (a file named .xlsx that is not a workbook, a binary file). None when it may go on."""
    if len(content) > MAX_BYTES:
        return too_large(MAX_BYTES)
    binary = content[:4] != XLSX_MAGIC and b"\x00" in content  # text never holds a NUL byte
    if binary or not readable_as_table(content, name):
        return _("The file cannot be read: send a CSV file or an XLSX workbook.")
    return None


def outcomes_import_start(*, name: str, content: bytes, by) -> Job:
    """Start the import of a file as a long job run as `by` (a user: the job's page is theirs to follow).
    Raises ValidationError on "file" when the upload is too large or not a CSV or XLSX file."""
    require(by, Perm.ADAPTATION_CHANGE)
    name = (name or "upload")[:200]
    problem = upload_problem(name=name, content=content)
    if problem:
        raise ValidationError({"file": [problem]})
    return job_start(kind=IMPORT_JOB, title=_("Import of outcomes from %(file)s") % {"file": name}, by=by,
                     filename=name, content=file_param(content))


def outcomes_import_job(*, by, progress: Progress, content: str, filename: str = "") -> dict[str, Any]:
    """The long-job handler (koshiqon.jobs.kinds): `content` is the file, base64-encoded so that it travels
    through the task queue as JSON. The result holds the counts, or every problem as [line, column, reason],
    and the summary; nothing in it names a person or a plan outside the user's centres."""
    report = outcomes_import(name=filename, content=file_from_param(content), by=by, progress=progress)
    return {"rows": report.rows, "created": report.created, "updated": report.updated,
            "unchanged": report.unchanged, "saved": report.saved, "errors": [list(e) for e in report.errors],
            "summary": report.summary()}
