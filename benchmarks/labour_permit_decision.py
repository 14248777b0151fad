"""How fast the permit-decision endpoint answers under load, next to a trivial endpoint of the same server.

A real server (gunicorn, several worker processes with threads, as `koshiqon serve` runs it) on a throw-away
PostgreSQL database; 20 concurrent clients (threads, each with its own keep-alive connection and an officer's
API token) first call the trivial endpoint (GET /api/v1/me) for --seconds, then the decision endpoint (POST
/api/v1/labour/permit-applications/{id}/decide, each request deciding a fresh application under the 2025
exchange regime: vacancy, staff, jobseekers, quota, fee, the permit issued and audited) for --seconds. Prints
throughput (requests per second), p50 and p95 latency of each, the ratio of throughputs, the queries one
decision makes, and whether the targets are met: p95 under 150 ms and at least a quarter of the trivial
endpoint's throughput.

    .venv/bin/python benchmarks/labour_permit_decision.py                      # throw-away DB on 127.0.0.1
    .venv/bin/python benchmarks/labour_permit_decision.py --server postgres://postgres@127.0.0.1:5432 \\
        --clients 20 --seconds 20 --workers 2 --threads 4
    .venv/bin/python benchmarks/labour_permit_decision.py --database-url postgres://.../empty_db

The database is created (and dropped at the end) on --server unless --database-url names an empty one.
"""

import argparse
import http.client
import json
import os
import socket
import statistics
import subprocess
import sys
import threading
import time
import uuid
from datetime import date, timedelta

from _database import ROOT, set_up_database  # benchmarks/ is the folder of the script, so on sys.path

sys.path.insert(0, str(ROOT))
from koshiqon.cli import DEFAULT_THREADS, default_workers  # noqa: E402 (the same defaults as `koshiqon serve`)

P95_TARGET_MS = 150
RATIO_TARGET = 0.25


def _create_database(server: str) -> tuple[str, str]:
    import psycopg

    name = f"koshiqon_bench_permits_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(f"{server.rstrip('/')}/postgres", autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return name, f"{server.rstrip('/')}/{name}"


def _drop_database(server: str, name: str) -> None:
    import psycopg

    with psycopg.connect(f"{server.rstrip('/')}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def prepare(applications: int, *, one_allocation: bool = False) -> tuple[str, list[int], int]:
    """The scene: a roomy quota in every region and category 1-4, employers with staff, vacancies, jobseekers,
    `applications` submitted ones spread over the regions and categories as a national workload is (or all in
    one region and category with `one_allocation`), written in bulk outside the timing, and a national officer
    with an API token. Returns the token, the application ids, and the number of queries one decision makes
    (measured in-process on an extra one)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from koshiqon.accounts.models import User
    from koshiqon.accounts.services import api_token_create
    from koshiqon.core.calendar import work_calendar
    from koshiqon.labour.domain import terms
    from koshiqon.labour.models import (
        Employer,
        EmployerStaff,
        Jobseeker,
        LabourQuota,
        PermitApplication,
        QuotaAllocation,
        Vacancy,
    )
    from koshiqon.labour.services.permit_decision import permit_application_decide
    from koshiqon.people.domain.iin import make_bin
    from koshiqon.people.models import Person
    from koshiqon.reference.models import Country, Occupation, Region

    today = date.today()
    applied = today - timedelta(days=1)
    regions = list(Region.objects.filter(valid_to__isnull=True).order_by("code"))
    categories = ["1", "2", "3", "4"]
    if one_allocation:  # the worst case: every decision queues on the same quota row
        regions, categories = [r for r in regions if r.code == "KZ-55"], ["3"]
    occupation = Occupation.objects.filter(code__startswith="214").order_by("-level", "code").first()
    uz = Country.objects.get(alpha2="UZ")
    quota = LabourQuota.objects.create(year=applied.year, legal_act="Benchmark quota")
    QuotaAllocation.objects.bulk_create([QuotaAllocation(quota=quota, region=r, category=c, places=applications + 100)
                                         for r in regions for c in categories])
    employers = Employer.objects.bulk_create([
        Employer(bin=make_bin(date(2015, 3, 1), "4", "0", 1000 + i), name=f"Bench employer {i}",
                 region=regions[i % len(regions)], sector="F") for i in range(50)])
    EmployerStaff.objects.bulk_create([EmployerStaff(employer=e, category=c, citizens=1_000_000, foreigners=0,
                                                     as_of=today) for e in employers for c in categories])
    vacancies = Vacancy.objects.bulk_create([
        Vacancy(exchange_id=f"BENCH-{r.code}", employer=employers[i % 50], employer_bin=employers[i % 50].bin,
                title="Engineer", occupation=occupation, region=r, wage=400_000, posted_on=applied - timedelta(days=30))
        for i, r in enumerate(regions)])
    Jobseeker.objects.bulk_create([Jobseeker(registration=f"BJS-{i}", occupation=occupation,
                                             region=regions[i % len(regions)], registered_on=date(2024, 1, 1))
                                   for i in range(5000)])
    workers = Person.objects.bulk_create([
        Person(last_name=f"WORKER{i}", first_name="BENCH", last_name_latin=f"WORKER{i}", first_name_latin="BENCH",
               birth_date=date(1990, 1, 1), sex="M", citizenship=uz, region=regions[i % len(regions)],
               name_key=f"worker{i} bench")
        for i in range(applications + 1)], batch_size=5000)
    due = terms.decision_due(applied, work_calendar())
    rows = PermitApplication.objects.bulk_create([
        PermitApplication(number=f"WPA-{applied.year}-{i + 1:06d}", employer=employers[i % 50],
                          region=regions[i % len(regions)], category=categories[(i // len(regions)) % len(categories)],
                          occupation=occupation, worker=w, months=12, applied_on=applied,
                          vacancy=vacancies[i % len(regions)], decision_due=due)
        for i, w in enumerate(workers)], batch_size=5000)
    officer = User.objects.create_user("bench_officer", password=uuid.uuid4().hex, role="national_officer")
    token = api_token_create(user=officer, name="benchmark", by=officer)[1]
    probe = rows.pop()
    with CaptureQueriesContext(connection) as queries:
        decided = permit_application_decide(application=probe, by=officer)
    assert decided.status == "granted", decided.reasons
    return token, [r.pk for r in rows], len(queries.captured_queries)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_up(port: int, token: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", "/api/v1/me", headers={"Authorization": f"Bearer {token}"})
            if conn.getresponse().status == 200:
                return
        except OSError:
            pass
        time.sleep(0.3)
    raise SystemExit("the server did not start")


def drive(port: int, token: str, *, clients: int, seconds: float, request) -> tuple[list[float], int]:
    """`clients` threads call `request(conn)` in a loop for `seconds`; returns the latencies (ms) and errors."""
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    stop_at = [0.0]
    start = threading.Barrier(clients, action=lambda: stop_at.__setitem__(0, time.monotonic() + seconds))

    def client() -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        mine: list[float] = []
        bad = 0
        start.wait()
        while time.monotonic() < stop_at[0]:
            began = time.perf_counter()
            try:
                status = request(conn)
            except (OSError, http.client.HTTPException):
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                status = 0
            if status is None:
                break
            if status != 200:
                bad += 1
            mine.append((time.perf_counter() - began) * 1000)
        conn.close()
        with lock:
            latencies.extend(mine)
            errors[0] += bad

    threads = [threading.Thread(target=client) for _ in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return latencies, errors[0]


class WaitSampler(threading.Thread):
    """Samples what the database sessions of the run wait for, every 100 ms (pg_stat_activity): where the
    time of a decision goes when many run at once (row locks, the client, I/O)."""

    def __init__(self, url: str) -> None:
        super().__init__(daemon=True)
        self.url, self.counts, self.stop = url, {}, threading.Event()

    def run(self) -> None:
        import psycopg

        with psycopg.connect(self.url, autocommit=True) as conn:
            while not self.stop.wait(0.1):
                rows = conn.execute(
                    "SELECT coalesce(wait_event_type, 'CPU'), coalesce(wait_event, '-'), state, "
                    "split_part(left(query, 60), ' FROM', 1) FROM pg_stat_activity "
                    "WHERE datname = current_database() AND pid <> pg_backend_pid() AND state <> 'idle'").fetchall()
                for row in rows:
                    key = " | ".join(str(v) for v in row)
                    self.counts[key] = self.counts.get(key, 0) + 1

    def report(self) -> None:
        total = sum(self.counts.values()) or 1
        print("where busy sessions were (share of samples):")
        for key, n in sorted(self.counts.items(), key=lambda item: -item[1])[:8]:
            print(f"  {100 * n / total:5.1f}%  {key}")


def summary(name: str, latencies: list[float], errors: int, seconds: float) -> dict:
    ordered = sorted(latencies)
    p95 = ordered[max(0, int(len(ordered) * 0.95) - 1)] if ordered else float("nan")
    figures = {"requests": len(ordered), "errors": errors, "rps": len(ordered) / seconds,
               "p50": statistics.median(ordered) if ordered else float("nan"), "p95": p95}
    print(f"{name:<26} {figures['requests']:>7} requests  {figures['rps']:>8.1f} req/s  p50 {figures['p50']:>7.1f} ms"
          f"  p95 {figures['p95']:>7.1f} ms  errors {errors}")
    return figures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--server", default="postgres://postgres@127.0.0.1:5432",
                        help="PostgreSQL server on which a throw-away database is created and dropped")
    parser.add_argument("--database-url", default="", help="an existing EMPTY database to use instead")
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=15)
    parser.add_argument("--workers", type=int, default=default_workers(),
                        help="gunicorn worker processes (default: as `koshiqon serve`, one per CPU, at least 2)")
    parser.add_argument("--threads", type=int, default=DEFAULT_THREADS,
                        help="threads per worker (gthread; default as `koshiqon serve`)")
    parser.add_argument("--worker-class", default="gthread", choices=("gthread", "sync"),
                        help="gthread (as `koshiqon serve`) or sync: one request per process at a time")
    parser.add_argument("--applications", type=int, default=0, help="applications prepared (default: enough)")
    parser.add_argument("--one-allocation", action="store_true",
                        help="every application in one region and category: all decisions queue on one quota row")
    args = parser.parse_args()

    created = ""
    url = args.database_url
    if not url:
        created, url = _create_database(args.server)
    # Persistent connections, as a production deployment sets them; the same for both endpoints.
    environment = {"DB_CONN_MAX_AGE": "60", "LOG_LEVEL": "WARNING"}
    workdir = set_up_database(url, **environment)
    server = None
    try:
        applications = args.applications or int(args.seconds * 600) + 1000
        started = time.monotonic()
        token, ids, queries = prepare(applications, one_allocation=args.one_allocation)
        print(f"prepared {len(ids)} applications in {time.monotonic() - started:.1f} s; "
              f"one decision makes {queries} queries")
        from django.db import connections

        connections.close_all()
        port = _free_port()
        env = os.environ | environment | {"PYTHONPATH": str(ROOT)}
        server = subprocess.Popen(  # noqa: S603 (our own argument list)
            [sys.executable, "-m", "gunicorn", "config.wsgi:application", "--bind", f"127.0.0.1:{port}",
             "--worker-class", args.worker_class, "--workers", str(args.workers), "--threads", str(args.threads),
             "--backlog", "256", "--log-level", "warning"], cwd=ROOT, env=env)
        _wait_up(port, token)
        auth = {"Authorization": f"Bearer {token}"}

        def trivial(conn) -> int:
            conn.request("GET", "/api/v1/me", headers=auth)
            response = conn.getresponse()
            response.read()
            return response.status

        queue = iter(ids)
        queue_lock = threading.Lock()

        def decide(conn) -> int | None:
            with queue_lock:
                pk = next(queue, None)
            if pk is None:
                return None
            conn.request("POST", f"/api/v1/labour/permit-applications/{pk}/decide", headers=auth)
            response = conn.getresponse()
            body = json.loads(response.read())
            if response.status == 200 and body.get("status") != "granted":
                return 599
            return response.status

        spread = "one region and category" if args.one_allocation else "every region, categories 1-4"
        threads = f"{args.threads} threads" if args.worker_class == "gthread" else "1 request at a time (sync)"
        print(f"gunicorn: {args.workers} workers x {threads}; {args.clients} clients, "
              f"{args.seconds:.0f} s each; applications in {spread}")
        drive(port, token, clients=args.clients, seconds=2, request=trivial)  # warm-up
        base = summary("GET /api/v1/me", *drive(port, token, clients=args.clients, seconds=args.seconds,
                                                request=trivial), args.seconds)
        sampler = WaitSampler(url)
        sampler.start()
        load = summary("POST .../decide", *drive(port, token, clients=args.clients, seconds=args.seconds,
                                                  request=decide), args.seconds)
        sampler.stop.set()
        sampler.join()
        ratio = load["rps"] / base["rps"] if base["rps"] else 0.0
        print(f"throughput ratio decide / trivial: {ratio:.2f} (target >= {RATIO_TARGET})")
        p95_ok, ratio_ok = load["p95"] < P95_TARGET_MS, ratio >= RATIO_TARGET
        print(f"p95 {load['p95']:.1f} ms < {P95_TARGET_MS} ms: {'met' if p95_ok else 'NOT met'}; "
              f"ratio: {'met' if ratio_ok else 'NOT met'}")
        sampler.report()
        return 0 if load["errors"] == 0 else 1
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)
        from django.db import connections

        connections.close_all()
        if created:
            _drop_database(args.server, created)
        workdir.cleanup()


if __name__ == "__main__":
    sys.exit(main())
