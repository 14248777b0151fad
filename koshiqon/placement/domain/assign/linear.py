"""HiGHS models of a part of the batch: some families, all their allowed regions, what is left of each region.

`Part.solve` maximises lexicographically: first the number of families placed, then the total score among the
placements that place that many. It first asks for every family to be placed (a row = 1 per family), the usual
case and a far easier LP than counting; only when that is infeasible does it count first and then keep that
count as a constraint. As an LP it returns fractional values and the region prices (duals); as a MIP, whole
assignments and HiGHS's proven bound. When HiGHS stops before it has any solution (time limit, failure) the
outcome places nobody and its bound is infinite, and the caller falls back on what it has."""

from dataclasses import dataclass

import highspy
import numpy as np
from highspy import _core
from numpy.typing import NDArray

from koshiqon.placement.domain.assign.prices import Floats, Ints, Prices
from koshiqon.placement.domain.assign.select import placement_bonus
from koshiqon.placement.domain.assign.types import Instance

INTEGRAL = 1 - 1e-6
SOLVED = (highspy.HighsModelStatus.kOptimal, highspy.HighsModelStatus.kTimeLimit)


def _highs() -> "_core._Highs":
    """A quiet HiGHS. The `highspy.Highs` wrapper prints a banner to standard output when it installs its
    Python callbacks, which are not used here; the solver underneath it prints nothing once told so."""
    solver = _core._Highs()
    solver.setOptionValue("output_flag", False)
    # No "threads" option: HiGHS refuses to run when it differs from the thread pool that the first solve in
    # the process set up (which may be someone else's).
    return solver


@dataclass
class Outcome:
    value: Floats          # per arc, in [0, 1]
    count: float           # families placed (fractional for an LP)
    objective: float       # total score
    bound: float           # proven bound on the total score at that count (MIP), else the LP objective
    prices: Prices | None  # LP only


@dataclass
class Part:
    """Families `members` of `instance`, each with all its allowed regions (the arcs), and the room left in
    each region (families, persons; inf: no limit)."""

    instance: Instance
    members: Ints
    room_families: Floats
    room_persons: Floats

    def __post_init__(self) -> None:
        local, self.region = np.nonzero(self.instance.allowed[self.members])
        self.family = self.members[local]
        self.local = local

    def solve(self, *, integer: bool, seconds: float, everyone: bool = True) -> Outcome:
        """`everyone=False` skips the attempt to place every family (the caller knows they do not all fit)."""
        m, arcs, regions = self.members.size, self.family.size, self.instance.regions
        if not arcs:
            return Outcome(np.zeros(0), 0.0, 0.0, 0.0, None if integer else Prices.zero(regions))
        limited_f = np.flatnonzero(np.isfinite(self.room_families))
        limited_p = np.flatnonzero(np.isfinite(self.room_persons))
        # Rows: one per family (at most one region), the regions' family and person limits, the count.
        rows = m + limited_f.size + limited_p.size + 1
        count_row = rows - 1
        f_row = np.full(regions, -1)
        f_row[limited_f] = m + np.arange(limited_f.size)
        p_row = np.full(regions, -1)
        p_row[limited_p] = m + limited_f.size + np.arange(limited_p.size)
        has_f, has_p = f_row[self.region] >= 0, p_row[self.region] >= 0
        index = np.stack([self.local, f_row[self.region], p_row[self.region], np.full(arcs, count_row)], axis=1)
        value = np.stack([np.ones(arcs), has_f.astype(float), self.instance.size[self.family], np.ones(arcs)], axis=1)
        keep = np.stack([np.ones(arcs, bool), has_f, has_p, np.ones(arcs, bool)], axis=1)
        scores = self.instance.score[self.family, self.region]
        lp = highspy.HighsLp()
        lp.num_col_, lp.num_row_ = arcs, rows
        lp.col_cost_ = -scores
        lp.col_lower_, lp.col_upper_ = np.zeros(arcs), np.ones(arcs)
        # First try to place every family (rows = 1): the usual case, and a much easier LP than counting.
        lp.row_lower_ = np.concatenate([np.ones(m), np.full(rows - m, -highspy.kHighsInf)])
        lp.row_upper_ = np.concatenate([np.ones(m), np.maximum(self.room_families[limited_f], 0),
                                        np.maximum(self.room_persons[limited_p], 0), [highspy.kHighsInf]])
        lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
        lp.a_matrix_.start_ = np.concatenate([[0], np.cumsum(keep.sum(axis=1))]).astype(np.int32)
        lp.a_matrix_.index_ = index[keep].astype(np.int32)
        lp.a_matrix_.value_ = value[keep]
        if integer:
            lp.integrality_ = [highspy.HighsVarType.kInteger] * arcs
        second = self._run(lp, integer, seconds) if everyone else None
        if second is None and not integer:
            # Not all fit. Counting first in an LP is slow (the count LP is highly degenerate): one LP weighs
            # each placed family with a bonus that outweighs any score instead.
            lp.row_lower_ = np.full(rows, -highspy.kHighsInf)
            lp.col_cost_ = -(scores + placement_bonus(self.instance))
            second = self._run(lp, integer, seconds)
            if second is None:  # out of time: leave them to the caller's greedy step
                return Outcome(np.zeros(arcs), 0.0, 0.0, np.inf, Prices.zero(regions))
        if second is None:
            # Not all fit: first the most families that do, then the best score among placements of that many.
            # Each solve is a fresh model: HiGHS 1.16 has returned wrong MIP results after a model was changed
            # and given a starting solution.
            lp.row_lower_ = np.full(rows, -highspy.kHighsInf)
            lp.col_cost_ = -np.ones(arcs)
            first = self._run(lp, integer, seconds)
            if first is None:  # out of time before any placement: leave them to the caller's greedy step
                return Outcome(np.zeros(arcs), 0.0, 0.0, np.inf, None if integer else Prices.zero(regions))
            count = float(np.round(first.col_value.sum())) if integer else -first.objective
            # An LP keeps a hair of slack on the count, against rounding in the solver.
            row_lower = np.full(rows, -highspy.kHighsInf)
            row_lower[count_row] = count - 0.5 if integer else count * (1 - 1e-9) - 1e-7
            lp.row_lower_, lp.col_cost_ = row_lower, -scores
            # Out of time in the second solve: the first's placement stands, with no bound of its own.
            second = self._run(lp, integer, seconds) or _Result(first.col_value, first.row_dual, np.nan, np.inf)
        value = np.clip(second.col_value, 0.0, 1.0)
        if integer:
            value = (value > 0.5).astype(np.float64)
            objective = float(scores[value > 0].sum())
            return Outcome(value, float(value.sum()), objective, max(objective, second.bound), None)
        objective = float((value * scores).sum())
        duals = -second.row_dual
        per_family, per_person = np.zeros(regions), np.zeros(regions)
        per_family[limited_f] = duals[m:m + limited_f.size]
        per_person[limited_p] = duals[m + limited_f.size:count_row]
        return Outcome(value, float(value.sum()), objective, objective, Prices(per_family, per_person))

    @staticmethod
    def _run(lp: highspy.HighsLp, integer: bool, seconds: float) -> "_Result | None":
        """One solve of a fresh model; None when HiGHS ends without a solution (infeasible, out of time)."""
        solver = _highs()
        solver.setOptionValue("time_limit", float(seconds))
        if integer:
            solver.setOptionValue("mip_rel_gap", 0.0)
            solver.setOptionValue("mip_abs_gap", 1e-9)
        solver.passModel(lp)
        solver.run()
        solution = solver.getSolution()
        if solver.getModelStatus() not in SOLVED or not solution.value_valid:
            return None
        info = solver.getInfo()
        return _Result(np.asarray(solution.col_value, dtype=np.float64), np.asarray(solution.row_dual, dtype=np.float64),
                       -float(info.objective_function_value), -float(info.mip_dual_bound) if integer else np.inf)

    def regions_of(self, value: NDArray[np.float64]) -> Ints:
        """Each member's region where its value is (nearly) 1, else -1."""
        region = np.full(self.instance.families, -1, dtype=np.int64)
        chosen = value >= INTEGRAL
        region[self.family[chosen]] = self.region[chosen]
        return region[self.members]

    def fractional(self, value: NDArray[np.float64]) -> Ints:
        """Members split between regions, or partly placed."""
        split = np.zeros(self.instance.families, dtype=bool)
        split[self.family[(value > 1 - INTEGRAL) & (value < INTEGRAL)]] = True
        return np.flatnonzero(split[self.members])


@dataclass
class _Result:
    col_value: Floats
    row_dual: Floats
    objective: float  # total score (or count), as HiGHS reports it
    bound: float      # MIP: HiGHS's proven bound on it (its dual bound); LP: unused
