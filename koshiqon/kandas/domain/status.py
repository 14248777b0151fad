"""The statuses of a kandas application and the one table of transitions between them.

Procedure (domain.md §2; Rules of 2013 as amended): the local executive body checks the file for
completeness within 1 working day, a commission recommends within 3 working days; recommended families are
ranked by the criteria grid within their region's quota; the approved result includes, waitlists or finds
ineligible; included families receive kandas status (valid 1 year) and the support of the quota.
"""

from enum import StrEnum


class AppStatus(StrEnum):
    SUBMITTED = "submitted"  # received; completeness check due in 1 working day
    RETURNED = "returned"  # incomplete: returned to the family with the missing documents listed
    CHECKED = "checked"  # complete; commission recommendation due in 3 working days
    RECOMMENDED = "recommended"  # the commission recommends it for the quota: it enters the selection
    REJECTED = "rejected"  # the commission does not recommend it (reasons recorded; may be appealed)
    INCLUDED = "included"  # inside its region's quota after an approved selection run
    WAITLISTED = "waitlisted"  # eligible, but the region's quota is full
    INELIGIBLE = "ineligible"  # below the grid's pass mark (may be appealed)
    STATUS_GRANTED = "status_granted"  # kandas status granted, valid one year
    WITHDRAWN = "withdrawn"  # withdrawn by the family


class TransitionError(ValueError):
    def __init__(self, current: str, target: str) -> None:
        super().__init__(f"an application cannot go from {current} to {target}")
        self.current, self.target = current, target


TRANSITIONS: dict[AppStatus, frozenset[AppStatus]] = {
    AppStatus.SUBMITTED: frozenset({AppStatus.CHECKED, AppStatus.RETURNED, AppStatus.WITHDRAWN}),
    AppStatus.RETURNED: frozenset({AppStatus.SUBMITTED, AppStatus.WITHDRAWN}),
    AppStatus.CHECKED: frozenset({AppStatus.RECOMMENDED, AppStatus.REJECTED, AppStatus.WITHDRAWN}),
    # An appeal upheld sends the application back to the commission or into the selection.
    AppStatus.REJECTED: frozenset({AppStatus.RECOMMENDED}),
    AppStatus.RECOMMENDED: frozenset(
        {AppStatus.INCLUDED, AppStatus.WAITLISTED, AppStatus.INELIGIBLE, AppStatus.WITHDRAWN}
    ),
    AppStatus.WAITLISTED: frozenset({AppStatus.INCLUDED, AppStatus.RECOMMENDED, AppStatus.WITHDRAWN}),
    AppStatus.INELIGIBLE: frozenset({AppStatus.RECOMMENDED}),
    AppStatus.INCLUDED: frozenset({AppStatus.STATUS_GRANTED, AppStatus.WITHDRAWN}),
    AppStatus.STATUS_GRANTED: frozenset(),
    AppStatus.WITHDRAWN: frozenset(),
}

# Statuses a selection run takes in (and may change).
SELECTABLE = frozenset({AppStatus.RECOMMENDED, AppStatus.WAITLISTED})
# Statuses whose decision can be appealed.
APPEALABLE = frozenset({AppStatus.REJECTED, AppStatus.INELIGIBLE, AppStatus.WAITLISTED})


def can_transition(current: str, target: str) -> bool:
    try:
        return AppStatus(target) in TRANSITIONS[AppStatus(current)]
    except ValueError:
        return False


def check_transition(current: str, target: str) -> None:
    """Raise TransitionError unless the table allows going from `current` to `target`."""
    if not can_transition(current, target):
        raise TransitionError(current, target)
