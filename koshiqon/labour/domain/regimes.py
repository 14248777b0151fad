"""The regimes of the labour-market test and the permit categories, by date (domain.md §4).

Regimes of the labour-market test ("test of economic expediency"):

| code | from | to | the test |
|---|---|---|---|
| `advertise` | 2008-06-01 | 2012-03-11 | the job advertised, rejections of local applicants justified, an undertaking to replace the foreigner with a trained local |
| `notify` | 2012-03-12 | 2025-08-31 | the employment body notified |
| `exchange` | 2025-09-01 | | the vacancy posted on the national labour exchange at least 15 calendar days before the application, quoted by id; automatic checks against registers replace the commission |

Categories: 2007 to 2012-03-11 "1+2" (heads and specialists), "3" (skilled workers), "4-seasonal" (seasonal
agricultural workers); from 2012-03-12 "1" (heads and deputies), "2" (heads of structural units),
"3" (specialists), "4" (skilled workers), with seasonal workers and intra-corporate transfers (ICT) as separate
regimes. The citizen-share conditions on the employer exist from 2012 (domain.md §4); before, the regime
carries none.

ADR: the gap from 2012-01-01 to 2012-03-11.

- Context: the 2008 rules are described as "2008-2011" and the 2012 rules (under the Law "On Migration of the
  Population" No. 477-IV of 22 Jul 2011, in force 2012) took effect on 12 Mar 2012. An application dated in
  between must still be decided under some regime.
- Decision: the 2008 regime and the 2007 categories stay in force until 11 Mar 2012 inclusive. An act stays
  in force until the act replacing it takes effect; nothing in our sources says the old rules lapsed on
  31 Dec 2011, and refusing every application of those ten weeks would be the worse error.
- Consequences: `regime_on` and `categories_on` never return nothing between 2008-06-01 and today; the
  choice is marked L, and moving the boundary is one edit of the data below.
"""

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from koshiqon.labour.domain import policy_data
from koshiqon.labour.domain.policy_data import Confidence

GAP_END = date(2012, 3, 11)


class LabourTest(StrEnum):
    ADVERTISE = "advertise"
    NOTIFY = "notify"
    EXCHANGE = "exchange"


SEASONAL = "seasonal"
ICT = "ict"


@dataclass(frozen=True)
class Regime:
    """One regime of the labour-market test with the employer conditions that go with it.

    `citizen_share_min` maps a staff category to the minimum citizens' share (numerator, denominator) after
    the hire; `ict_share_max` is the cap of intra-corporate transferees relative to the citizens of the
    category (None: no ICT regime); `min_posting_days` applies to the exchange test only.
    """

    code: LabourTest
    valid_from: date
    valid_to: date | None
    legal_basis: str
    confidence: Confidence
    citizen_share_min: dict[str, tuple[int, int]] = field(default_factory=dict)
    ict_share_max: tuple[int, int] | None = None
    min_posting_days: int | None = None
    automatic_checks: bool = False

    def covers(self, d: date) -> bool:
        return self.valid_from <= d and (self.valid_to is None or d <= self.valid_to)


@dataclass(frozen=True)
class CategorySet:
    """The permit categories in force over a period, in their official order."""

    valid_from: date
    valid_to: date | None
    codes: tuple[str, ...]
    confidence: Confidence
    source: str

    def covers(self, d: date) -> bool:
        return self.valid_from <= d and (self.valid_to is None or d <= self.valid_to)


REGIMES: tuple[Regime, ...] = (
    Regime(
        LabourTest.ADVERTISE, date(2008, 6, 1), GAP_END,
        "Rules of issuing permits to employers, from 1 Jun 2008 (domain.md §4); extended to 11 Mar 2012 (L, ADR above)",
        "M",
    ),
    Regime(
        LabourTest.NOTIFY, date(2012, 3, 12), date(2025, 8, 31), policy_data.RULES_2012, "M",
        citizen_share_min=policy_data.CITIZEN_SHARE_MIN.value,
        ict_share_max=policy_data.ICT_SHARE_MAX.value,
    ),
    Regime(
        LabourTest.EXCHANGE, date(2025, 9, 1), None, policy_data.ORDER_2025, "M",
        citizen_share_min=policy_data.CITIZEN_SHARE_MIN.value,
        ict_share_max=policy_data.ICT_SHARE_MAX.value,
        min_posting_days=policy_data.MIN_POSTING_DAYS.value,
        automatic_checks=True,
    ),
)

CATEGORY_SETS: tuple[CategorySet, ...] = (
    CategorySet(date(2007, 1, 1), GAP_END, ("1+2", "3", "4-seasonal"), "H",
                "Quota decree of 2009 and the 2007-2011 rules (domain.md §4); to 11 Mar 2012 per the ADR above (L)"),
    CategorySet(date(2012, 3, 12), None, ("1", "2", "3", "4", SEASONAL, ICT), "M", policy_data.RULES_2012),
)


def regime_on(d: date) -> Regime:
    """The regime of the labour-market test in force on `d`; LookupError before 1 Jun 2008."""
    for regime in REGIMES:
        if regime.covers(d):
            return regime
    raise LookupError(f"no labour-market test regime is known on {d.isoformat()}")


def categories_on(d: date) -> tuple[str, ...]:
    """The permit categories in force on `d` (codes); LookupError before 2007."""
    for categories in CATEGORY_SETS:
        if categories.covers(d):
            return categories.codes
    raise LookupError(f"no permit categories are known on {d.isoformat()}")
