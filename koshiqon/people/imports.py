"""Registering persons from a CSV file: every row or none.

An import reports every bad row with its line and reason and saves nothing of a bad file (architecture,
rule 7). Each row goes through `person_create`, so an imported person meets exactly the rules of one
registered on the page: required fields, Latin spelling, IIN check digit and its agreement with the date of
birth and sex, the officer's regions, and duplicate detection (same IIN, or a similar name with the same date
of birth) against the registry and against the other rows of the file.

It runs in two passes. The first checks every row, one batch per transaction, each rolled back; between
batches the progress is written, so the page sees it. Rows that could be duplicates of each other share a
date of birth (an IIN encodes it too), so batches are cut between dates of birth, never inside one, and
duplicates within the file meet in one transaction. When every row passed, the second pass registers them
all in one transaction, which rolls back whole if anything changed in between.
"""

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any, NamedTuple

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from koshiqon.core.audit import audit_record
from koshiqon.core.domain.permissions import Perm
from koshiqon.core.permissions import require
from koshiqon.people.services import PossibleDuplicates, person_create
from koshiqon.reference.models import Country, Region

COLUMNS = (
    "last_name", "first_name", "patronymic", "last_name_latin", "first_name_latin",
    "birth_date", "sex", "citizenship", "iin", "region", "confirmed_new",
)
REQUIRED_COLUMNS = ("last_name", "first_name", "birth_date", "sex", "region")
BATCH_ROWS = 500
MAX_ROWS = 100_000
DUPLICATE_FIELD = "confirmed_new"

Progress = Callable[[int, int, str], None]


class RowError(NamedTuple):
    line: int
    field: str
    message: str


@dataclass
class ImportReport:
    rows: int
    created: int = 0
    errors: list[RowError] = field(default_factory=list)
    # Registered persons the errors name as possible duplicates: whoever is shown the report reads them.
    named: list[int] = field(default_factory=list)

    @property
    def saved(self) -> bool:
        return not self.errors and self.created > 0


@dataclass
class _Row:
    line: int
    values: dict[str, Any]
    errors: list[RowError] = field(default_factory=list)
    named: set[int] = field(default_factory=set)

    def error(self, name: str, message: str) -> None:
        self.errors.append(RowError(self.line, name, str(message)))


def _no_progress(done: int, total: int, message: str = "") -> None:
    return None


def _read(text: str) -> tuple[list[RowError], list[dict[str, str]], list[int]]:
    text = text.lstrip("\ufeff")
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    header = [name.strip().lower() for name in next(reader, [])]
    errors = []
    if not any(header):
        return [RowError(1, "", _("The file is empty: its first line must name the columns."))], [], []
    for name in header:
        if name not in COLUMNS:
            errors.append(RowError(1, name, _("Unknown column. The columns are: %(columns)s.") % {
                "columns": ", ".join(COLUMNS)}))
    for name in REQUIRED_COLUMNS:
        if name not in header:
            errors.append(RowError(1, name, _("This column is missing.")))
    if len(set(header)) != len(header):
        errors.append(RowError(1, "", _("A column is named twice.")))
    records, lines = [], []
    for cells in reader:
        if not any(cell.strip() for cell in cells):
            continue
        if len(cells) != len(header):
            errors.append(RowError(reader.line_num, "", _("This row has %(cells)s cells; the first line names %(columns)s.")
                                   % {"cells": len(cells), "columns": len(header)}))
            continue
        records.append({name: cell.strip() for name, cell in zip(header, cells, strict=True)})
        lines.append(reader.line_num)
        if len(records) > MAX_ROWS:
            errors.append(RowError(reader.line_num, "", _("A file may hold at most %(max)s rows; split it.") % {
                "max": MAX_ROWS}))
            break
    if not records and not errors:
        errors.append(RowError(1, "", _("The file has no rows under its first line.")))
    return errors, records, lines


def _parse(record: dict[str, str], line: int, regions: dict[str, Region], countries: dict[str, Country]) -> _Row:
    row = _Row(line, {})
    values = row.values
    for name in ("last_name", "first_name", "patronymic", "last_name_latin", "first_name_latin", "iin"):
        values[name] = record.get(name, "")
    raw_birth = record.get("birth_date", "")
    values["birth_date"] = None
    if raw_birth:
        try:
            values["birth_date"] = date.fromisoformat(raw_birth)
        except ValueError:
            row.error("birth_date", _("Write the date as YYYY-MM-DD, for example 1985-03-21."))
    sex = record.get("sex", "").upper()
    values["sex"] = sex
    if sex not in ("M", "F"):
        row.error("sex", _("Write M (male) or F (female)."))
    code = record.get("citizenship", "").upper()
    values["citizenship"] = countries.get(code) if code else None
    if code and values["citizenship"] is None:
        row.error("citizenship", _("Unknown country code: write the two-letter ISO code, for example KZ."))
    code = record.get("region", "").upper()
    values["region"] = regions.get(code) if code else None
    if code and values["region"] is None:
        row.error("region", _("Unknown region code: write the ISO 3166-2 code, for example KZ-55."))
    flag = record.get("confirmed_new", "")
    values["confirmed_new"] = flag == "1"
    if flag not in ("", "0", "1"):
        row.error("confirmed_new", _("Write 1 to confirm a new person despite similar records, or 0."))
    return row


def _batches(rows: list[_Row]) -> list[list[_Row]]:
    """Rows in batches of about BATCH_ROWS, never separating two rows with the same date of birth."""
    by_birth: dict[date | None, list[_Row]] = {}
    for row in rows:
        by_birth.setdefault(row.values["birth_date"], []).append(row)
    batches: list[list[_Row]] = [[]]
    for birth in sorted(by_birth, key=lambda d: (d is None, d or date.min)):
        if batches[-1] and len(batches[-1]) + len(by_birth[birth]) > BATCH_ROWS:
            batches.append([])
        batches[-1].extend(by_birth[birth])
    return [b for b in batches if b]


def _duplicate_message(exc: PossibleDuplicates, lines_by_pk: dict[int, int]) -> str:
    parts = []
    for candidate in exc.candidates:
        person = candidate.person
        if person.pk in lines_by_pk:
            parts.append(_("the person on line %(line)s of this file") % {"line": lines_by_pk[person.pk]})
        else:
            parts.append(_("%(name)s, born %(birth)s (record %(id)s)") % {
                "name": person.full_name, "birth": person.birth_date.isoformat(), "id": person.pk})
    if exc.hidden:
        parts.append(ngettext("%(count)s record in a region you may not see",
                              "%(count)s records in regions you may not see", exc.hidden) % {"count": exc.hidden})
    return _("This person may already be registered: %(candidates)s. If this is a different person, "
             "write 1 in the confirmed_new column.") % {"candidates": "; ".join(parts)}


def _register(rows: list[_Row], *, by, today: date, lines_by_pk: dict[int, int]) -> int:
    """person_create for each row, in the caller's transaction; problems are noted on the rows."""
    created = 0
    for row in rows:
        values = dict(row.values)
        confirmed_new = values.pop("confirmed_new")
        parsed_fields = {e.field for e in row.errors}
        try:
            person = person_create(**values, confirmed_new=confirmed_new, by=by, today=today)
        except ValidationError as exc:
            for name, messages in exc.message_dict.items():
                name = "" if name == NON_FIELD_ERRORS else name
                if name not in parsed_fields:  # a bad value already reported says more than "required"
                    for message in messages:
                        row.error(name, message)
        except PossibleDuplicates as exc:
            for name, messages in exc.errors.items():
                for message in messages:
                    row.error(name, message)
            if not exc.errors:
                row.error(DUPLICATE_FIELD, _duplicate_message(exc, lines_by_pk))
                row.named.update(c.person.pk for c in exc.candidates if c.person.pk not in lines_by_pk)
        else:
            if not row.errors:
                lines_by_pk[person.pk] = row.line
                created += 1
    return created


def _named(rows: list[_Row]) -> list[int]:
    return sorted({pk for row in rows for pk in row.named})


def person_import_csv(*, text: str, by, progress: Progress | None = None, today: date | None = None) -> ImportReport:
    """Register the persons of a CSV file (the columns of `COLUMNS`, header first, UTF-8, comma or
    semicolon), all of them or, if any row is bad, none; the report lists every problem with its line."""
    require(by, Perm.PEOPLE_IMPORT)
    require(by, Perm.PEOPLE_CHANGE)
    progress = progress or _no_progress
    today = today or timezone.localdate()
    errors, records, lines = _read(text)
    if errors:
        return ImportReport(rows=len(records), errors=sorted(errors))
    regions = {r.code.upper(): r for r in Region.objects.filter(code__in={r.get("region", "").upper() for r in records})}
    countries = {c.alpha2: c for c in Country.objects.filter(alpha2__in={r.get("citizenship", "").upper() for r in records})}
    rows = [_parse(record, line, regions, countries) for record, line in zip(records, lines, strict=True)]
    total, checked = len(rows), 0
    progress(0, 2 * total, _("Checking %(total)s rows") % {"total": total})
    batches = _batches(rows)
    for batch in batches:
        with transaction.atomic():
            _register(batch, by=by, today=today, lines_by_pk={})
            transaction.set_rollback(True)
        checked += len(batch)
        progress(checked, 2 * total, _("Checked %(done)s of %(total)s rows") % {"done": checked, "total": total})
    errors = sorted(e for row in rows for e in row.errors)
    if errors:
        progress(2 * total, 2 * total, _("Nothing was saved: the file has problems"))
        return ImportReport(rows=total, errors=errors, named=_named(rows))
    progress(total, 2 * total, _("Saving %(total)s persons") % {"total": total})
    with transaction.atomic():
        lines_by_pk: dict[int, int] = {}
        created = sum(_register(batch, by=by, today=today, lines_by_pk=lines_by_pk) for batch in batches)
        errors = sorted(e for row in rows for e in row.errors)
        if errors:  # the registry changed since the check: still all or nothing
            transaction.set_rollback(True)
            return ImportReport(rows=total, errors=errors, named=_named(rows))
        audit_record(by=by, action="people.person.import", object_type="people.person",
                     after={"rows": total, "created": created})
    progress(2 * total, 2 * total, _("Saved %(total)s persons") % {"total": created})
    return ImportReport(rows=total, created=created)


def person_import_job(*, by, progress: Progress, text: str) -> dict[str, Any]:
    """The long-job handler behind the import page (see koshiqon.jobs.kinds)."""
    report = person_import_csv(text=text, by=by, progress=progress)
    if report.saved:
        summary = ngettext("%(count)s person was registered.", "%(count)s persons were registered.",
                           report.created) % {"count": report.created}
    else:
        summary = ngettext("Nothing was saved: %(count)s problem was found in the file.",
                           "Nothing was saved: %(count)s problems were found in the file.",
                           len(report.errors)) % {"count": len(report.errors)}
    return {
        "rows": report.rows, "created": report.created, "saved": report.saved,
        "errors": [list(e) for e in report.errors], "summary": summary, "named_persons": report.named,
    }
