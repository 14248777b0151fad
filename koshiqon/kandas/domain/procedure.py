"""The deadlines of the kandas procedure, counted from the rules version in force and the working-day calendar.

Procedure (domain.md §2; Rules of 2013 as amended, M): the local executive body checks the family's file for
completeness within `check_working_days` (1) working days of receiving it; once the file is complete, the
commission recommends within `commission_working_days` (3) working days; kandas status is valid for
`status_validity_months` (12) months. An appeal is filed within `appeal_filing_days` calendar days of the decision
(ending on the next working day when the last day is a day off) and decided within
`appeal_decision_working_days` working days (both L: configurable).

A term starts running on the day after the event, so an application received on a Saturday or a holiday is
due for checking on the first working day after it, and a weekend or holiday inside a term does not count.
The calendar is passed in (koshiqon.core.domain.calendar.WorkCalendar, or anything with the same methods), so
these rules need no database.
"""

from calendar import monthrange
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Protocol

from koshiqon.kandas.domain.policy import Rules
from koshiqon.kandas.domain.status import AppStatus

# Which deadline an application waits on in each status, for the overdue flag.
CHECK = "check"
COMMISSION = "commission"
WAITING_ON = {AppStatus.SUBMITTED: CHECK, AppStatus.CHECKED: COMMISSION}


class Calendar(Protocol):
    def add_working_days(self, d: date, n: int) -> date: ...

    def add_calendar_days(self, d: date, n: int, *, roll_forward: bool = False) -> date: ...


@dataclass(frozen=True)
class Deadlines:
    check_due: date | None
    commission_due: date | None


def check_due(received_on: date, rules: Rules, calendar: Calendar) -> date:
    """The last day to check the file received (or received again) on `received_on`."""
    return calendar.add_working_days(received_on, rules.check_working_days)


def commission_due(complete_on: date, rules: Rules, calendar: Calendar) -> date:
    """The last day for the commission's recommendation on a file found complete on `complete_on`."""
    return calendar.add_working_days(complete_on, rules.commission_working_days)


def on_submission(applied_on: date, rules: Rules, calendar: Calendar) -> Deadlines:
    """Deadlines of a new application. The commission's date is the latest it can lawfully be if the check
    takes its full term; the check sets it again from the day the file is found complete."""
    check = check_due(applied_on, rules, calendar)
    return Deadlines(check, commission_due(check, rules, calendar))


def on_check(checked_on: date, *, complete: bool, rules: Rules, calendar: Calendar) -> Deadlines:
    """After the completeness check: a complete file goes to the commission, whose term runs from the check;
    a returned file waits on the family and has no running deadline until it is handed in again."""
    if not complete:
        return Deadlines(None, None)
    return Deadlines(None, commission_due(checked_on, rules, calendar))


def overdue(status: str, deadlines: Deadlines, today: date) -> str | None:
    """Which deadline has passed while the application still waits in the status that it governs: "check"
    for a file not checked by its check date, "commission" for a complete file without a recommendation by
    its commission date; None when nothing is overdue. The deadline day itself is still in time."""
    try:
        waiting = WAITING_ON.get(AppStatus(status))
    except ValueError:
        return None
    if waiting == CHECK and deadlines.check_due is not None and today > deadlines.check_due:
        return CHECK
    if waiting == COMMISSION and deadlines.commission_due is not None and today > deadlines.commission_due:
        return COMMISSION
    return None


def status_valid_until(granted_on: date, rules: Rules) -> date:
    """The last day of a kandas status granted on `granted_on`, the day of grant included: the same date
    `status_validity_months` later, less one day (12 months: granted 1 Mar 2027, valid to 29 Feb 2028; a date
    missing in the target month moves to its last day), or else `status_validity_days` days."""
    if rules.status_validity_months:
        months = granted_on.month - 1 + rules.status_validity_months
        year, month = granted_on.year + months // 12, months % 12 + 1
        day = min(granted_on.day, monthrange(year, month)[1])
        return date(year, month, day) - timedelta(days=1)
    return granted_on + timedelta(days=rules.status_validity_days - 1)


def appeal_filing_due(decided_on: date, rules: Rules, calendar: Calendar) -> date:
    """The last day to file an appeal against a decision of `decided_on`: calendar days, and a term ending
    on a day off ends on the next working day."""
    return calendar.add_calendar_days(decided_on, rules.appeal_filing_days, roll_forward=True)


def appeal_decision_due(filed_on: date, rules: Rules, calendar: Calendar) -> date:
    """The last day to decide an appeal filed on `filed_on`."""
    return calendar.add_working_days(filed_on, rules.appeal_decision_working_days)


def age_on(birth_date: date, on: date) -> int:
    """Full years of age on `on` (a person born on 29 February comes of age on 1 March in common years)."""
    return on.year - birth_date.year - ((on.month, on.day) < (birth_date.month, birth_date.day))
