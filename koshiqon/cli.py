"""The `koshiqon` command.

    koshiqon serve [--host H] [--port P] [--workers N]   web server (gunicorn) and task worker together
    koshiqon demo --size N [--seed S]                    deterministic synthetic data, with a progress bar
    koshiqon audit verify                                check the audit chain; exit 1 when it is broken
    koshiqon jobs watch ID                               follow a long job's progress in the terminal
    koshiqon kandas rank --grid G --applicants A --quota Q --out R [--language kk|ru|en]
                                                         rank applicants from files, without a database
    koshiqon placement solve --families F --regions R --scores S --out O [--language kk|ru|en]
                                                         assign families to regions from files, without a
                                                         database (both speak Kazakh unless told otherwise)
    koshiqon setup                                       migrate, translations, static files, reference data,
                                                         demo accounts
    koshiqon <django command> ...                        any Django management command (migrate, shell...)
"""

import argparse
import os
import signal
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path

OWN_COMMANDS = ("serve", "demo", "audit", "jobs", "kandas", "placement", "setup")
DEFAULT_SETTINGS = "config.settings.base"
STOP_GRACE_SECONDS = 15
# Measured with benchmarks/labour_permit_decision.py (docs/operations.md, "Serving"): Django is CPU-bound, so
# one worker process per CPU, with a few threads each to overlap database waits, served the permit decision
# best; more processes or threads only added contention, and the trivial endpoint was no faster either way.
DEFAULT_THREADS = 4


def default_workers() -> int:
    """One gunicorn worker per CPU this process may run on (at least 2, so one slow request never blocks)."""
    try:
        cpus = len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        cpus = os.cpu_count() or 2
    return max(2, cpus)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="koshiqon", description="Koshiqon, the migration information system.",
        epilog="Any other command is a Django management command: koshiqon migrate, koshiqon createsuperuser...",
    )
    sub = parser.add_subparsers(dest="command", required=True)
    serve = sub.add_parser("serve", help="serve the web application and run the task worker")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--workers", type=int, default=default_workers(),
                       help="gunicorn worker processes (default: one per CPU, at least 2)")
    serve.add_argument("--threads", type=int, default=DEFAULT_THREADS,
                       help=f"threads per worker process (default {DEFAULT_THREADS})")
    demo = sub.add_parser("demo", help="generate deterministic synthetic data")
    demo.add_argument("--size", type=int, default=1000)
    demo.add_argument("--seed", type=int, default=1)
    demo.add_argument("--batch-size", type=int, default=None)
    audit = sub.add_parser("audit", help="the audit chain").add_subparsers(dest="action", required=True)
    audit.add_parser("verify", help="report the first broken link of the audit chain")
    jobs = sub.add_parser("jobs", help="long jobs").add_subparsers(dest="action", required=True)
    watch = jobs.add_parser("watch", help="show a job's progress until it ends")
    watch.add_argument("job_id", type=int)
    from koshiqon.cli_language import gettext, override
    from koshiqon.kandas import rank_cli
    from koshiqon.placement import solve_cli

    with override(None):  # the file commands speak the language of the environment (KOSHIQON_LANGUAGE, LANG)
        kandas = sub.add_parser("kandas", help=gettext("kandas quota tools")).add_subparsers(
            dest="action", required=True)
        rank_cli.add_arguments(kandas.add_parser("rank", help=gettext("rank applicants from files, without a database")))
        placement = sub.add_parser("placement", help=gettext("placement tools")).add_subparsers(
            dest="action", required=True)
        solve_cli.add_arguments(placement.add_parser(
            "solve", help=gettext("assign families to regions from files, without a database")))
    sub.add_parser("setup", help="migrate, compile translations, collect static files, load reference data, "
                                 "create the demo accounts")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", DEFAULT_SETTINGS)
    if argv and argv[0] not in OWN_COMMANDS and argv[0] not in ("-h", "--help"):
        from django.core.management import execute_from_command_line

        execute_from_command_line(["koshiqon", *argv])
        return 0
    if not argv:
        _parser().print_help()
        return 2
    args = _parser().parse_args(argv)
    if args.command == "kandas":  # file in, file out: no settings, no database
        from koshiqon.kandas import rank_cli

        return rank_cli.run(args.grid, args.applicants, args.quota, args.out, language=args.language)
    if args.command == "placement":  # file in, file out: no settings, no database
        from koshiqon.placement import solve_cli

        return solve_cli.run(args.families, args.regions, args.scores, args.out, language=args.language)
    import django

    django.setup()
    return {"serve": _serve, "demo": _demo, "audit": _audit, "jobs": _jobs, "setup": _setup}[args.command](args)


def _call(name: str, *args, **options) -> int:
    from django.core.management import CommandError, call_command

    try:
        call_command(name, *args, **options)
    except CommandError as exc:
        print(f"koshiqon: {exc}", file=sys.stderr)
        return 1
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else 1
    return 0


def _demo(args) -> int:
    options = {"size": args.size, "seed": args.seed}
    if args.batch_size:
        options["batch_size"] = args.batch_size
    return _call("demo", **options)


def _audit(args) -> int:
    return _call("audit_verify")


def _jobs(args) -> int:
    from koshiqon.jobs.models import Job, JobStatus
    from koshiqon.jobs.watch import job_watch

    try:
        job = job_watch(args.job_id)
    except Job.DoesNotExist:
        print(f"koshiqon: no job {args.job_id}", file=sys.stderr)
        return 1
    if job.status == JobStatus.FAILED:
        print(f"job {job.pk} failed: {job.error}", file=sys.stderr)
        return 1
    print(f"job {job.pk} finished: {job.message}".rstrip(": "))
    return 0


def _setup(args) -> int:
    from django.conf import settings

    if code := _call("migrate", interactive=False):
        return code
    for locale_dir in map(Path, settings.LOCALE_PATHS):
        if locale_dir.is_dir():
            # Babel compiles the catalogues without GNU gettext, which a fresh machine may lack.
            compiled = subprocess.run(  # noqa: S603 (our own argument list, no shell)
                [sys.executable, "-m", "babel.messages.frontend", "compile", "-d", str(locale_dir), "-D", "django"],
                check=False,
            )
            if compiled.returncode:
                return compiled.returncode
    for name, options in (
        ("collectstatic", {"interactive": False, "verbosity": 0}),
        ("load_reference", {}),
        ("load_kandas", {}),
        ("load_adaptation", {}),
        ("load_labour", {}),
        ("demo_accounts", {}),
    ):
        if code := _call(name, **options):
            return code
    return 0


def serve_commands(*, host: str, port: int, workers: int, threads: int) -> list[list[str]]:
    """The web server and, when tasks go through the database, the task worker that runs long jobs."""
    from django_tasks import DEFAULT_TASK_BACKEND_ALIAS, task_backends
    from django_tasks_db import DatabaseBackend

    commands = [[
        sys.executable, "-m", "gunicorn", "config.wsgi:application", "--bind", f"{host}:{port}",
        "--worker-class", "gthread", "--workers", str(workers), "--threads", str(threads),
        "--access-logfile", "-", "--graceful-timeout", str(STOP_GRACE_SECONDS - 5),
    ]]
    if isinstance(task_backends[DEFAULT_TASK_BACKEND_ALIAS], DatabaseBackend):
        commands.append([sys.executable, "-m", "django", "db_worker", "--no-reload", "--interval", "0.5"])
    return commands


def supervise(commands: list[list[str]], *, poll: float = 0.2) -> int:
    """Run the commands side by side until Ctrl-C (or SIGTERM) or until one of them ends; then stop the
    others gracefully (SIGTERM, then SIGKILL after a grace period). Returns 0 when stopped by a signal,
    else the exit code of the command that ended first."""
    stop = {"requested": False}

    def request_stop(signum, frame) -> None:
        stop["requested"] = True

    previous = {sig: signal.signal(sig, request_stop) for sig in (signal.SIGINT, signal.SIGTERM)}
    # Own sessions: Ctrl-C reaches only this supervisor, so each child gets exactly one, graceful, signal.
    processes = [subprocess.Popen(c, start_new_session=True) for c in commands]  # noqa: S603 (no shell)
    code = 0
    try:
        while not stop["requested"]:
            ended = [p for p in processes if p.poll() is not None]
            if ended:
                code = ended[0].returncode or 1
                print(f"koshiqon: {' '.join(ended[0].args[2:4])} stopped (exit {ended[0].returncode})", file=sys.stderr)
                break
            time.sleep(poll)
    finally:
        for process in processes:
            if process.poll() is None:
                process.terminate()
        deadline = time.monotonic() + STOP_GRACE_SECONDS
        for process in processes:
            try:
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    return code


def _serve(args) -> int:
    commands = serve_commands(host=args.host, port=args.port, workers=args.workers, threads=args.threads)
    print(f"koshiqon: serving http://{args.host}:{args.port}/ (Ctrl-C stops the server and the worker)", file=sys.stderr)
    return supervise(commands)


if __name__ == "__main__":
    sys.exit(main())
