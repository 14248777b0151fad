"""How fast `koshiqon placement solve` assigns 100,000 families to 20 regions, with limits in families (target:
optimal in under 1 second) and in persons (target: within 0.1 % of the LP bound in under 10 seconds), each next
to a generic LP solve of the same instance by HiGHS in the same run (the LP relaxation, whole: 2,000,000
columns); then, separately, the full file round trip of the command (read FAMILIES.csv, REGIONS.csv and the
1,800,000 rows of SCORES.csv, solve, write OUT.csv).

The instance is synthetic and seeded: family sizes as the kandas families of domain.md §2; a score per family
and region that looks like a probability of employment (a family effect, a region effect and noise through a
logistic curve, four decimals); one pair in ten not allowed (a need the region cannot meet); each region's
capacity 110 % of its share of the demand (shares drawn at random, so some regions are wanted more than others).

HiGHS runs with `--highs-solver ipm` by default (interior point, then crossover to an exact vertex): on this
instance it is several times faster than HiGHS's default choice, the dual simplex (`--highs-solver simplex`,
minutes), so the comparison does not flatter the solver under test.

    .venv/bin/python benchmarks/placement_solve.py [--families 100000] [--regions 20] [--seed 1]
        [--highs-solver ipm|simplex|choose] [--no-highs] [--no-files]
"""

import argparse
import io
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from koshiqon.placement.domain.assign import Assignment, solve_arrays  # noqa: E402
from koshiqon.placement.solve_cli import run  # noqa: E402

# The 20 regions of domain.md §1.
REGIONS = ["KZ-10", "KZ-11", "KZ-15", "KZ-19", "KZ-23", "KZ-27", "KZ-31", "KZ-33", "KZ-35", "KZ-39", "KZ-43",
           "KZ-47", "KZ-55", "KZ-59", "KZ-61", "KZ-62", "KZ-63", "KZ-71", "KZ-75", "KZ-79"]


def instance(families: int, regions: int, seed: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(sizes, score with NaN where not allowed, family capacities, person capacities)."""
    rng = np.random.default_rng(seed)
    sizes = rng.choice(np.arange(1, 10), families, p=[.12, .14, .18, .2, .16, .1, .05, .03, .02]).astype(np.int64)
    effect = rng.normal(0, 1, (families, 1)) + rng.normal(0, 0.5, (1, regions)) + rng.normal(0, 0.7, (families, regions))
    score = np.round(1 / (1 + np.exp(-effect)), 4)
    score[rng.random((families, regions)) < 0.1] = np.nan
    share = rng.dirichlet(np.full(regions, 2.0))
    return sizes, score, np.ceil(1.1 * families * share), np.ceil(1.1 * sizes.sum() * share)


def highs_lp(sizes: np.ndarray, score: np.ndarray, capacity: np.ndarray, persons: bool, solver: str) -> tuple[float, float, str]:
    """The LP relaxation of the whole instance handed to HiGHS as it is: a column per allowed pair, a row per
    family (at most one region) and per region (its capacity). Returns (seconds, objective, status)."""
    import highspy

    started = time.perf_counter()
    n, regions = score.shape
    family, region = np.nonzero(~np.isnan(score))
    arcs = family.size
    lp = highspy.HighsLp()
    lp.num_col_, lp.num_row_ = arcs, n + regions
    lp.col_cost_ = -score[family, region]
    lp.col_lower_, lp.col_upper_ = np.zeros(arcs), np.ones(arcs)
    lp.row_lower_ = np.full(n + regions, -highspy.kHighsInf)
    lp.row_upper_ = np.concatenate([np.ones(n), capacity.astype(float)])
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_ = np.arange(0, 2 * arcs + 1, 2, dtype=np.int32)
    index = np.empty(2 * arcs, dtype=np.int32)
    index[0::2], index[1::2] = family, n + region
    value = np.ones(2 * arcs)
    if persons:
        value[1::2] = sizes[family]
    lp.a_matrix_.index_, lp.a_matrix_.value_ = index, value
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.setOptionValue("solver", solver)
    h.passModel(lp)
    h.run()
    return time.perf_counter() - started, -h.getInfo().objective_function_value, h.modelStatusToString(h.getModelStatus())


def ours(sizes, score, family_cap, person_cap, repeat: int) -> tuple[float, Assignment]:
    best, result = float("inf"), None
    for _ in range(repeat):
        started = time.perf_counter()
        result = solve_arrays(sizes, score, family_cap, person_cap)
        best = min(best, time.perf_counter() - started)
    assert result is not None
    return best, result


def check(result: Assignment, sizes, score, family_cap, person_cap) -> None:
    placed = result.region >= 0
    assert not np.isnan(score[placed, result.region[placed]]).any(), "a family went where it may not"
    families = np.bincount(result.region[placed], minlength=score.shape[1])
    persons = np.bincount(result.region[placed], weights=sizes[placed], minlength=score.shape[1])
    assert (families <= (family_cap if family_cap is not None else np.inf)).all(), "a family limit was exceeded"
    assert (persons <= (person_cap if person_cap is not None else np.inf)).all(), "a person limit was exceeded"


def write_files(folder: Path, sizes, score, capacity, unit: str) -> float:
    ids = [f"F{i:06d}" for i in range(1, sizes.size + 1)]
    (folder / "FAMILIES.csv").write_text("id,size\n" + "".join(f"{i},{s}\n" for i, s in zip(ids, sizes.tolist(), strict=True)),
                                         encoding="utf-8")
    (folder / "REGIONS.csv").write_text(
        "region,capacity,unit\n" + "".join(f"{r},{int(c)},{unit}\n" for r, c in zip(REGIONS, capacity, strict=False)),
        encoding="utf-8")
    family, region = np.nonzero(~np.isnan(score))
    values = score[family, region].tolist()
    with open(folder / "SCORES.csv", "w", encoding="utf-8") as handle:
        handle.write("family_id,region,score\n")
        handle.writelines(f"{ids[f]},{REGIONS[r]},{v}\n" for f, r, v in zip(family.tolist(), region.tolist(), values, strict=True))
    return (folder / "SCORES.csv").stat().st_size / 1e6


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--families", type=int, default=100_000)
    parser.add_argument("--regions", type=int, default=20, choices=range(1, len(REGIONS) + 1), metavar="1..20")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=3, help="runs of the solver; the best time is reported")
    parser.add_argument("--highs-solver", default="ipm", choices=["ipm", "simplex", "choose"])
    parser.add_argument("--no-highs", action="store_true", help="skip the HiGHS baseline")
    parser.add_argument("--no-files", action="store_true", help="skip the file round trip")
    args = parser.parse_args()

    sizes, score, family_cap, person_cap = instance(args.families, args.regions, args.seed)
    allowed = int((~np.isnan(score)).sum())
    print(f"families: {args.families:,} ({int(sizes.sum()):,} persons), regions: {args.regions}, allowed pairs: "
          f"{allowed:,} (seed {args.seed}); capacity 110 % of demand")
    for unit, caps, target in (("families", (family_cap, None), "optimal in < 1 s"),
                               ("persons", (None, person_cap), "within 0.1 % of the LP bound in < 10 s")):
        seconds, result = ours(sizes, score, *caps, args.repeat)
        check(result, sizes, score, *caps)
        print(f"\n[{unit}] koshiqon ({result.method}), best of {args.repeat}: {seconds:.2f} s; placed {result.placed:,}; "
              f"objective {result.objective:.4f}; bound {result.bound:.4f}; gap {result.gap:.2e}   (target: {target})")
        if not args.no_highs:
            lp_seconds, lp_objective, status = highs_lp(sizes, score, caps[0] if unit == "families" else caps[1],
                                                        unit == "persons", args.highs_solver)
            print(f"[{unit}] HiGHS LP ({args.highs_solver}), whole instance: {lp_seconds:.2f} s; {status}; "
                  f"objective {lp_objective:.4f}")
            print(f"[{unit}] ratio: {lp_seconds / seconds:.1f}x faster; koshiqon's objective is "
                  f"{(lp_objective - result.objective) / lp_objective:.2e} below the HiGHS LP optimum")

    if not args.no_files:
        for unit, caps in (("families", family_cap), ("persons", person_cap)):
            with tempfile.TemporaryDirectory(prefix="koshiqon-placement-") as name:
                folder = Path(name)
                megabytes = write_files(folder, sizes, score, caps, unit)
                started = time.perf_counter()
                code = run(folder / "FAMILIES.csv", folder / "REGIONS.csv", folder / "SCORES.csv", folder / "OUT.csv",
                           stdout=io.StringIO())
                seconds = time.perf_counter() - started
                if code:
                    print(f"the file round trip failed with exit code {code}", file=sys.stderr)
                    return code
                print(f"\n[{unit}] file round trip (read {megabytes:.0f} MB SCORES.csv with {allowed:,} rows, solve, "
                      f"write OUT.csv): {seconds:.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
