"""The statuses of work-permit applications, permits and extension requests, and their one transition table
each (domain.md §4; architecture rule 3).

An application is filed by the employer, decided within 7 working days (granted: a permit is issued in the
same transaction, consuming a quota place; refused: the failed steps are its reasons), or withdrawn before
the decision. A permit is valid in one region; it may be suspended (and resumed), revoked, or it expires at
the end of its term. An extension is asked 60 to 30 days before expiry and decided within 3 working days.
"""

from collections.abc import Mapping
from enum import StrEnum
from typing import Any


class TransitionError(ValueError):
    def __init__(self, current: str, target: str) -> None:
        super().__init__(f"cannot go from {current} to {target}")
        self.current, self.target = current, target


class ApplicationStatus(StrEnum):
    SUBMITTED = "submitted"  # filed; decision due in 7 working days
    GRANTED = "granted"  # every step passed: a permit was issued
    REFUSED = "refused"  # a step failed (reasons recorded), including "quota exhausted"
    WITHDRAWN = "withdrawn"  # withdrawn by the employer before the decision


class PermitStatus(StrEnum):
    ISSUED = "issued"  # valid from its start to its end date in its region
    SUSPENDED = "suspended"  # not valid until resumed (e.g. an inspection pending)
    REVOKED = "revoked"  # ended early by the authority, with a reason
    EXPIRED = "expired"  # its term ran out


class ExtensionStatus(StrEnum):
    REQUESTED = "requested"  # decision due in 3 working days
    GRANTED = "granted"
    REFUSED = "refused"


class PermitKind(StrEnum):
    STANDARD = "standard"  # a hire in a category, within the quota
    ICT = "ict"  # an intra-corporate transfer: outside the quota, free of fees
    SEASONAL = "seasonal"  # seasonal (agricultural) work: its own quota component and fee scale


APPLICATION_TRANSITIONS: dict[ApplicationStatus, frozenset[ApplicationStatus]] = {
    ApplicationStatus.SUBMITTED: frozenset(
        {ApplicationStatus.GRANTED, ApplicationStatus.REFUSED, ApplicationStatus.WITHDRAWN}
    ),
    ApplicationStatus.GRANTED: frozenset(),
    ApplicationStatus.REFUSED: frozenset(),
    ApplicationStatus.WITHDRAWN: frozenset(),
}

PERMIT_TRANSITIONS: dict[PermitStatus, frozenset[PermitStatus]] = {
    PermitStatus.ISSUED: frozenset({PermitStatus.SUSPENDED, PermitStatus.REVOKED, PermitStatus.EXPIRED}),
    PermitStatus.SUSPENDED: frozenset({PermitStatus.ISSUED, PermitStatus.REVOKED, PermitStatus.EXPIRED}),
    PermitStatus.REVOKED: frozenset(),
    PermitStatus.EXPIRED: frozenset(),
}

EXTENSION_TRANSITIONS: dict[ExtensionStatus, frozenset[ExtensionStatus]] = {
    ExtensionStatus.REQUESTED: frozenset({ExtensionStatus.GRANTED, ExtensionStatus.REFUSED}),
    ExtensionStatus.GRANTED: frozenset(),
    ExtensionStatus.REFUSED: frozenset(),
}

_TABLES: dict[type[StrEnum], Mapping[Any, frozenset[Any]]] = {
    ApplicationStatus: APPLICATION_TRANSITIONS,
    PermitStatus: PERMIT_TRANSITIONS,
    ExtensionStatus: EXTENSION_TRANSITIONS,
}


def check_transition(current: StrEnum | str, target: StrEnum) -> None:
    """Raise TransitionError unless the table of `target`'s type allows `current` -> `target`."""
    kind = type(target)
    table = _TABLES[kind]
    if target not in table[kind(current)]:
        raise TransitionError(str(current), str(target))
