"""How long a kandas selection run of 100,000 applications takes in the database, end to end: prints the
seconds from `selection_run_start` to the proposal written (read the applications and their members, build
the features, score with the grid, rank within the regional quotas, write the results), then the approval
that carries the decisions, status and support to every application. Target: the run under a minute.

Runs against a throw-away SQLite database in a temporary directory (migrated and loaded with the reference
and kandas data first; the applications are written in bulk, outside the timing), or against --database-url
when given (it must be an empty database). The job runs in-process, as a worker would run it.

    .venv/bin/python benchmarks/kandas_selection_db.py --size 100000
    .venv/bin/python benchmarks/kandas_selection_db.py --database-url postgres://postgres@127.0.0.1:5432/bench
"""

import argparse
import random
import sys
import time
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from _database import set_up_database  # benchmarks/ is the folder of the script, so on sys.path

YEAR = 2026
ALMATY = ZoneInfo("Asia/Almaty")
# Shares of education of the working-age kandas (domain.md §2): higher 8.8%, specialised secondary 20.6%,
# general secondary 60.8%, none 9.8%.
EDUCATION = [("6", 0.088), ("4", 0.206), ("3", 0.608), ("", 0.098)]
ORIGIN = [("UZ", 0.616), ("CN", 0.142), ("MN", 0.092), ("TM", 0.068), ("RU", 0.046), ("AF", 0.036)]
OCCUPATIONS = ["2211", "2341", "3221", "6111", "7231", "8332", "9211", "2142", ""]


def pick(rng: random.Random, table):
    return rng.choices([v for v, _ in table], weights=[w for _, w in table])[0]


def write_applications(size: int, seed: int, batch: int) -> int:
    """`size` recommended applications of YEAR with families of 1 to 7 persons, written in bulk."""
    from koshiqon.kandas.models import ApplicantMember, Application
    from koshiqon.people.models import Family, FamilyMember, Person
    from koshiqon.reference.models import Country, EducationLevel, Occupation, Region

    rng = random.Random(seed)
    regions = list(Region.objects.filter(valid_to__isnull=True).values_list("id", "code"))
    countries = dict(Country.objects.values_list("alpha2", "id"))
    education = dict(EducationLevel.objects.values_list("code", "id"))
    occupations = dict(Occupation.objects.values_list("code", "id"))
    start = datetime(YEAR, 1, 5, 9, 0, tzinfo=ALMATY)
    persons_written = 0
    for first in range(0, size, batch):
        count = min(batch, size - first)
        heads, households = [], []
        for i in range(first, first + count):
            region_id, _code = rng.choice(regions)
            size_i = min(7, max(1, int(rng.gauss(3.7, 1.6))))
            country = countries.get(pick(rng, ORIGIN)) or countries["UZ"]
            born = date(1960, 1, 1) + timedelta(days=rng.randrange(0, 365 * 40))
            members = [Person(last_name=f"Бенч{i}", first_name="Бас", birth_date=born, sex="M", region_id=region_id,
                              citizenship_id=country, name_key=f"bench {i}")]
            for k in range(1, size_i):
                child_born = date(2008, 1, 1) + timedelta(days=rng.randrange(0, 365 * 17))
                members.append(Person(last_name=f"Бенч{i}", first_name=f"Мүше{k}", birth_date=child_born, sex="F",
                                      region_id=region_id, citizenship_id=country, name_key=f"bench {i} {k}"))
            households.append((i, region_id, members))
            heads.append(members[0])
        Person.objects.bulk_create([p for _, _, members in households for p in members], batch_size=5000)
        families = Family.objects.bulk_create(
            [Family(region_id=region_id, name=f"Бенч {i}") for i, region_id, _ in households], batch_size=5000)
        FamilyMember.objects.bulk_create(
            [FamilyMember(family=f, person=p, relation="head" if k == 0 else "child")
             for f, (_, _, members) in zip(families, households, strict=True) for k, p in enumerate(members)],
            batch_size=5000)
        apps = Application.objects.bulk_create([
            Application(number=f"B-{YEAR}-{i:06d}", year=YEAR, family=f, head=members[0], region_id=region_id,
                        channel="egov", applied_at=start + timedelta(minutes=rng.randrange(0, 60 * 24 * 200)),
                        status="recommended")
            for f, (i, region_id, members) in zip(families, households, strict=True)
        ], batch_size=5000)
        rows = []
        for app, (_, _, members) in zip(apps, households, strict=True):
            level = pick(rng, EDUCATION)
            occupation = rng.choice(OCCUPATIONS)
            rows.append(ApplicantMember(
                application=app, person=members[0], relation="head", education_id=education.get(level),
                occupation_id=occupations.get(occupation), experience_years=rng.randrange(0, 30),
                kazakh=rng.choice(["none", "basic", "fluent"])))
            rows.extend(ApplicantMember(application=app, person=p, relation="child") for p in members[1:])
        ApplicantMember.objects.bulk_create(rows, batch_size=5000)
        persons_written += sum(len(m) for _, _, m in households)
    return persons_written


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--batch-size", type=int, default=10_000)
    parser.add_argument("--database-url", default="")
    parser.add_argument("--skip-approval", action="store_true", help="Time the run only.")
    args = parser.parse_args()

    # The job runs in this process when its record is committed, as a worker would run it.
    workdir = set_up_database(
        args.database_url, TASKS_BACKEND="django_tasks.backends.immediate.ImmediateBackend"
    )
    from django.db import connection

    from koshiqon.accounts.models import User
    from koshiqon.kandas.models import Application, SelectionRun
    from koshiqon.kandas.services.quotas import kandas_data_load
    from koshiqon.kandas.services.selection import selection_run_approve, selection_run_start

    if Application.objects.exists():
        print("the database already holds kandas applications: give an empty one", file=sys.stderr)
        return 1
    kandas_data_load(by="benchmark")
    national = User.objects.create(username="bench-national", role="national_officer")

    started = time.perf_counter()
    persons = write_applications(args.size, args.seed, args.batch_size)
    print(f"database: {connection.vendor}")
    print(f"written (not timed): {args.size:,} applications, {persons:,} persons, "
          f"in {time.perf_counter() - started:.1f} s")

    started = time.perf_counter()
    run = selection_run_start(year=YEAR, by=national)
    run_seconds = time.perf_counter() - started
    run = SelectionRun.objects.get(pk=run.pk)
    if run.status != "proposed":
        print(f"the run ended as {run.status}", file=sys.stderr)
        return 1
    print(f"selection run: {run_seconds:.1f} s for {run.summary['total']:,} applications "
          f"({run.summary['total'] / run_seconds:,.0f} a second); decisions {run.summary['decisions']}")
    print(f"target: under 60 s: {'met' if run_seconds < 60 else 'NOT met'}")

    if not args.skip_approval:
        started = time.perf_counter()
        selection_run_approve(run=run, by=national, reason="benchmark")
        seconds = time.perf_counter() - started
        print(f"approval (decisions, explanations, support, one audit event each): {seconds:.1f} s")
    workdir.cleanup()
    return 0


if __name__ == "__main__":
    sys.exit(main())
