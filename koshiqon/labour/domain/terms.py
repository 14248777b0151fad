"""Terms of work permits: deadlines, validity, extensions, seasonal fees, household labour migrants.

All numbers come from `policy_data` (domain.md §4, mostly M):
- the permit decision is due within 7 working days of the application, an extension decision within 3;
- a permit is valid 12 months; category 1 up to 3 years; ICT up to 3 years plus one 1-year extension;
- an extension is requested from 60 to 30 days before expiry, both days included (61 days before is too
  early, 29 too late); categories 2-3 are extendable at most 3 times;
- seasonal workers (from 2021) pay 12/24/36/48 MCI for a permit of up to 90/180/270/365 days;
- household labour migrants (from 2014): permits of 1 to 12 months, at most 5 per private employer, advance
  income tax per month in MCI (2 in 2014, 4 in 2025-2026; other years must be configured).

Working days come from a calendar passed in (koshiqon.core.domain.calendar.WorkCalendar or anything with
`add_working_days`), so these rules need no database.
"""

from calendar import monthrange
from datetime import date, timedelta
from typing import Protocol

from koshiqon.labour.domain import policy_data as P
from koshiqon.labour.domain.policy_data import DatedFact


class Calendar(Protocol):
    def add_working_days(self, d: date, n: int) -> date: ...


def decision_due(applied_on: date, calendar: Calendar) -> date:
    """The last day to decide an application received on `applied_on` (the term starts the next day)."""
    return calendar.add_working_days(applied_on, P.DECISION_WORKING_DAYS.value)


def extension_decision_due(requested_on: date, calendar: Calendar) -> date:
    """The last day to decide an extension requested on `requested_on`."""
    return calendar.add_working_days(requested_on, P.EXTENSION_DECISION_WORKING_DAYS.value)


def max_validity_months(category: str, *, ict: bool = False) -> int:
    """The longest first term of a permit: 36 months for ICT and category 1, else 12."""
    if ict:
        return P.ICT_MAX_MONTHS.value
    if category == "1":
        return P.CATEGORY_1_MAX_MONTHS.value
    return P.STANDARD_VALIDITY_MONTHS.value


def valid_until(issued_on: date, months: int) -> date:
    """The last day of a permit of `months` issued on `issued_on`, the day of issue included (12 months from
    1 Mar 2027 ends on 29 Feb 2028; a day missing in the target month moves to its last day)."""
    if months < 1:
        raise ValueError("a permit lasts at least one month")
    total = issued_on.month - 1 + months
    year, month = issued_on.year + total // 12, total % 12 + 1
    return date(year, month, min(issued_on.day, monthrange(year, month)[1])) - timedelta(days=1)


def permit_valid_until(issued_on: date, category: str, *, ict: bool = False, months: int | None = None) -> date:
    """The last day of a permit asked for `months` (default: the longest allowed); ValueError beyond it."""
    longest = max_validity_months(category, ict=ict)
    months = longest if months is None else months
    if months > longest:
        raise ValueError(f"a permit of category {category} lasts at most {longest} months")
    return valid_until(issued_on, months)


def extension_window(expires_on: date) -> tuple[date, date]:
    """The first and last day on which an extension may be requested (both included)."""
    earliest, latest = P.EXTENSION_WINDOW_DAYS.value
    return expires_on - timedelta(days=earliest), expires_on - timedelta(days=latest)


def in_extension_window(requested_on: date, expires_on: date) -> bool:
    opens, closes = extension_window(expires_on)
    return opens <= requested_on <= closes


def max_extensions(category: str, *, ict: bool = False) -> int | None:
    """How many times a permit may be extended: ICT once, categories 2-3 three times; None where the sources
    set no limit (categories 1 and 4, L)."""
    if ict:
        return P.ICT_MAX_EXTENSIONS.value
    return P.MAX_EXTENSIONS.value.get(category)


def may_extend(category: str, extensions_so_far: int, *, ict: bool = False) -> bool:
    limit = max_extensions(category, ict=ict)
    return limit is None or extensions_so_far < limit


def extension_months(category: str, *, ict: bool = False) -> int:
    """The term of one extension: an ICT's single extension is 1 year; others the standard 12 months."""
    return P.ICT_EXTENSION_MONTHS.value if ict else P.STANDARD_VALIDITY_MONTHS.value


def seasonal_fee_mci(days: int, on: date) -> int:
    """The fee in MCI for a seasonal worker's permit of `days` applied for on `on` (scale from 2021)."""
    scale = P.SEASONAL_FEE_SCALE
    if not scale.covers(on):
        raise LookupError(f"no seasonal fee scale is known on {on.isoformat()}")
    if days < 1:
        raise ValueError("a seasonal permit lasts at least one day")
    for up_to, fee in scale.value:
        if days <= up_to:
            return fee
    raise ValueError(f"a seasonal permit lasts at most {scale.value[-1][0]} days")


def household_months_allowed(months: int) -> bool:
    """A household labour migrant's permit lasts 1 to 12 months."""
    shortest, longest = P.HOUSEHOLD_MONTHS.value
    return shortest <= months <= longest


def household_employer_may_hire(current_workers: int) -> bool:
    """A private employer with `current_workers` household migrants may take one more (the 6th is refused)."""
    return current_workers < P.HOUSEHOLD_MAX_PER_EMPLOYER.value


def _in_force(facts: tuple[DatedFact[int], ...], on: date, what: str) -> int:
    for fact in facts:
        if fact.covers(on):
            return fact.value
    raise LookupError(f"no {what} is known on {on.isoformat()}: configure it")


def household_advance_tax_mci(months: int, on: date) -> int:
    """The advance income tax in MCI for a household permit of `months` paid on `on` (per month times months)."""
    if not household_months_allowed(months):
        raise ValueError("a household permit lasts 1 to 12 months")
    return months * _in_force(P.HOUSEHOLD_ADVANCE_TAX_MCI, on, "household advance tax")
