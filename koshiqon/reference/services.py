"""Loading the reference data that Koshiqon ships as its own data files (`reference/data/*.csv`).

The files are the source of truth; `reference_load` makes the database match them. It is idempotent: a row is
found by its natural key (a region's ISO 3166-2 code, a country's alpha-2 code, an ISCO-08 code...), created
when missing, updated when it differs and left alone otherwise. Rows that nothing else points at (region names,
MCI values, day transfers) are also deleted when their file no longer has them; regions, countries,
occupations and education levels are never deleted, because case data refers to them.

Every file is read and checked before anything is written: a bad file raises `ReferenceDataError` listing
each bad row with its file and line, and the database is left as it was.
"""

import csv
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from django.db import models, transaction
from django.utils.translation import gettext as _

from koshiqon.core.audit import audit_record
from koshiqon.core.calendar import calendar_reset
from koshiqon.core.datafiles import DataFilesError
from koshiqon.core.models import DayTransfer, MciRate
from koshiqon.core.money import money_reset
from koshiqon.reference.models import Country, EducationLevel, Occupation, Region, RegionName

DATA_DIR = Path(__file__).resolve().parent / "data"
LANGUAGES = ("kk", "ru", "en")
NAME_COLUMNS = tuple(f"name_{lang}" for lang in LANGUAGES)
CONFIDENCES = ("H", "M", "L")
NAME_MAX_LENGTH = 300


class ReferenceDataError(DataFilesError):
    """The reference data files (regions, countries, occupations, MCI, transfers) have errors."""


@dataclass
class ReferenceData:
    """The data files, parsed and checked: one list of field values per table, keyed like the models."""

    regions: list[dict[str, Any]] = field(default_factory=list)
    region_names: list[dict[str, Any]] = field(default_factory=list)  # region given by "region_code"
    countries: list[dict[str, Any]] = field(default_factory=list)
    occupations: list[dict[str, Any]] = field(default_factory=list)  # parent given by "parent_code"
    education_levels: list[dict[str, Any]] = field(default_factory=list)
    mci_rates: list[dict[str, Any]] = field(default_factory=list)
    day_transfers: list[dict[str, Any]] = field(default_factory=list)


class _File:
    """Reads one CSV file and collects what is wrong with it, row by row."""

    def __init__(self, data_dir: Path, name: str, columns: Iterable[str], problems: list[str]):
        self.name, self.problems, self.line = name, problems, 1
        self.rows: list[tuple[int, dict[str, str]]] = []
        path = data_dir / name
        if not path.exists():
            self.fail(_("file not found"))
            return
        with path.open(encoding="utf-8", newline="") as handle:
            reader = csv.DictReader(handle)
            missing = [c for c in columns if c not in (reader.fieldnames or [])]
            for column in missing:
                self.fail(_("missing column %(column)s") % {"column": column})
            if missing:
                return
            for row in reader:
                self.rows.append((reader.line_num, {k: (v or "").strip() for k, v in row.items() if k}))

    def __iter__(self):
        for line, row in self.rows:
            self.line = line
            yield row

    def fail(self, reason: str) -> None:
        self.problems.append(f"{self.name} line {self.line}: {reason}")

    def text(
        self, row: dict[str, str], column: str, pattern: str | None = None, required: bool = True
    ) -> str:
        value = row[column]
        if required and not value:
            self.fail(_("empty %(column)s") % {"column": column})
        elif value and pattern and not re.fullmatch(pattern, value):
            self.fail(_("bad %(column)s: %(value)s") % {"column": column, "value": value})
        elif len(value) > NAME_MAX_LENGTH:
            self.fail(
                _("%(column)s is longer than %(max)d characters") % {"column": column, "max": NAME_MAX_LENGTH}
            )
        return value

    def day(self, row: dict[str, str], column: str, required: bool = False) -> date | None:
        value = row[column]
        if not value:
            if required:
                self.fail(_("empty %(column)s") % {"column": column})
            return None
        try:
            return date.fromisoformat(value)
        except ValueError:
            self.fail(
                _("not a date (YYYY-MM-DD) in %(column)s: %(value)s") % {"column": column, "value": value}
            )
            return None

    def names(self, row: dict[str, str]) -> dict[str, str]:
        return {column: self.text(row, column) for column in NAME_COLUMNS}

    def unique(self, seen: set, column: str, value: Any) -> None:
        if value in seen:
            self.fail(_("duplicate %(column)s: %(value)s") % {"column": column, "value": value})
        seen.add(value)

    def period(self, start: date | None, end: date | None) -> None:
        if start and end and end < start:
            self.fail(_("valid_to %(end)s is before valid_from %(start)s") % {"end": end, "start": start})


def _read_regions(data_dir: Path, problems: list[str], out: ReferenceData) -> None:
    file, seen = (
        _File(data_dir, "regions.csv", ["code", "kato", "kind", "valid_from", "valid_to"], problems),
        set(),
    )
    for row in file:
        code = file.text(row, "code", r"KZ-\d\d")
        file.unique(seen, "code", code)
        kind = file.text(row, "kind", r"region|city")
        start, end = file.day(row, "valid_from"), file.day(row, "valid_to")
        file.period(start, end)
        kato = file.text(row, "kato", r"\d\d", required=False)
        out.regions.append({"code": code, "kato": kato, "kind": kind, "valid_from": start, "valid_to": end})

    columns = ["region_code", "valid_from", "valid_to", *NAME_COLUMNS, "legal_basis"]
    region_codes = set(seen)
    file, seen = _File(data_dir, "region_names.csv", columns, problems), set()
    periods: dict[str, list[tuple[date | None, date | None, int]]] = {}
    for row in file:
        code = file.text(row, "region_code")
        if code and code not in region_codes:
            file.fail(_("unknown region_code: %(value)s") % {"value": code})
        start, end = file.day(row, "valid_from"), file.day(row, "valid_to")
        file.period(start, end)
        file.unique(seen, "region_code+valid_from", (code, start))
        periods.setdefault(code, []).append((start, end, file.line))
        legal_basis = file.text(row, "legal_basis", required=False)
        out.region_names.append(
            {
                "region_code": code,
                "valid_from": start,
                "valid_to": end,
                "legal_basis": legal_basis,
                **file.names(row),
            }
        )
    for region in out.regions:
        for line, reason in name_period_problems(
            region["valid_from"], region["valid_to"], periods.get(region["code"], [])
        ):
            file.line = line
            file.fail(f"{region['code']}: {reason}")


def name_period_problems(
    region_from: date | None, region_to: date | None, names: list[tuple[date | None, date | None, int]]
) -> list[tuple[int, str]]:
    """A region has exactly one name on every day it exists: its names' periods follow one another without gap
    or overlap, and together cover the region's own period."""
    if not names:
        return [(1, _("no name"))]
    ordered = sorted(names, key=lambda n: (n[0] is not None, n[0] or date.min))
    found = []
    first, last = ordered[0], ordered[-1]
    if first[0] != region_from:
        found.append(
            (
                first[2],
                _("the first name must start when the region does (%(start)s)") % {"start": region_from},
            )
        )
    if last[1] != region_to:
        found.append(
            (last[2], _("the last name must end when the region does (%(end)s)") % {"end": region_to})
        )
    for before, after in zip(ordered, ordered[1:], strict=False):
        if before[1] is None or after[0] is None or before[1] + timedelta(days=1) != after[0]:
            found.append((after[2], _("this name must start the day after the previous one ends")))
    return found


def _read_countries(data_dir: Path, problems: list[str], out: ReferenceData) -> None:
    columns = ["alpha2", "alpha3", "numeric", *NAME_COLUMNS, "eaeu_member_since"]
    file = _File(data_dir, "countries.csv", columns, problems)
    seen: dict[str, set] = {"alpha2": set(), "alpha3": set(), "numeric": set()}
    for row in file:
        values = {}
        for column, pattern in (("alpha2", r"[A-Z]{2}"), ("alpha3", r"[A-Z]{3}"), ("numeric", r"\d{3}")):
            values[column] = file.text(row, column, pattern)
            file.unique(seen[column], column, values[column])
        values["eaeu_member_since"] = file.day(row, "eaeu_member_since")
        out.countries.append({**values, **file.names(row)})


def _read_occupations(data_dir: Path, problems: list[str], out: ReferenceData) -> None:
    file, seen = (
        _File(data_dir, "occupations.csv", ["code", "level", "parent_code", *NAME_COLUMNS], problems),
        set(),
    )
    parents: list[tuple[int, str]] = []
    for row in file:
        code = file.text(row, "code", r"\d{1,4}")
        file.unique(seen, "code", code)
        parent = file.text(row, "parent_code", r"\d{1,3}", required=False)
        if row["level"] != str(len(code)):
            file.fail(_("level must be the number of digits of the code (%(code)s)") % {"code": code})
        if parent != code[:-1]:
            file.fail(
                _("parent_code of %(code)s must be %(parent)s") % {"code": code, "parent": code[:-1] or "''"}
            )
        elif parent:
            parents.append((file.line, parent))
        out.occupations.append({"code": code, "level": len(code), "parent_code": parent, **file.names(row)})
    for line, parent in parents:
        file.line = line
        if parent not in seen:
            file.fail(_("unknown parent_code: %(value)s") % {"value": parent})


def _read_small_tables(data_dir: Path, problems: list[str], out: ReferenceData) -> None:
    file, seen = _File(data_dir, "education_levels.csv", ["code", *NAME_COLUMNS], problems), set()
    for row in file:
        code = file.text(row, "code", r"\d")
        file.unique(seen, "code", code)
        out.education_levels.append({"code": code, **file.names(row)})

    file, seen = (
        _File(data_dir, "mci.csv", ["valid_from", "tenge", "confidence", "legal_basis"], problems),
        set(),
    )
    for row in file:
        start = file.day(row, "valid_from", required=True)
        file.unique(seen, "valid_from", start)
        tenge = file.text(row, "tenge", r"[1-9]\d*")
        out.mci_rates.append(
            {
                "valid_from": start,
                "tenge": int(tenge) if tenge.isdigit() else 0,
                "confidence": file.text(row, "confidence", "|".join(CONFIDENCES)),
                "legal_basis": file.text(row, "legal_basis"),
            }
        )

    columns = ["working_day", "day_off", "confidence", "legal_basis"]
    file, worked, rested = _File(data_dir, "day_transfers.csv", columns, problems), set(), set()
    for row in file:
        working, off = file.day(row, "working_day", required=True), file.day(row, "day_off", required=True)
        file.unique(worked, "working_day", working)
        file.unique(rested, "day_off", off)
        if working and working == off:
            file.fail(_("working_day and day_off are the same day"))
        out.day_transfers.append(
            {
                "working_day": working,
                "day_off": off,
                "confidence": file.text(row, "confidence", "|".join(CONFIDENCES)),
                "legal_basis": file.text(row, "legal_basis"),
            }
        )


def reference_read(*, data_dir: Path = DATA_DIR) -> ReferenceData:
    """Parse and check every data file; raise `ReferenceDataError` with all problems found."""
    problems: list[str] = []
    out = ReferenceData()
    for reader in (_read_regions, _read_countries, _read_occupations, _read_small_tables):
        reader(data_dir, problems, out)
    if problems:
        raise ReferenceDataError(problems)
    return out


@dataclass
class _Changes:
    created: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)
    deleted: dict[str, int] = field(default_factory=dict)

    def sync(
        self,
        label: str,
        model: type[models.Model],
        rows: list[dict[str, Any]],
        key: Callable[[Any], tuple],
        *,
        delete_missing: bool,
    ) -> None:
        """Make `model`'s table hold `rows`, matching rows to records by `key` (which reads a dict or a record)."""
        existing = {key(obj): obj for obj in model.objects.all()}
        to_create, to_update, changed_fields = [], [], set()
        for values in rows:
            obj = existing.pop(key(values), None)
            if obj is None:
                to_create.append(model(**values))
                continue
            changed = [name for name, value in values.items() if getattr(obj, name) != value]
            for name in changed:
                setattr(obj, name, values[name])
            if changed:
                to_update.append(obj)
                changed_fields.update(changed)
        # Deletions first, then updates, then inserts, so that a value a row gives up (a unique day off, say)
        # is free before another row takes it.
        deleted = 0
        if delete_missing and existing:
            deleted = model.objects.filter(pk__in=[obj.pk for obj in existing.values()]).delete()[0]
        if to_update:
            model.objects.bulk_update(to_update, sorted(changed_fields), batch_size=500)
        model.objects.bulk_create(to_create, batch_size=500)
        for counter, number in (
            (self.created, len(to_create)),
            (self.updated, len(to_update)),
            (self.deleted, deleted),
        ):
            counter[label] = counter.get(label, 0) + number


def _field(name: str) -> Callable[[Any], tuple]:
    return lambda item: (item[name] if isinstance(item, dict) else getattr(item, name),)


def _fields(*names: str) -> Callable[[Any], tuple]:
    return lambda item: tuple(item[n] if isinstance(item, dict) else getattr(item, n) for n in names)


@transaction.atomic
def reference_load(*, by, data_dir: Path = DATA_DIR) -> dict[str, int]:
    """Load (or refresh) every reference table from the data files, in one transaction, with one audit event.

    Returns the number of rows in each table afterwards. Running it again changes nothing and returns the same
    counts; editing a file and running it again updates the changed rows only.
    """
    data = reference_read(data_dir=data_dir)
    changes = _Changes()

    changes.sync("regions", Region, data.regions, _field("code"), delete_missing=False)
    region_ids = dict(Region.objects.values_list("code", "id"))
    names = [
        {**{k: v for k, v in n.items() if k != "region_code"}, "region_id": region_ids[n["region_code"]]}
        for n in data.region_names
    ]
    changes.sync("region_names", RegionName, names, _fields("region_id", "valid_from"), delete_missing=True)

    changes.sync("countries", Country, data.countries, _field("alpha2"), delete_missing=False)

    # Occupations point at their parent group, so they go in level by level: each level's parents exist by then.
    for level in sorted({o["level"] for o in data.occupations}):
        parent_ids = dict(Occupation.objects.values_list("code", "id"))
        rows = [
            {
                **{k: v for k, v in o.items() if k != "parent_code"},
                "parent_id": parent_ids.get(o["parent_code"]),
            }
            for o in data.occupations
            if o["level"] == level
        ]
        changes.sync("occupations", Occupation, rows, _field("code"), delete_missing=False)

    changes.sync(
        "education_levels", EducationLevel, data.education_levels, _field("code"), delete_missing=False
    )
    changes.sync("mci_rates", MciRate, data.mci_rates, _field("valid_from"), delete_missing=True)
    changes.sync("day_transfers", DayTransfer, data.day_transfers, _field("working_day"), delete_missing=True)

    counts = {
        "regions": Region.objects.count(),
        "region_names": RegionName.objects.count(),
        "countries": Country.objects.count(),
        "occupations": Occupation.objects.count(),
        "education_levels": EducationLevel.objects.count(),
        "mci_rates": MciRate.objects.count(),
        "day_transfers": DayTransfer.objects.count(),
    }
    audit_record(
        by=by,
        action="reference.load",
        object_type="reference.dataset",
        object_id="reference",
        after={
            "counts": counts,
            "created": changes.created,
            "updated": changes.updated,
            "deleted": changes.deleted,
        },
        reason="Reference data loaded from the project's data files",
    )
    # The calendar and the MCI table are cached per process; drop them once the new rows are committed.
    transaction.on_commit(calendar_reset)
    transaction.on_commit(money_reset)
    return counts
