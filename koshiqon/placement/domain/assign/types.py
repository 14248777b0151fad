"""The shapes of an assignment problem: families and region capacities as the caller names them (`Family`,
`Capacity`, `Solution`), and the same problem as arrays (`Instance`, `Assignment`), which the solvers use."""

import math
from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import ArrayLike, NDArray

# Below this, a bound is treated as zero when the gap is computed.
TINY = 1e-9


@dataclass(frozen=True)
class Family:
    """A family to place: its id and its size in persons (1 or more)."""

    id: str
    size: int


@dataclass(frozen=True)
class Capacity:
    """What a region may take: at most `families` families and at most `persons` persons (None: no limit of
    that kind). A region's quota is in one unit (domain.md §2: families until 2016, persons since); an
    adaptation centre's beds add a limit in persons, so a region may have both."""

    region: str
    families: int | None = None
    persons: int | None = None


def relative_gap(objective: float, bound: float) -> float:
    """(bound - objective) / |bound|: how far from optimal the objective may be, at worst."""
    return (bound - objective) / max(abs(bound), TINY)


@dataclass(frozen=True)
class Solution:
    """An assignment of families to regions.

    `bound` is a proven upper bound on the total score of any assignment that places at least as many
    families as this one, so `gap` says how far from optimal this one may be; 0 means proven optimal.
    """

    assignment: Mapping[str, str]
    unplaced: tuple[str, ...]
    objective: float
    bound: float
    method: str
    seconds: float

    @property
    def gap(self) -> float:
        return relative_gap(self.objective, self.bound)


@dataclass(frozen=True)
class Assignment:
    """The array form of a solution: `region[f]` is the column of the score matrix family f is placed in, or
    -1 when it is not placed. `objective`, `bound`, `method` and `seconds` as in `Solution`."""

    region: NDArray[np.int64]
    objective: float
    bound: float
    method: str
    seconds: float = 0.0

    @property
    def gap(self) -> float:
        return relative_gap(self.objective, self.bound)

    @property
    def placed(self) -> int:
        return int((self.region >= 0).sum())


@dataclass(frozen=True)
class Tuning:
    """How hard the large-instance solvers work. The defaults reach the targets of the benchmark (100,000
    families, 20 regions); tests shrink them to reach every path on small instances."""

    sample: float = 0.1         # family limits: the share of a large batch solved first, for its prices
    flow_families: int = 8000   # family limits: families left to the flow around those prices, at least
    sweeps: int = 40            # person limits: rounds of region prices before the LP step
    lp_families: int = 3000     # person limits: families left to the LP around those prices, at least
    mip_families: int = 120     # person limits: up to this many families, one exact MIP
    mip_seconds: float = 10.0   # time limit of each HiGHS solve (the best solution found is kept)
    rounds: int = 4             # times the free set may grow when the rest turns out not to be optimal


@dataclass(frozen=True)
class Instance:
    """A validated problem as arrays: `score` (families x regions, -inf where a region is not allowed),
    `size` (persons per family), and per region the limits in families and in persons (inf: none)."""

    score: NDArray[np.float64]
    size: NDArray[np.float64]
    family_limit: NDArray[np.float64]
    person_limit: NDArray[np.float64]
    allowed: NDArray[np.bool_] = field(repr=False)
    placeable: NDArray[np.bool_] = field(repr=False)  # families with at least one allowed region

    @property
    def families(self) -> int:
        return int(self.score.shape[0])

    @property
    def regions(self) -> int:
        return int(self.score.shape[1])

    @property
    def counts_persons(self) -> bool:
        return bool(np.isfinite(self.person_limit).any())

    @classmethod
    def build(
        cls, sizes: ArrayLike, score: ArrayLike, family_limit: ArrayLike | None = None,
        person_limit: ArrayLike | None = None,
    ) -> "Instance":
        """Check and convert: sizes whole numbers >= 1, scores finite or NaN (not allowed), limits whole
        numbers >= 0 or inf (none). ValueError says what is wrong."""
        matrix = np.array(score, dtype=np.float64, copy=True)
        if matrix.ndim != 2:
            raise ValueError("score must be a families x regions matrix")
        n, regions = matrix.shape
        persons = np.asarray(sizes, dtype=np.float64).reshape(-1)
        if persons.shape != (n,):
            raise ValueError(f"{persons.size} sizes for {n} families")
        if n and (not np.isfinite(persons).all() or (persons < 1).any() or (persons != np.round(persons)).any()):
            raise ValueError("a family's size is a whole number of persons, 1 or more")
        if np.isinf(matrix).any():
            raise ValueError("a score must be a finite number (NaN: the region is not allowed)")
        limits = []
        for name, given in (("family", family_limit), ("person", person_limit)):
            limit = np.full(regions, np.inf) if given is None else np.asarray(given, dtype=np.float64).reshape(-1)
            if limit.shape != (regions,):
                raise ValueError(f"{limit.size} {name} limits for {regions} regions")
            finite = limit[np.isfinite(limit)]
            if np.isnan(limit).any() or (finite < 0).any() or (finite != np.round(finite)).any():
                raise ValueError(f"a {name} limit is a whole number, 0 or more (inf: no limit)")
            limits.append(limit)
        allowed = ~np.isnan(matrix)
        matrix[~allowed] = -np.inf
        placeable = np.asarray(allowed.any(axis=1), dtype=np.bool_)
        return cls(matrix, persons, limits[0], limits[1], allowed, placeable)


def no_limit(value: int | None) -> float:
    return math.inf if value is None else float(value)
