"""Importing vacancies and registered jobseekers into the labour exchange from a CSV or XLSX file: every row or
none (docs/labour-exchange-import-format.md).

Every row is checked as the one-by-one services check it (`services/exchange.py`: the row's values, then the
region, occupation and education against the reference data and the officer's regions). A row whose exchange
id (vacancy) or registration number (jobseeker) is already registered updates that record, when it is in the
officer's regions; so the exchange's periodic export can be loaded again and again. If any row has a problem,
nothing is saved and the report lists each one with its line, column and reason in the user's language.
When every row passed, all of them are saved in one transaction, with one audit event per record created or
changed and one for the import.

XLSX files are read with openpyxl in read-only mode (row by row, so a large workbook does not fill memory);
the first sheet is read, its first row names the columns.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any, NamedTuple

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from koshiqon.core.audit import AuditItem, audit_record, audit_record_many, jsonable
from koshiqon.core.domain.permissions import Perm
from koshiqon.core.permissions import require
from koshiqon.core.tables import READ_ERRORS, TableFileError, table_lines, too_large
from koshiqon.jobs.services import file_from_param
from koshiqon.labour.domain.exchange import (
    JOBSEEKER_COLUMNS,
    JOBSEEKER_REQUIRED,
    VACANCY_COLUMNS,
    VACANCY_REQUIRED,
    Cell,
    cell_text,
    header_problems,
    parse_jobseeker,
    parse_vacancy,
)
from koshiqon.labour.models import Jobseeker, Vacancy
from koshiqon.labour.services.exchange import (
    Refs,
    check_jobseeker,
    check_partial,
    check_vacancy,
    jobseeker_values,
    problem_message,
    raw_codes,
    vacancy_values,
)

VACANCIES, JOBSEEKERS = "vacancies", "jobseekers"
KINDS = (VACANCIES, JOBSEEKERS)
MAX_ROWS = 100_000
MAX_BYTES = 20 * 1024 * 1024
PROGRESS_EVERY = 500
BATCH = 2000

Progress = Callable[[int, int, str], None]


class RowError(NamedTuple):
    line: int
    column: str
    message: str


@dataclass
class ImportReport:
    kind: str
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)

    @property
    def saved(self) -> bool:
        return not self.errors and self.rows > 0


@dataclass(frozen=True)
class _Spec:
    model: type
    key: str
    columns: tuple[str, ...]
    required: tuple[str, ...]
    parse: Callable
    check: Callable
    values: Callable
    date_column: str


SPECS = {
    VACANCIES: _Spec(Vacancy, "exchange_id", VACANCY_COLUMNS, VACANCY_REQUIRED, parse_vacancy, check_vacancy,
                     vacancy_values, "posted_on"),
    JOBSEEKERS: _Spec(Jobseeker, "registration", JOBSEEKER_COLUMNS, JOBSEEKER_REQUIRED, parse_jobseeker,
                      check_jobseeker, jobseeker_values, "registered_on"),
}


def _no_progress(done: int, total: int, message: str = "") -> None:
    return None


# --- Reading the file --------------------------------------------------------------------------------------

def read_table(data: bytes, filename: str = "") -> tuple[list[str], list[tuple[int, dict[str, Cell]]], list[RowError]]:
    """The header (lower-cased names) and the non-empty rows with their line numbers, or the file's problems.
    An XLSX workbook is recognised by its content (a zip archive), see `core.tables.table_lines`."""
    rows: list[tuple[int, dict[str, Cell]]] = []
    try:
        source = table_lines(data, filename)
        header: list[str] | None = None
        for line, cells in source:
            if header is None:
                header = [cell_text(c).lower() for c in cells]
                while header and not header[-1]:
                    header.pop()
                if not any(header):
                    return [], [], [RowError(line, "", _("The file is empty: its first line must name the columns."))]
                continue
            if not any(cell_text(c) for c in cells):
                continue
            extra = [c for c in cells[len(header):] if cell_text(c)]
            if extra:
                return header, [], [RowError(line, "", _("This row has %(cells)s cells; the first line names "
                                                         "%(columns)s.") % {"cells": len(cells), "columns": len(header)})]
            rows.append((line, {name: (cells[i] if i < len(cells) else None) for i, name in enumerate(header) if name}))
            if len(rows) > MAX_ROWS:
                return header, [], [RowError(line, "", _("A file may hold at most %(max)s rows; split it.")
                                             % {"max": MAX_ROWS})]
    except TableFileError as exc:
        return [], [], [RowError(1, "", str(exc))]
    except READ_ERRORS:
        return [], [], [RowError(1, "", _("The file could not be read as CSV or XLSX."))]
    if header is None:
        return [], [], [RowError(1, "", _("The file is empty: its first line must name the columns."))]
    if not rows:
        return header, [], [RowError(1, "", _("The file has no rows under its first line."))]
    return header, rows, []


# --- Checking and saving -------------------------------------------------------------------------------------

def _changed(record, values: dict[str, Any]) -> dict[str, Any]:
    out = {}
    for name, value in values.items():
        current = getattr(record, name)
        if current != value:
            out[name] = value
    return out


def exchange_import(*, kind: str, data: bytes, by, filename: str = "", progress: Progress | None = None,
                    today: date | None = None) -> ImportReport:
    """Import vacancies or jobseekers (`kind`) from the bytes of a CSV or XLSX file: all rows or none."""
    require(by, Perm.LABOUR_EXCHANGE)
    if kind not in SPECS:
        raise ValueError(f"unknown import kind {kind!r}")
    spec, progress, today = SPECS[kind], progress or _no_progress, today or timezone.localdate()
    report = ImportReport(kind=kind)
    if len(data) > MAX_BYTES:
        report.errors.append(RowError(1, "", too_large(MAX_BYTES)))
        return report
    header, records, file_errors = read_table(data, filename)
    if header:
        file_errors += [RowError(1, p.column, problem_message(p, columns=", ".join(spec.columns)))
                        for p in header_problems(header, spec.columns, spec.required)]
    report.rows = len(records)
    if file_errors:
        report.errors = sorted(file_errors)
        return report
    total = 2 * len(records)
    progress(0, total, _("Checking %(total)s rows") % {"total": len(records)})
    parsed, errors, failed = [], [], []
    seen: dict[str, int] = {}
    for i, (line, record) in enumerate(records, start=1):
        row, problems = spec.parse(record, today=today)
        errors += [RowError(line, p.column, problem_message(p)) for p in problems]
        if row is None:
            failed.append((line, record, problems))
        else:
            key = getattr(row, spec.key)
            if key in seen:
                errors.append(RowError(line, spec.key, _("The same value is on line %(line)s of this file.")
                                       % {"line": seen[key]}))
            else:
                seen[key] = line
                parsed.append((line, row))
        if i % PROGRESS_EVERY == 0:  # the values of each row: the first half of the check
            progress(i // 2, total, _("Checked %(done)s of %(total)s rows") % {"done": i, "total": len(records)})
    rows = [row for _line, row in parsed]
    codes = [raw_codes(record) for _line, record in records]
    refs = Refs.load(user=by, regions={c[0] for c in codes}, occupations={c[1] for c in codes},
                     education={c[2] for c in codes}, bins={getattr(r, "employer_bin", "") for r in rows})
    for line, record, problems in failed:
        more = check_partial(record, problems, refs, spec.date_column)
        errors += [RowError(line, column, message) for column, messages in more.items() for message in messages]
    existing = {getattr(r, spec.key): r for r in spec.model.objects.filter(**{f"{spec.key}__in": list(seen)})}
    plans: list[tuple[int, Any, dict[str, Any]]] = []
    for i, (line, row) in enumerate(parsed, start=1):
        problems = spec.check(row, refs)
        current = existing.get(getattr(row, spec.key))
        if current is not None and refs.scope is not None and current.region_id not in refs.scope:
            problems.setdefault(spec.key, []).append(
                _("This record is registered in a region whose exchange you do not keep."))
        errors += [RowError(line, column, message) for column, messages in problems.items() for message in messages]
        if not problems:
            plans.append((line, current, spec.values(row, refs)))
        if i % PROGRESS_EVERY == 0:  # against the reference data and the registers: the second half
            progress(len(records) // 2 + i // 2, total,
                     _("Checked %(done)s of %(total)s rows") % {"done": i, "total": len(records)})
    if errors:
        progress(total, total, _("Nothing was saved: the file has problems"))
        report.errors = sorted(errors)
        return report
    progress(len(records), total, _("Saving %(total)s rows") % {"total": len(records)})
    _save(spec, plans, report, by=by, filename=filename, progress=progress, total=total)
    progress(total, total, _("Saved %(total)s rows") % {"total": len(records)})
    return report


@transaction.atomic
def _save(spec: _Spec, plans, report: ImportReport, *, by, filename: str, progress: Progress, total: int) -> None:
    new, changed, items = [], [], []
    fields: set[str] = set()
    for _line, current, values in plans:
        if current is None:
            new.append(spec.model(**values))
            continue
        changes = _changed(current, values)
        if not changes:
            report.unchanged += 1
            continue
        before = {name: jsonable(getattr(current, name)) for name in changes}
        for name, value in changes.items():
            setattr(current, name, value)
        fields |= set(changes)
        changed.append(current)
        items.append(AuditItem(f"labour.{spec.model._meta.model_name}.import_update",
                               spec.model._meta.label_lower, str(current.pk), current.region.code, before,
                               {name: jsonable(v) for name, v in changes.items()}))
    spec.model.objects.bulk_create(new, batch_size=BATCH)
    created = spec.model.objects.filter(**{f"{spec.key}__in": [getattr(r, spec.key) for r in new]})
    for record in created.select_related("region"):
        items.append(AuditItem(f"labour.{spec.model._meta.model_name}.import_create", spec.model._meta.label_lower,
                               str(record.pk), record.region.code, None,
                               {name: jsonable(getattr(record, name)) for name in spec.columns
                                if hasattr(record, name)}))
    if changed:
        spec.model.objects.bulk_update(changed, sorted(fields | {"updated_at"}), batch_size=BATCH)
    report.created, report.updated = len(new), len(changed)
    audit_record_many(by=by, items=items)
    audit_record(by=by, action=f"labour.{spec.model._meta.model_name}.import", object_type=spec.model._meta.label_lower,
                 after={"file": filename[:200], "rows": report.rows, "created": report.created,
                        "updated": report.updated, "unchanged": report.unchanged})


def exchange_import_job(*, by, progress: Progress, what: str, content: str, filename: str = "") -> dict[str, Any]:
    """The long-job handler behind the import page and the API (see koshiqon.jobs.kinds): `what` is
    "vacancies" or "jobseekers", `content` the file, base64-encoded so that it travels through the task queue
    as JSON."""
    kind = what
    report = exchange_import(kind=kind, data=file_from_param(content), by=by, filename=filename, progress=progress)
    if report.saved:
        summary = _("Saved: %(created)s new, %(updated)s changed, %(unchanged)s unchanged.") % {
            "created": report.created, "updated": report.updated, "unchanged": report.unchanged}
    else:
        summary = ngettext("Nothing was saved: %(count)s problem was found in the file.",
                           "Nothing was saved: %(count)s problems were found in the file.",
                           len(report.errors)) % {"count": len(report.errors)}
    return {
        "kind": kind, "rows": report.rows, "created": report.created, "updated": report.updated,
        "unchanged": report.unchanged, "saved": report.saved, "errors": [list(e) for e in report.errors],
        "summary": summary,
    }

