"""The individual adaptation and integration plan: its referrals to services, their due dates, and progress.

Rule (domain.md §3; Order 331-Ө-М of 22 Jul 2013, H; the plan's content M): each family at a centre gets an
individual plan (arrival date, transport, family size, financial aid, job or training, housing) and is
referred to the centre's services, each by a due date. Staff record each service when it is delivered.

- A referral is **overdue** when its due date has passed (today is later than the due date) and the service
  is not delivered. Due dates are calendar dates: no act sets these terms in working days, and the services
  (housing, a psychologist, a course start) run on calendar days; a due date on a weekend stays there.
- A delivery later than the due date is **late** but delivered: it no longer counts as overdue.
- The plan's **progress** is delivered referrals over all referrals (0 when nothing is referred yet).
- The default due date of a referral is the later of the arrival date and the referral date, plus the
  service's `due_days` from the catalogue (configurable data, confidence L).
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

# Plan values that no real family has: a plan outside them is a typing error.
MAX_FAMILY_SIZE = 40
MAX_FINANCIAL_AID_TENGE = 100_000_000
# How far ahead a plan may be made for a family not arrived yet, and how far back a late record may go.
MAX_DAYS_AHEAD = 366
EARLIEST_ARRIVAL = date(1991, 12, 16)  # independence: no plan of this system starts earlier


class ReferralState(StrEnum):
    DELIVERED = "delivered"
    OVERDUE = "overdue"
    DUE = "due"  # referred, not delivered, due date not passed


class Problem(StrEnum):
    """Why a value of a plan or a referral is refused; the services give each its message."""

    ARRIVAL_TOO_EARLY = "arrival_too_early"
    ARRIVAL_TOO_LATE = "arrival_too_late"
    FAMILY_SIZE = "family_size"
    FINANCIAL_AID = "financial_aid"
    DUE_BEFORE_REFERRAL = "due_before_referral"
    DELIVERED_IN_FUTURE = "delivered_in_future"
    DELIVERED_BEFORE_REFERRAL = "delivered_before_referral"
    ALREADY_DELIVERED = "already_delivered"


def referral_state(*, due_on: date, delivered_on: date | None, today: date) -> ReferralState:
    if delivered_on is not None:
        return ReferralState.DELIVERED
    return ReferralState.OVERDUE if today > due_on else ReferralState.DUE


def delivered_late(*, due_on: date, delivered_on: date | None) -> bool:
    return delivered_on is not None and delivered_on > due_on


def days_overdue(*, due_on: date, delivered_on: date | None, today: date) -> int:
    """Calendar days past the due date of an undelivered referral (0 when it is not overdue)."""
    if delivered_on is not None:
        return 0
    return max((today - due_on).days, 0)


@dataclass(frozen=True)
class Progress:
    delivered: int
    referred: int

    @property
    def percent(self) -> int:
        """Whole percent, rounded down, so that 100 means every service is delivered."""
        return 100 * self.delivered // self.referred if self.referred else 0

    @property
    def complete(self) -> bool:
        return self.referred > 0 and self.delivered == self.referred


def plan_progress(states: Iterable[ReferralState]) -> Progress:
    states = list(states)
    return Progress(sum(1 for s in states if s == ReferralState.DELIVERED), len(states))


def default_due(*, arrival: date, referred_on: date, due_days: int) -> date:
    return max(arrival, referred_on) + timedelta(days=max(due_days, 0))


def plan_problems(*, arrival: date, family_size: int, financial_aid_tenge: int, today: date) -> dict[str, Problem]:
    """The plan's values that are refused, by field."""
    out: dict[str, Problem] = {}
    if arrival < EARLIEST_ARRIVAL:
        out["arrival_date"] = Problem.ARRIVAL_TOO_EARLY
    elif arrival > today + timedelta(days=MAX_DAYS_AHEAD):
        out["arrival_date"] = Problem.ARRIVAL_TOO_LATE
    if not 1 <= family_size <= MAX_FAMILY_SIZE:
        out["family_size"] = Problem.FAMILY_SIZE
    if not 0 <= financial_aid_tenge <= MAX_FINANCIAL_AID_TENGE:
        out["financial_aid_tenge"] = Problem.FINANCIAL_AID
    return out


def referral_problems(*, referred_on: date, due_on: date) -> dict[str, Problem]:
    return {"due_on": Problem.DUE_BEFORE_REFERRAL} if due_on < referred_on else {}


def delivery_problems(
    *, referred_on: date, delivered_on: date, already: date | None, today: date
) -> dict[str, Problem]:
    """A delivery is recorded once, on a day between the referral and today."""
    if already is not None:
        return {"delivered_on": Problem.ALREADY_DELIVERED}
    if delivered_on > today:
        return {"delivered_on": Problem.DELIVERED_IN_FUTURE}
    if delivered_on < referred_on:
        return {"delivered_on": Problem.DELIVERED_BEFORE_REFERRAL}
    return {}
