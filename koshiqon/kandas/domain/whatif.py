"""What-if: how a draft grid or quota would change who enters the kandas quota, before it is adopted.

The Concept asks that the quota be filled by education, qualification and experience; a change of the grid or
of the regional split shifts the intake. Two rankings of the same applications (the rules in force and the
draft) are compared: who enters the quota under the draft and who leaves it, and how the intake (families
and persons included) shifts by region, by education and by country of origin.

Pure Python: the caller ranks both ways and passes the decisions.
"""

from collections import defaultdict
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass

INCLUDED = "included"
UNKNOWN = ""


@dataclass(frozen=True)
class Case:
    """What the comparison needs of one application: who it is and the groups it counts in."""

    id: Hashable
    region: str
    education: str = UNKNOWN
    origin: str = UNKNOWN
    size: int = 1


@dataclass(frozen=True)
class Shift:
    """The intake of one group (a region, an education level, an origin) under each ranking."""

    key: str
    families_before: int
    families_after: int
    persons_before: int
    persons_after: int

    @property
    def families_delta(self) -> int:
        return self.families_after - self.families_before

    @property
    def persons_delta(self) -> int:
        return self.persons_after - self.persons_before


@dataclass(frozen=True)
class Comparison:
    entering: tuple[Hashable, ...]  # included under the draft, not under the rules in force
    leaving: tuple[Hashable, ...]  # included under the rules in force, not under the draft
    staying: int
    families_before: int
    families_after: int
    persons_before: int
    persons_after: int
    by_region: tuple[Shift, ...]
    by_education: tuple[Shift, ...]
    by_origin: tuple[Shift, ...]

    @property
    def changed(self) -> bool:
        return bool(self.entering or self.leaving)


def _shifts(cases: Iterable[Case], attr: str, before: set[Hashable], after: set[Hashable]) -> tuple[Shift, ...]:
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    for case in cases:
        key = getattr(case, attr) or UNKNOWN
        row = counts[key]
        if case.id in before:
            row[0] += 1
            row[2] += case.size
        if case.id in after:
            row[1] += 1
            row[3] += case.size
    rows = [Shift(key, *values) for key, values in counts.items() if any(values)]
    # Largest change first, so that what the draft moves most is read first; then by key for a stable order.
    rows.sort(key=lambda s: (-abs(s.persons_delta), -abs(s.families_delta), -max(s.persons_before,
                                                                                  s.persons_after), s.key))
    return tuple(rows)


def compare(
    cases: Sequence[Case],
    before: Mapping[Hashable, str],
    after: Mapping[Hashable, str],
    *,
    order_before: Mapping[Hashable, int] | None = None,
    order_after: Mapping[Hashable, int] | None = None,
) -> Comparison:
    """Compare the decisions of two rankings of the same `cases`.

    `before` and `after` map a case's id to its decision ("included", "waitlisted", "ineligible"); a case
    missing from a ranking is not included in it. Entering cases are listed in the draft's rank order
    (`order_after`), leaving ones in the rank order they had (`order_before`); by id when no order is given.
    """
    ids = [c.id for c in cases]
    if len(set(ids)) != len(ids):
        raise ValueError("each case may appear only once")
    inc_before = {i for i in ids if before.get(i) == INCLUDED}
    inc_after = {i for i in ids if after.get(i) == INCLUDED}

    def ordered(found: set[Hashable], order: Mapping[Hashable, int] | None) -> tuple[Hashable, ...]:
        if order is None:
            return tuple(sorted(found, key=lambda i: (str(type(i)), i)))
        return tuple(sorted(found, key=lambda i: (order.get(i, len(ids) + 1), str(i))))

    sizes = {c.id: c.size for c in cases}
    return Comparison(
        entering=ordered(inc_after - inc_before, order_after),
        leaving=ordered(inc_before - inc_after, order_before),
        staying=len(inc_before & inc_after),
        families_before=len(inc_before),
        families_after=len(inc_after),
        persons_before=sum(sizes[i] for i in inc_before),
        persons_after=sum(sizes[i] for i in inc_after),
        by_region=_shifts(cases, "region", inc_before, inc_after),
        by_education=_shifts(cases, "education", inc_before, inc_after),
        by_origin=_shifts(cases, "origin", inc_before, inc_after),
    )
