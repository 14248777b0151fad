"""Backtest of optimised placement on held-out past arrivals: would placing those families by the model have
found work for more of them than what actually happened?

The same families, the same regional capacities (by default, the number of families that actually settled in
each region: the quota as it was used), five assignments:

- actual: where each family settled;
- optimised: the assignment that maximises the model's expected number of working-age members employed at 12
  months, by the placement solver (koshiqon.placement.domain.assign);
- proportional: what an office without a model would do: families taken in a random order, each sent to the
  region furthest behind its quota (lowest share of its capacity filled, ties to the lower region code), so
  that regions fill in proportion to their quotas all along;
- random: families in a random order, each sent to a region picked uniformly among those with room left;
- oracle (only with the ground truth, i.e. on demo data): the assignment that maximises the TRUE expected
  employment, the best any model could do within the capacities.

Each assignment is scored by the model (predicted employment) and, when the truth is given, by the truth
(expected employment). Uplift is the gain over the actual assignment, in percent. On demo data the report
also says what share of the oracle's uplift the optimised assignment reached.

Proportional and random ignore the families' characteristics, so in expectation they do as well as each
other when the capacities equal the arrivals (only the regions' totals matter then); they differ when the
capacities leave room to spare, and either differs from the actual pattern, which followed relatives and
preferences.
"""

import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from koshiqon.placement.domain.assign import Assignment, solve_arrays
from koshiqon.placement.domain.features import FamilyFacts, FloatArray, Text, WorkingAge, member_table

ACTUAL, OPTIMISED, PROPORTIONAL, RANDOM, ORACLE = "actual", "optimised", "proportional", "random", "oracle"
LABELS = {
    ACTUAL: Text("Нақты орналасу", "Фактическое размещение", "Actual placement"),
    OPTIMISED: Text("Модель бойынша оңтайлы", "Оптимальное по модели", "Optimised on the model"),
    PROPORTIONAL: Text("Квотаға пропорционал", "Пропорционально квоте", "Proportional to quota"),
    RANDOM: Text("Кездейсоқ", "Случайное", "Random"),
    ORACLE: Text("Шынайы модель бойынша ең жақсы", "Лучшее по истинной модели", "Best under the truth"),
}
PREDICTED = Text("Модель болжамы", "Прогноз модели", "Predicted by the model")
TRUE = Text("Шынайы модель бойынша", "По истинной модели", "Expected under the truth")
UNIT = Text(
    "12 айдан кейін жұмысқа орналасқан еңбекке қабілетті жастағы адамдардың күтілетін саны",
    "Ожидаемое число трудоустроенных через 12 месяцев лиц трудоспособного возраста",
    "Expected working-age members employed at 12 months",
)
UPLIFT_UNIT = Text("Нақты орналасудан өсім, %", "Прирост к фактическому размещению, %", "Uplift over actual, %")


class BacktestError(ValueError):
    """The backtest's inputs do not fit together (a region unknown, capacities too small...)."""


@dataclass(frozen=True)
class Arm:
    """One assignment and how it scores."""

    name: str
    label: Text
    assignment: dict[str, str]  # family id -> region
    unplaced: tuple[str, ...]
    placed_by_region: dict[str, int]
    predicted: float  # model's expected members employed, all families
    true: float | None  # truth's, on demo data
    predicted_rate: float  # per working-age member
    true_rate: float | None
    uplift_predicted: float | None  # % over actual; None for actual itself or when actual scores 0
    uplift_true: float | None
    solver: str = ""  # method, seconds and gap when a solver made it
    solver_seconds: float | None = None
    solver_gap: float | None = None


@dataclass(frozen=True)
class Series:
    name: str
    label: Text
    values: tuple[float | None, ...]


@dataclass(frozen=True)
class Chart:
    """A grouped bar chart: one group per arm, one bar per series."""

    categories: tuple[str, ...]
    category_labels: tuple[Text, ...]
    unit: Text
    series: tuple[Series, ...]


@dataclass(frozen=True)
class Backtest:
    families: int
    working_age_members: int
    capacities: dict[str, int]  # region -> families
    arms: tuple[Arm, ...]
    oracle_share: float | None  # optimised's true uplift over actual / the oracle's (1.0 = as good)
    chart: Chart
    uplift_chart: Chart
    seed: int

    def arm(self, name: str) -> Arm:
        return next(a for a in self.arms if a.name == name)


def actual_capacities(actual: Mapping[str, str], family_ids: Sequence[str]) -> dict[str, int]:
    """The quota as it was used: families that actually settled in each region."""
    counts: dict[str, int] = {}
    for fid in family_ids:
        counts[actual[fid]] = counts.get(actual[fid], 0) + 1
    return dict(sorted(counts.items()))


def proportional_assignment(ids: Sequence[str], capacities: Mapping[str, int], seed: int) -> dict[str, str]:
    """Families in a random order; each to the region with the lowest share of its capacity filled (ties to
    the lower code), among those with room."""
    order = list(ids)
    random.Random(seed).shuffle(order)
    filled = dict.fromkeys(capacities, 0)
    out: dict[str, str] = {}
    for fid in order:
        open_ = [r for r in sorted(capacities) if filled[r] < capacities[r]]
        if not open_:
            break
        region = min(open_, key=lambda r: (filled[r] / capacities[r], r))
        filled[region] += 1
        out[fid] = region
    return out


def random_assignment(ids: Sequence[str], capacities: Mapping[str, int], seed: int) -> dict[str, str]:
    """Families in a random order; each to a region drawn uniformly among those with room."""
    rng = random.Random(seed + 1)
    order = list(ids)
    rng.shuffle(order)
    left = dict(capacities)
    out: dict[str, str] = {}
    for fid in order:
        open_ = [r for r in sorted(left) if left[r] > 0]
        if not open_:
            break
        region = rng.choice(open_)
        left[region] -= 1
        out[fid] = region
    return out


def _solve(
    families: Sequence[FamilyFacts], regions: Sequence[str], matrix: FloatArray, capacities: Mapping[str, int],
) -> tuple[dict[str, str], Assignment]:
    """The placement solver on the matrix: the most expected employment within the families' capacities."""
    limit = np.array([capacities.get(r, 0) for r in regions], dtype=np.float64)
    result = solve_arrays([f.size for f in families], matrix, family_limit=limit)
    return {f.id: regions[int(c)] for f, c in zip(families, result.region, strict=True) if c >= 0}, result


def _total(assignment: Mapping[str, str], index: Mapping[str, int], column: Mapping[str, int],
           matrix: FloatArray) -> float:
    return float(sum(matrix[index[fid], column[r]] for fid, r in assignment.items()))


def _uplift(value: float | None, base: float | None) -> float | None:
    if value is None or base is None or base <= 0:
        return None
    return (value - base) / base * 100.0


def run_backtest(
    families: Sequence[FamilyFacts], actual: Mapping[str, str], regions: Sequence[str], scores: FloatArray, *,
    truth: FloatArray | None = None, capacities: Mapping[str, int] | None = None, seed: int = 0,
    working_age: WorkingAge | None = None,
) -> Backtest:
    """Compare the assignments of `families` (held out of training) among `regions`.

    `scores` and `truth`: families x regions (expected working-age members employed at 12 months), columns in
    `regions` order, e.g. OutcomeModel.predict_matrix and truth.true_expected_employment. `capacities`:
    families per region (default: as actually used); they must hold every family. Rates are per working-age
    member (`working_age`, 16-62 by default), as the matrices count them."""
    ids = [f.id for f in families]
    if len(set(ids)) != len(ids):
        raise BacktestError("a family appears twice")
    if scores.shape != (len(families), len(regions)) or (truth is not None and truth.shape != scores.shape):
        raise BacktestError(f"score matrices must be {len(families)} x {len(regions)}")
    column = {r: j for j, r in enumerate(regions)}
    missing = [i for i in ids if i not in actual]
    unknown = sorted({actual[i] for i in ids if i in actual and actual[i] not in column})
    if missing or unknown:
        raise BacktestError(
            f"every family needs an actual region among the regions; missing: {missing[:5]}, unknown: {unknown}"
        )
    caps = dict(capacities) if capacities is not None else actual_capacities(actual, ids)
    if any(r not in column for r in caps) or any(n < 0 for n in caps.values()):
        raise BacktestError("capacities must be non-negative and name regions of the matrix")
    if sum(caps.values()) < len(ids):
        raise BacktestError(f"capacities hold {sum(caps.values())} families, {len(ids)} to place")
    index = {fid: i for i, fid in enumerate(ids)}
    members = int(member_table(families, working_age).working_per_family.sum())

    made: list[tuple[str, dict[str, str], Assignment | None]] = [
        (ACTUAL, {i: actual[i] for i in ids}, None),
        (OPTIMISED, *_solve(families, regions, scores, caps)),
        (PROPORTIONAL, proportional_assignment(ids, caps, seed), None),
        (RANDOM, random_assignment(ids, caps, seed), None),
    ]
    if truth is not None:
        made.append((ORACLE, *_solve(families, regions, truth, caps)))

    base_p = _total(made[0][1], index, column, scores)
    base_t = _total(made[0][1], index, column, truth) if truth is not None else None
    arms: list[Arm] = []
    for name, assignment, solution in made:
        predicted = _total(assignment, index, column, scores)
        true = _total(assignment, index, column, truth) if truth is not None else None
        placed: dict[str, int] = dict.fromkeys(sorted(caps), 0)
        for region in assignment.values():
            placed[region] = placed.get(region, 0) + 1
        arms.append(Arm(
            name=name, label=LABELS[name], assignment=assignment,
            unplaced=tuple(i for i in ids if i not in assignment), placed_by_region=placed,
            predicted=predicted, true=true, predicted_rate=predicted / members if members else 0.0,
            true_rate=(true / members if members else 0.0) if true is not None else None,
            uplift_predicted=None if name == ACTUAL else _uplift(predicted, base_p),
            uplift_true=None if name == ACTUAL else _uplift(true, base_t),
            solver=solution.method if solution else "", solver_seconds=solution.seconds if solution else None,
            solver_gap=solution.gap if solution else None,
        ))
    share = None
    if truth is not None and base_t is not None:
        best = arms[-1].true or 0.0
        reached = arms[1].true or 0.0
        if best - base_t > 1e-9:
            share = (reached - base_t) / (best - base_t)
    names = tuple(a.name for a in arms)
    labels = tuple(a.label for a in arms)
    series = [Series("predicted", PREDICTED, tuple(a.predicted for a in arms))]
    uplift = [Series("predicted", PREDICTED, tuple(a.uplift_predicted for a in arms))]
    if truth is not None:
        series.append(Series("true", TRUE, tuple(a.true for a in arms)))
        uplift.append(Series("true", TRUE, tuple(a.uplift_true for a in arms)))
    return Backtest(
        families=len(ids), working_age_members=members, capacities=caps, arms=tuple(arms), oracle_share=share,
        chart=Chart(names, labels, UNIT, tuple(series)),
        uplift_chart=Chart(names[1:], labels[1:], UPLIFT_UNIT, tuple(
            Series(s.name, s.label, s.values[1:]) for s in uplift
        )),
        seed=seed,
    )
