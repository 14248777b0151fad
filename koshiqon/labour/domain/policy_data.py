"""Policy values of the foreign-labour mechanism, as data with their confidence and source (domain.md §4).

Each value is a `Fact`: the value, its confidence mark (H: read in the official act; M: secondary source;
L: unverified, a configurable default) and where it comes from. Nothing in the rules modules repeats these
numbers: they read them from here, so a later session can move them into effective-dated PolicyVersions
without touching the rules.
"""

from dataclasses import dataclass
from datetime import date
from typing import Generic, Literal, TypeVar

T = TypeVar("T")
Confidence = Literal["H", "M", "L"]

DOMAIN_MD = "shared/domain.md §4"
ORDER_2025 = "Rules of issuing permits to employers, as amended from 1 Sep 2025 (M, news agencies via domain.md §4)"
RULES_2012 = "Gov. Decree No. 45 of 13 Jan 2012, in force 12 Mar 2012 (H/M via domain.md §4)"
TAX_CODE = "Tax Code, advance income tax of household labour migrants (M via domain.md §4)"


@dataclass(frozen=True)
class Fact(Generic[T]):
    """A policy value with its confidence mark and source."""

    value: T
    confidence: Confidence
    source: str


@dataclass(frozen=True)
class DatedFact(Generic[T]):
    """A policy value in force from `valid_from` to `valid_to` (inclusive; None: open-ended)."""

    valid_from: date
    valid_to: date | None
    value: T
    confidence: Confidence
    source: str

    def covers(self, d: date) -> bool:
        return self.valid_from <= d and (self.valid_to is None or d <= self.valid_to)


# The labour-market test of 2025: the vacancy is posted on the exchange at least this many calendar days
# before the application.
MIN_POSTING_DAYS = Fact(15, "M", ORDER_2025)

# Shares of Kazakhstan citizens among the employer's staff of a category, after the hire (from 2012).
CITIZEN_SHARE_MIN = Fact({"1": (70, 100), "2": (70, 100), "3": (90, 100), "4": (90, 100)}, "M", RULES_2012)
# Intra-corporate transferees at most this share of the Kazakhstani staff of the same category.
ICT_SHARE_MAX = Fact((50, 100), "M", RULES_2012)

DECISION_WORKING_DAYS = Fact(7, "M", DOMAIN_MD)
FEE_PAYMENT_WORKING_DAYS = Fact(10, "M", DOMAIN_MD)
EXTENSION_DECISION_WORKING_DAYS = Fact(3, "M", DOMAIN_MD)

# Permit validity in months.
STANDARD_VALIDITY_MONTHS = Fact(12, "M", DOMAIN_MD)
CATEGORY_1_MAX_MONTHS = Fact(36, "M", DOMAIN_MD)
ICT_MAX_MONTHS = Fact(36, "M", DOMAIN_MD)
ICT_EXTENSION_MONTHS = Fact(12, "M", DOMAIN_MD)
ICT_MAX_EXTENSIONS = Fact(1, "M", DOMAIN_MD)

# Extension requested from 60 to 30 days before expiry, both ends included.
EXTENSION_WINDOW_DAYS = Fact((60, 30), "M", DOMAIN_MD)
# Categories 2-3 are extendable at most 3 times. For categories 1 and 4 the sources name no limit (L: none).
MAX_EXTENSIONS = Fact({"2": 3, "3": 3}, "M", DOMAIN_MD)

# Seasonal workers, from 2021: the fee in MCI for a permit of up to N days.
SEASONAL_FEE_SCALE = DatedFact(
    date(2021, 1, 1), None, ((90, 12), (180, 24), (270, 36), (365, 48)), "M",
    "Tax Code, fee for seasonal foreign workers, from 2021 (M via domain.md §4)",
)

# Household labour migrants (from 2014): permits of 1 to 12 months, at most 5 per private employer.
HOUSEHOLD_MONTHS = Fact((1, 12), "M", DOMAIN_MD)
HOUSEHOLD_MAX_PER_EMPLOYER = Fact(5, "M", DOMAIN_MD)
# Advance income tax per month, in MCI. The years between are not in our sources: no value is invented
# for them (a lookup there fails and the value must be configured).
HOUSEHOLD_ADVANCE_TAX_MCI = (
    DatedFact(date(2014, 1, 1), date(2014, 12, 31), 2, "M", TAX_CODE),
    DatedFact(date(2025, 1, 1), date(2026, 12, 31), 4, "M", TAX_CODE),
)
