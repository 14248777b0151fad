"""The national foreign-labour quota of a year, by component (domain.md §4; data in labour/data/quotas.csv).

The quota is set each year as a share of the labour force (economically active population) and split by
component (the categories of the version in force, and seasonal workers). A component is given either as a
share of the labour force or directly as a number of permits (the 2026 order publishes permits). A share
becomes whole permits rounded down: a quota never admits more than its share.
"""

import csv
import io
from dataclasses import dataclass
from decimal import ROUND_FLOOR, Decimal
from pathlib import Path

from koshiqon.labour.domain.policy_data import Confidence

QUOTAS_CSV = Path(__file__).resolve().parents[1] / "data" / "quotas.csv"
TOTAL = "total"
_CONFIDENCES: tuple[Confidence, ...] = ("H", "M", "L")


@dataclass(frozen=True)
class QuotaRow:
    """One component of a year's quota: a share of the labour force or a number of permits, never both."""

    year: int
    component: str
    share: Decimal | None
    permits: int | None
    confidence: Confidence
    source: str

    def __post_init__(self) -> None:
        if (self.share is None) == (self.permits is None):
            raise ValueError(f"{self.year} {self.component}: give a share or a number of permits, not both")
        if self.share is not None and not Decimal(0) <= self.share <= Decimal(1):
            raise ValueError(f"{self.year} {self.component}: a share is between 0 and 1")
        if self.permits is not None and self.permits < 0:
            raise ValueError(f"{self.year} {self.component}: permits cannot be negative")


def _confidence(value: str) -> Confidence:
    for mark in _CONFIDENCES:
        if value == mark:
            return mark
    raise ValueError(f"unknown confidence mark {value!r}")


def parse_quota_rows(text: str) -> tuple[QuotaRow, ...]:
    """Rows of a quotas CSV (year, component, share, permits, confidence, source)."""
    rows = []
    for record in csv.DictReader(io.StringIO(text)):
        rows.append(QuotaRow(
            year=int(record["year"]), component=record["component"].strip(),
            share=Decimal(record["share"]) if record["share"].strip() else None,
            permits=int(record["permits"]) if record["permits"].strip() else None,
            confidence=_confidence(record["confidence"].strip()), source=record["source"].strip(),
        ))
    return tuple(rows)


def shipped_quota_rows() -> tuple[QuotaRow, ...]:
    """The quotas shipped with Koshiqon (2009 and 2026)."""
    return parse_quota_rows(QUOTAS_CSV.read_text(encoding="utf-8"))


def quota_for_year(rows: tuple[QuotaRow, ...], year: int, labour_force: int) -> dict[str, int]:
    """Permits by component for `year` given its `labour_force`, in the order of the rows; "total" is the
    quota's overall size. LookupError when the year has no rows."""
    if labour_force < 0:
        raise ValueError("the labour force cannot be negative")
    quota: dict[str, int] = {}
    for row in rows:
        if row.year != year:
            continue
        if row.component in quota:
            raise ValueError(f"{year}: component {row.component} given twice")
        if row.share is not None:
            quota[row.component] = int((row.share * labour_force).to_integral_value(rounding=ROUND_FLOOR))
        else:
            assert row.permits is not None
            quota[row.component] = row.permits
    if not quota:
        raise LookupError(f"no quota is known for {year}")
    return quota
