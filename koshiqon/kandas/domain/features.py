"""The features of an application that the criteria grid reads: one flat dict, with the same names as the
columns of APPLICANTS.csv (docs: the file-based ranking command), so that a grid scores a database application
and a spreadsheet row alike.

The Concept names education, qualification and professional experience as the criteria (domain.md §2); the
grid may also look at age, family composition, the state language and priority categories. The head of the
family speaks for the family: education, occupation, experience, age and Kazakh are the head's.

- region: ISO code of the preferred region; applied_at: ISO date-time; size: persons in the family;
- education: the head's ISCED 2011 level ("" when not recorded); occupation: the head's ISCO-08 code;
- deficit_occupation: "yes" when the head's occupation, or a group it belongs to (its 3-digit minor group,
  2-digit sub-major group...), is on the preferred region's deficit list in the rules version, else "no";
- experience_years: the head's years of professional experience; age: the head's age on the application date;
- working_age_members, children: members aged 16 to 62 and under 16 on the application date (the age groups
  of Kazakhstan's statistics; the pension age is 63 for men, and women's is being raised towards it, so 63
  is used for everyone: L, a simplification);
- kazakh: the head's level of the state language (none, basic, fluent);
- priority: the family's priority category, or "none".
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from koshiqon.kandas.domain.policy import NO_PRIORITY, Rules
from koshiqon.kandas.domain.procedure import age_on

HEAD = "head"
WORKING_AGE_FROM = 16
PENSION_AGE = 63
YES, NO = "yes", "no"

FEATURES = (
    "region", "applied_at", "size", "education", "occupation", "deficit_occupation", "experience_years", "age",
    "working_age_members", "children", "kazakh", "priority",
)


@dataclass(frozen=True)
class MemberFacts:
    """What the features need of one member of the applying family."""

    relation: str
    birth_date: date
    education: str = ""  # ISCED 2011 level code
    occupation: str = ""  # ISCO-08 code
    experience_years: Decimal | float | int = 0
    kazakh: str = "none"


class NoHeadError(ValueError):
    """An application's members must include exactly one head of family."""


def on_deficit_list(occupation: str, deficit: Sequence[str]) -> bool:
    """True when the occupation or one of the groups it belongs to is listed: a list naming the minor group
    "214" (engineering professionals) covers the unit group "2142" (civil engineers) too."""
    if not occupation:
        return False
    listed = set(deficit)
    return any(occupation[:n] in listed for n in range(1, len(occupation) + 1))


def head_of(members: Sequence[MemberFacts]) -> MemberFacts:
    heads = [m for m in members if m.relation == HEAD]
    if len(heads) != 1:
        raise NoHeadError(f"an application needs exactly one head of family, got {len(heads)}")
    return heads[0]


def application_features(
    *,
    region: str,
    applied_at: datetime,
    members: Sequence[MemberFacts],
    priority: str,
    rules: Rules,
) -> dict[str, Any]:
    """The flat feature dict of one application, as the grid reads it. `applied_at` should be in the
    project's time zone (Asia/Almaty): the application date is its local date."""
    head = head_of(members)
    on = applied_at.date()
    ages = [age_on(m.birth_date, on) for m in members]
    return {
        "region": region,
        "applied_at": applied_at.isoformat(),
        "size": len(members),
        "education": head.education or "",
        "occupation": head.occupation or "",
        "deficit_occupation": YES if on_deficit_list(head.occupation, rules.deficit_list(region)) else NO,
        "experience_years": float(head.experience_years),
        "age": age_on(head.birth_date, on),
        "working_age_members": sum(1 for a in ages if WORKING_AGE_FROM <= a < PENSION_AGE),
        "children": sum(1 for a in ages if a < WORKING_AGE_FROM),
        "kazakh": head.kazakh or "none",
        "priority": priority or NO_PRIORITY,
    }
