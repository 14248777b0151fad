"""How fast `koshiqon kandas rank` ranks applicants: applicants per second through the command's own code
(scoring and ranking, in memory), next to the same 7-criterion grid scored row by row in plain Python
(`score_one` in a loop) in the same run, and the ratio; then, separately, the full file round trip (read
APPLICANTS.csv, rank, write RESULT.csv). Targets (issue 3): >= 1,000,000 applicants a second and >= 30 times
the row-by-row baseline.

The applicants are held in memory as the command's reader holds them (text and numeric feature columns
dictionary-encoded: `Categorical`), so the in-memory figure is the command's computation without the file
reading and writing, which the round trip times. The applicants are synthetic and seeded (the shares of domain.md §2: education of the working-age, origin of
the families); the quotas are the 2026 regional split for kandas, in persons (domain.md §2, M).

    .venv/bin/python benchmarks/kandas_rank.py [--size 1000000] [--baseline-size 100000] [--no-files]
"""

import argparse
import io
import json
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from koshiqon.kandas.domain.files import Applicants  # noqa: E402
from koshiqon.kandas.domain.grid import Grid  # noqa: E402
from koshiqon.kandas.domain.ranking import Quota  # noqa: E402
from koshiqon.kandas.domain.scoring import Categorical, format_points, score_one  # noqa: E402
from koshiqon.kandas.rank_cli import rank_applicants, run  # noqa: E402

GRID = {
    "name": "Benchmark grid (7 criteria)", "valid_from": "2026-01-01",
    "legal_basis": "Synthetic, for the benchmark only", "pass_mark": 25,
    "criteria": [
        {"field": "education", "kind": "map", "points": {"1": 0, "2": 2, "3": 5, "4": 10, "5": 12, "6": 20, "7": 25, "8": 25},
         "max": 22},
        {"field": "deficit_occupation", "kind": "member", "values": ["yes"], "points": 15},
        {"field": "experience_years", "kind": "bands",
         "bands": [{"min": 1, "max": 3, "points": 4}, {"min": 3, "max": 5, "points": 8}, {"min": 5, "max": 10, "points": 12},
                   {"min": 10, "points": 15}]},
        {"field": "age", "kind": "bands",
         "bands": [{"min": 18, "max": 30, "points": 10}, {"min": 30, "max": 45, "points": 8}, {"min": 45, "max": 55, "points": 4}]},
        {"field": "kazakh", "kind": "map", "points": {"basic": 5, "fluent": 10}},
        {"field": "children", "kind": "bands", "bands": [{"min": 1, "max": 3, "points": 3}, {"min": 3, "points": 6}]},
        {"field": "priority", "kind": "member", "values": ["large_family", "disabled", "orphan"], "points": 5},
    ],
}
# 2026 regional split for kandas, persons (domain.md §2).
QUOTAS = {"KZ-55": 977, "KZ-11": 285, "KZ-10": 264, "KZ-63": 200, "KZ-59": 200, "KZ-39": 200, "KZ-23": 125, "KZ-27": 30}
# Preferred regions: mostly the resettlement regions, some asking for a region without a quota.
REGIONS = [*QUOTAS, "KZ-75", "KZ-71", "KZ-61", "KZ-47"]
REGION_SHARES = [0.16, 0.1, 0.08, 0.1, 0.1, 0.08, 0.06, 0.06, 0.08, 0.06, 0.07, 0.05]


def categorical(rng: np.random.Generator, values: list[str], shares: list[float], size: int) -> Categorical:
    return Categorical(rng.choice(len(values), size, p=shares), np.array(values))


def numbers(values: np.ndarray) -> Categorical:
    distinct, codes = np.unique(values, return_inverse=True)
    return Categorical(codes.reshape(-1), distinct.astype(np.float64))


def applicants(size: int, seed: int) -> Applicants:
    """The applicants as `read_applicants` holds them: feature and region columns dictionary-encoded."""
    rng = np.random.default_rng(seed)
    start = np.datetime64("2026-01-05T09:00:00", "us")
    return Applicants(
        ids=np.arange(1, size + 1).astype(np.str_),
        id_keys=np.arange(1, size + 1, dtype=np.int64),
        regions=categorical(rng, REGIONS, REGION_SHARES, size),
        applied_at=start + rng.integers(0, 300 * 86_400, size).astype("timedelta64[s]"),
        sizes=rng.choice(np.arange(1, 10), size, p=[.12, .14, .18, .2, .16, .1, .05, .03, .02]).astype(np.int64),
        features={
            # Education of the working-age kandas (domain.md §2): higher 8.8%, specialised secondary 20.6%,
            # general secondary 60.8%, none 9.8%.
            "education": categorical(rng, ["1", "3", "4", "5", "6", "7"], [.098, .608, .12, .086, .078, .01], size),
            "deficit_occupation": categorical(rng, ["no", "yes"], [.75, .25], size),
            "experience_years": numbers(np.round(rng.gamma(2.0, 4.0, size), 1)),
            "age": numbers(rng.integers(18, 66, size)),
            "kazakh": categorical(rng, ["none", "basic", "fluent"], [.1, .35, .55], size),
            "children": numbers(rng.poisson(1.6, size)),
            "priority": categorical(rng, ["none", "large_family", "disabled", "orphan"], [.85, .1, .04, .01], size),
        },
    )


def write_files(folder: Path, data: Applicants) -> None:
    (folder / "GRID.json").write_text(json.dumps(GRID), encoding="utf-8")
    (folder / "QUOTA.csv").write_text(
        "region,quota,unit\n" + "".join(f"{r},{q},persons\n" for r, q in QUOTAS.items()), encoding="utf-8")
    fields = list(data.features)
    moments = np.datetime_as_string(data.applied_at, unit="s").tolist()
    columns = [data.ids.tolist(), data.regions.decode().tolist(), moments, data.sizes.astype(np.str_).tolist()]
    for field in fields:
        column = data.features[field]
        text = [format_points(v) for v in column.categories.tolist()] if column.categories.dtype.kind == "f" \
            else column.categories.tolist()
        columns.append(np.array(text)[column.codes].tolist())
    with open(folder / "APPLICANTS.csv", "w", encoding="utf-8") as handle:
        handle.write(",".join(["id", "region", "applied_at", "size", *fields]) + "\n")
        handle.writelines(",".join(row) + "\n" for row in zip(*columns, strict=True))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--baseline-size", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3, help="in-memory runs; the best is reported")
    parser.add_argument("--no-files", action="store_true", help="skip the file round trip")
    args = parser.parse_args()

    grid = Grid.model_validate(GRID)
    quotas = {region: Quota(amount, "persons") for region, amount in QUOTAS.items()}
    data = applicants(args.size, args.seed)

    best = float("inf")
    for _ in range(args.repeat):
        started = time.perf_counter()
        scores, ranking = rank_applicants(grid, data, quotas)
        best = min(best, time.perf_counter() - started)
    fast = args.size / best

    sample = min(args.baseline_size, args.size)
    decoded = [data.features[f].decode()[:sample].tolist() for f in data.features]
    rows = [dict(zip(data.features, values, strict=True)) for values in zip(*decoded, strict=True)]
    started = time.perf_counter()
    reference = [score_one(grid, row).total for row in rows]
    slow_seconds = time.perf_counter() - started
    slow = sample / slow_seconds
    assert np.array_equal(np.array(reference), scores.total[:sample]), "row by row and vectorised disagree"

    counts = np.bincount(ranking.decision, minlength=3)
    print(f"applicants: {args.size:,} (seed {args.seed}), grid: {len(grid.criteria)} criteria, "
          f"regions with a quota: {len(quotas)} (2026 split, persons)")
    print(f"decisions: included {counts[0]:,}, waitlisted {counts[1]:,}, ineligible {counts[2]:,}")
    print(f"vectorised, scoring + ranking in memory (best of {args.repeat}): {best:.3f} s, "
          f"{fast:,.0f} applicants/s")
    print(f"row by row, score_one in a loop on {sample:,} applicants (scoring only, no ranking), extrapolated to "
          f"{args.size:,}: {slow_seconds * args.size / sample:.2f} s, {slow:,.0f} applicants/s")
    print(f"ratio: {fast / slow:.1f}x   (targets: >= 1,000,000 applicants/s and >= 30x)")

    if not args.no_files:
        with tempfile.TemporaryDirectory(prefix="koshiqon-rank-") as name:
            folder = Path(name)
            write_files(folder, data)
            megabytes = (folder / "APPLICANTS.csv").stat().st_size / 1e6
            started = time.perf_counter()
            code = run(folder / "GRID.json", folder / "APPLICANTS.csv", folder / "QUOTA.csv",
                       folder / "RESULT.csv", stdout=io.StringIO())
            seconds = time.perf_counter() - started
            if code:
                print(f"the file round trip failed with exit code {code}", file=sys.stderr)
                return code
            print(f"file round trip (read {megabytes:.0f} MB APPLICANTS.csv, rank, write RESULT.csv): "
                  f"{seconds:.2f} s, {args.size / seconds:,.0f} applicants/s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
