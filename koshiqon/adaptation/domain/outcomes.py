"""Outcomes of a family's adaptation: employment of each working-age member 3, 6 and 12 months after arrival,
and whether they still live in the settlement region 12 months after it.

Rules (domain.md §3, outcomes worth tracking, M):
- An outcome is recorded per working-age member at the checkpoint 3, 6 or 12 months after the arrival
  date (a date in a month that lacks it, such as 31 May + 3 months, falls on the month's last day).
- It can be recorded only once the checkpoint is reached: employment "at 6 months" cannot be known earlier.
- Working age: from 16 (Labour Code of 2015, Art. 31: an employment contract from 16, H) up to the pension
  age, 63 for men and 61 for women (Social Code of 2023, Art. 207: women's age is held at 61 until 2028, M).
  Both are parameters, so that a later change of the pension age is one argument.
- Employment is yes, no or unknown (the family could not be reached); the employer's sector (a section of
  the General Classifier of Economic Activities, which follows NACE Rev. 2: letters A to U) is given only
  for the employed, and is optional.
- "Still lives in the settlement region" is asked at 12 months only: yes, no or unknown.
"""

from calendar import monthrange
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

CHECKPOINTS = (3, 6, 12)
RESIDENCE_CHECKPOINT = 12
SECTORS = tuple("ABCDEFGHIJKLMNOPQRSTU")
WORKING_AGE_FROM = 16
PENSION_AGE: Mapping[str, int] = {"M": 63, "F": 61}


class Answer(StrEnum):
    YES = "yes"
    NO = "no"
    UNKNOWN = "unknown"


ANSWER_CODES = frozenset(a.value for a in Answer)


class Problem(StrEnum):
    """Why an outcome is refused; the services and the import give each its message."""

    CHECKPOINT = "checkpoint"  # not 3, 6 or 12
    NOT_DUE = "not_due"  # the checkpoint is still ahead
    NOT_WORKING_AGE = "not_working_age"
    EMPLOYED = "employed"  # not yes, no or unknown
    SECTOR = "sector"  # not a letter A-U
    SECTOR_NOT_EMPLOYED = "sector_not_employed"
    STAYED = "stayed"  # not yes, no or unknown
    STAYED_TOO_EARLY = "stayed_too_early"  # residence is asked at 12 months only


def add_months(day: date, months: int) -> date:
    """`day` plus whole months; the day of the month is kept, or is the month's last day when it lacks it."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, monthrange(year, month)[1]))


def checkpoint_date(arrival: date, months: int) -> date:
    return add_months(arrival, months)


def age_on(birth: date, on: date) -> int:
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


def is_working_age(
    *, birth: date, sex: str, on: date, start: int = WORKING_AGE_FROM, pension: Mapping[str, int] = PENSION_AGE
) -> bool:
    """True from the 16th birthday up to the day before the pension age of the person's sex."""
    age = age_on(birth, on)
    return start <= age < pension.get(sex, max(pension.values()))


def as_flag(answer: str | None) -> bool | None:
    """yes -> True, no -> False; unknown or not recorded -> None."""
    if answer == Answer.YES:
        return True
    if answer == Answer.NO:
        return False
    return None


@dataclass(frozen=True)
class OutcomeValues:
    months: int
    employed: str
    sector: str = ""
    stayed: str = ""  # only at 12 months


def outcome_problems(
    values: OutcomeValues, *, arrival: date, birth: date, sex: str, today: date
) -> dict[str, Problem]:
    """The outcome's values that are refused, by field (months, employed, sector, stayed)."""
    out: dict[str, Problem] = {}
    if values.months not in CHECKPOINTS:
        out["months"] = Problem.CHECKPOINT
    else:
        at = checkpoint_date(arrival, values.months)
        if at > today:
            out["months"] = Problem.NOT_DUE
        elif not is_working_age(birth=birth, sex=sex, on=at):
            out["person"] = Problem.NOT_WORKING_AGE
    if values.employed not in ANSWER_CODES:
        out["employed"] = Problem.EMPLOYED
    if values.sector:
        if values.sector not in SECTORS:
            out["sector"] = Problem.SECTOR
        elif values.employed != Answer.YES:
            out["sector"] = Problem.SECTOR_NOT_EMPLOYED
    if values.stayed:
        if values.stayed not in ANSWER_CODES:
            out["stayed"] = Problem.STAYED
        elif values.months != RESIDENCE_CHECKPOINT:
            out["stayed"] = Problem.STAYED_TOO_EARLY
    return out


@dataclass(frozen=True)
class Rate:
    """A share of persons with a known answer: `yes` of `known` (unknowns are left out of the rate and
    counted apart), suppressed when fewer than `min_cell` persons are known, so that a small centre's
    figure cannot point at one family."""

    yes: int
    known: int
    unknown: int = 0
    min_cell: int = 5

    @property
    def suppressed(self) -> bool:
        return self.known < self.min_cell

    @property
    def percent(self) -> float | None:
        if self.suppressed or not self.known:
            return None
        return round(100 * self.yes / self.known, 1)
