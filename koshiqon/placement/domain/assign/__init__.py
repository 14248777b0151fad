"""Optimal assignment of a batch of families to regions (issue 4, placement).

Each family may go to the regions it has a score for (a predicted employment: a probability or an expected
number employed; the caller has already folded the family's preferences into it); a missing score means the
region is not allowed for that family (a hard constraint). Each region takes at most its limit in families
and/or in persons (its quota, the beds of its adaptation centre). The assignment:

1. places as many families as possible;
2. among those placements, maximises the sum of the scores.

With limits in families only, the result is optimal (min-cost flow, OR-Tools; flow.py). With limits in persons
it is NP-hard in general: a small batch (`Tuning.mip_families`) is solved exactly by a MIP, a larger one by the
LP relaxation and rounding (HiGHS; persons.py), within 0.1 % of the LP bound on the benchmark batch. Every
result carries a proven upper bound on the score of any assignment that places at least as many families, so
its gap says how far from optimal it may be. See docs/adr/0011-placement-assignment-solver.md.
"""

import time
from collections.abc import Mapping, Sequence
from dataclasses import replace

import numpy as np
from numpy.typing import ArrayLike

from koshiqon.placement.domain.assign.flow import solve_families
from koshiqon.placement.domain.assign.persons import solve_persons
from koshiqon.placement.domain.assign.types import (
    Assignment,
    Capacity,
    Family,
    Instance,
    Solution,
    Tuning,
    no_limit,
)

__all__ = ["Assignment", "Capacity", "Family", "Instance", "Solution", "Tuning", "solve", "solve_arrays",
           "solve_instance"]


def solve_instance(instance: Instance, *, tuning: Tuning | None = None) -> Assignment:
    started = time.perf_counter()
    tuning = tuning or Tuning()
    if instance.counts_persons:
        result = solve_persons(instance, tuning)
    else:
        result = solve_families(instance, tuning)
    return replace(result, seconds=time.perf_counter() - started)


def solve_arrays(
    sizes: ArrayLike, score: ArrayLike, family_limit: ArrayLike | None = None,
    person_limit: ArrayLike | None = None, *, tuning: Tuning | None = None,
) -> Assignment:
    """The array form: `score` is families x regions (NaN: not allowed), `sizes` the persons per family, and
    per region the limit in families and in persons (inf, or None for all: no limit). ValueError on bad input."""
    started = time.perf_counter()
    result = solve_instance(Instance.build(sizes, score, family_limit, person_limit), tuning=tuning)
    return replace(result, seconds=time.perf_counter() - started)


def solve(
    families: Sequence[Family], capacities: Sequence[Capacity], scores: Mapping[tuple[str, str], float],
    *, tuning: Tuning | None = None,
) -> Solution:
    """scores[(family_id, region)]; a missing pair = region not allowed for that family.

    A region that has scores but no Capacity takes nobody (it has no quota). A Capacity with neither limit
    takes any number. ValueError: a family id or a region given twice, a score for an unknown family, a size
    below 1, a negative limit, a score that is not a finite number.
    """
    started = time.perf_counter()
    index: dict[str, int] = {}
    for position, family in enumerate(families):
        if index.setdefault(family.id, position) != position:
            raise ValueError(f"the family {family.id!r} is given twice")
    regions: dict[str, int] = {}
    family_limit, person_limit = [], []
    for capacity in capacities:
        if capacity.region in regions:
            raise ValueError(f"the region {capacity.region!r} is given twice (give both limits in one Capacity)")
        regions[capacity.region] = len(regions)
        family_limit.append(no_limit(capacity.families))
        person_limit.append(no_limit(capacity.persons))
    for _family_id, region in scores:
        if region not in regions:
            regions[region] = len(regions)
            family_limit.append(0.0)
            person_limit.append(no_limit(None))
    matrix = np.full((len(index), len(regions)), np.nan)
    for (family_id, region), value in scores.items():
        if family_id not in index:
            raise ValueError(f"a score for the unknown family {family_id!r}")
        matrix[index[family_id], regions[region]] = value
    result = solve_arrays([f.size for f in families], matrix, family_limit, person_limit, tuning=tuning)
    names = list(regions)
    placed = result.region
    return Solution(
        assignment={f.id: names[placed[i]] for i, f in enumerate(families) if placed[i] >= 0},
        unplaced=tuple(f.id for i, f in enumerate(families) if placed[i] < 0),
        objective=result.objective, bound=result.bound, method=result.method,
        seconds=time.perf_counter() - started,
    )
