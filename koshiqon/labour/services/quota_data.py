"""Loading the shipped labour data: the labour force by region and the 2009 and 2026 foreign-labour quotas
with their acts (`labour/data/`, see SOURCES.md), through the same checks as a quota set on the page.

Idempotent, and it never overwrites: a labour-force figure or a quota already stored is kept as it is (places
may have moved between regions since, and an adopted quota's figures are history); only what is missing is
created. Every file is read and checked first; a bad file raises LabourDataError naming each problem.
"""

import csv
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from koshiqon.core.audit import audit_record
from koshiqon.core.datafiles import DataFilesError
from koshiqon.core.domain.permissions import Perm
from koshiqon.core.permissions import require
from koshiqon.labour.domain.quota import TOTAL, QuotaRow, parse_quota_rows
from koshiqon.labour.domain.quota_split import Component, quota_categories
from koshiqon.labour.models import LabourForce, LabourQuota
from koshiqon.labour.selectors.quota import region_exists_in
from koshiqon.labour.services.quota import CONFIDENCES, quota_create_checked
from koshiqon.reference.models import Region

DATA_DIR = Path(__file__).resolve().parent.parent / "data"


class LabourDataError(DataFilesError):
    """The labour data files (labour force, quota acts, quotas) have errors."""


@dataclass
class LabourData:
    labour_force: dict[int, dict[str, tuple[int, str]]] = field(default_factory=dict)  # year: code: (persons, source)
    acts: dict[int, dict[str, Any]] = field(default_factory=dict)
    quotas: dict[int, dict[str, QuotaRow]] = field(default_factory=dict)


def _rows(path: Path, columns: list[str], problems: list[str]) -> list[dict[str, Any]]:
    if not path.exists():
        problems.append(f"{path.name}: " + _("file not found"))
        return []
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        missing = [c for c in columns if c not in (reader.fieldnames or [])]
        if missing:
            problems.append(f"{path.name}: " + _("missing column %(column)s") % {"column": ", ".join(missing)})
            return []
        return [{"_line": reader.line_num, **{k: (v or "").strip() for k, v in row.items() if k}} for row in reader]


def _read_force(data_dir: Path, problems: list[str], out: LabourData) -> None:
    for row in _rows(data_dir / "labour_force.csv", ["year", "region", "persons", "confidence", "source"], problems):
        where = f"labour_force.csv line {row['_line']}: "
        if not (row["year"].isdigit() and row["persons"].isdigit()):
            problems.append(where + _("year and persons must be whole numbers"))
            continue
        year_rows = out.labour_force.setdefault(int(row["year"]), {})
        if row["region"] in year_rows:
            problems.append(where + _("a second row for %(region)s") % {"region": row["region"]})
        year_rows[row["region"]] = (int(row["persons"]), f"{row['source']} ({row['confidence']})")


def _read_acts(data_dir: Path, problems: list[str], out: LabourData) -> None:
    columns = ["year", "legal_act", "legal_number", "legal_date", "confidence"]
    for row in _rows(data_dir / "quota_acts.csv", columns, problems):
        where = f"quota_acts.csv line {row['_line']}: "
        try:
            legal_date = date.fromisoformat(row["legal_date"]) if row["legal_date"] else None
        except ValueError:
            problems.append(where + _("not a date (YYYY-MM-DD) in %(column)s: %(value)s")
                            % {"column": "legal_date", "value": row["legal_date"]})
            continue
        if not row["year"].isdigit() or not row["legal_act"] or row["confidence"] not in CONFIDENCES:
            problems.append(where + _("a year, an act and a confidence mark (H, M or L) are needed"))
            continue
        out.acts[int(row["year"])] = {"legal_act": row["legal_act"], "legal_number": row["legal_number"],
                                      "legal_date": legal_date, "confidence": row["confidence"]}


def _read_quotas(data_dir: Path, problems: list[str], out: LabourData) -> None:
    try:
        rows = parse_quota_rows((data_dir / "quotas.csv").read_text(encoding="utf-8"))
    except (OSError, ValueError, KeyError) as exc:
        problems.append(f"quotas.csv: {exc}")
        return
    for row in rows:
        out.quotas.setdefault(row.year, {})[row.component] = row
    for year, components in out.quotas.items():
        try:
            expected = set(quota_categories(year))
        except LookupError:
            problems.append("quotas.csv: " + _("no categories are known for %(year)s") % {"year": year})
            continue
        given = set(components) - {TOTAL}
        if given != expected:
            problems.append("quotas.csv: " + _("%(year)s needs the components %(expected)s, not %(given)s")
                            % {"year": year, "expected": ", ".join(sorted(expected)), "given": ", ".join(sorted(given))})
        if year not in out.acts:
            problems.append("quota_acts.csv: " + _("no act for %(year)s") % {"year": year})
        if year not in out.labour_force:
            problems.append("labour_force.csv: " + _("no labour force for %(year)s") % {"year": year})


def labour_data_read(*, data_dir: Path = DATA_DIR) -> LabourData:
    """Parse and check the labour data files; LabourDataError with every problem found."""
    problems: list[str] = []
    out = LabourData()
    _read_force(data_dir, problems, out)
    _read_acts(data_dir, problems, out)
    _read_quotas(data_dir, problems, out)
    if problems:
        raise LabourDataError(problems)
    return out


@transaction.atomic
def labour_data_load(*, by, data_dir: Path = DATA_DIR) -> dict[str, int]:
    """Load the labour force and the quotas of the data files (2009 and 2026), with their regional split,
    in one transaction with one audit event (and one per quota created). `by` is a user (who needs the right
    to set quotas) or a label such as "koshiqon setup"."""
    if getattr(by, "pk", None):
        require(by, Perm.LABOUR_QUOTA)
    data = labour_data_read(data_dir=data_dir)
    regions = {r.code: r for r in Region.objects.all()}
    problems = [
        "labour_force.csv: " + _("unknown region %(code)s: load the reference data first") % {"code": code}
        for code in sorted({c for rows in data.labour_force.values() for c in rows} - set(regions))
    ]
    for year, rows in sorted(data.labour_force.items()):
        problems += [f"labour_force.csv: {year} {code}: " + _("this region did not exist that year")
                     for code in sorted(rows) if code in regions and not region_exists_in(regions[code], year)]
    if problems:
        raise LabourDataError(problems)
    counts = dict.fromkeys(("labour_force_created", "quotas_created", "allocations_created"), 0)
    for year, rows in sorted(data.labour_force.items()):
        if LabourQuota.objects.filter(year=year).exists():
            continue
        stored = set(LabourForce.objects.filter(year=year).values_list("region__code", flat=True))
        for code, (persons, source) in sorted(rows.items()):
            if code not in stored:
                LabourForce.objects.create(year=year, region=regions[code], persons=persons, source=source[:300])
                counts["labour_force_created"] += 1
    for year, components in sorted(data.quotas.items()):
        if LabourQuota.objects.filter(year=year).exists():
            continue
        total = components.get(TOTAL)
        quota = quota_create_checked(
            year=year, share=total.share if total else None, **data.acts[year], by=by,
            components={c: Component(share=r.share, permits=r.permits) for c, r in components.items() if c != TOTAL},
        )
        counts["quotas_created"] += 1
        counts["allocations_created"] += quota.allocations.count()
    counts["quotas"] = LabourQuota.objects.count()
    audit_record(by=by, action="labour.data.load", object_type="labour.dataset", object_id="labour",
                 after=counts, reason="Labour force and foreign-labour quotas loaded from the data files")
    return counts
