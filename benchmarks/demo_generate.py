"""How fast `koshiqon demo --size N` writes synthetic persons: prints persons per second, next to a baseline
measured in the same run: the same kind of rows saved one at a time, each in its own transaction (as a naive
loader would), on a sample of --baseline-size persons.

Runs against a throw-away SQLite database in a temporary directory (migrated and loaded with the reference
data first, outside the timing), or against --database-url when given (it must be an empty database).

    .venv/bin/python benchmarks/demo_generate.py --size 100000
"""

import argparse
import sys
import time

from _database import set_up_database  # benchmarks/ is the folder of the script, so on sys.path


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--batch-size", type=int, default=5000)
    parser.add_argument("--baseline-size", type=int, default=2000)
    parser.add_argument("--database-url", default="")
    args = parser.parse_args()

    workdir = set_up_database(args.database_url)
    from django.db import connection

    from koshiqon.demo.generator import demo_generate
    from koshiqon.people.models import Person

    if Person.objects.exists():
        print("the database already holds persons: give an empty one", file=sys.stderr)
        return 1

    started = time.perf_counter()
    outcome = demo_generate(size=args.size, seed=args.seed, batch_size=args.batch_size)
    seconds = time.perf_counter() - started
    print(f"database: {connection.vendor}")
    print(f"persons: {outcome.persons}, households: {outcome.families}, passports: {outcome.documents}")
    print(f"seconds: {seconds:.1f}")
    print(f"persons per second: {outcome.persons / seconds:,.0f}")
    print(f"estimated time for 1,000,000 persons: {1_000_000 / (outcome.persons / seconds) / 60:.1f} min")

    # Baseline: copies of generated persons saved row by row, one transaction each.
    from django.db import transaction

    sample = list(Person.objects.order_by("id")[: args.baseline_size])
    started = time.perf_counter()
    for p in sample:
        p.pk, p.id, p.iin = None, None, None
        with transaction.atomic():
            p.save()
    base_rate = len(sample) / (time.perf_counter() - started)
    # Synthesis alone (names, IINs, MRZs), the same amount of work in memory, so that writing can be compared
    # with the baseline like for like.
    from koshiqon.demo.population import Synthesizer
    from koshiqon.demo.synth import DemoConfig

    started = time.perf_counter()
    made = 0
    for family in Synthesizer(args.seed + 1, DemoConfig()).households(args.size):
        made += len(family.members)
    synth_seconds = time.perf_counter() - started
    write_rate = outcome.persons / max(seconds - synth_seconds, 1e-9)
    print(f"synthesis alone: {made / synth_seconds:,.0f} persons per second")
    print(f"writing alone (total minus synthesis): {write_rate:,.0f} persons per second")
    print(f"baseline, row by row, one transaction each (writing only): {base_rate:,.0f} persons per second"
          f" ({len(sample)} persons)")
    print(f"ratio, writing: {write_rate / base_rate:.1f}x the row-by-row baseline")
    workdir.cleanup()
    return 0


if __name__ == "__main__":
    sys.exit(main())
