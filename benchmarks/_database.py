"""The throw-away database the database benchmarks run against (never part of the test run).

A temporary SQLite file, or the empty database named by --database-url; migrated and loaded with the reference
data before any timing starts.
"""

import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def set_up_database(database_url: str = "", **environment: str) -> tempfile.TemporaryDirectory:
    """Point Django at a fresh database, set it up, and return the temporary folder (clean it up at the end)."""
    workdir = tempfile.TemporaryDirectory(prefix="koshiqon-bench-")
    os.environ["KOSHIQON_VAR_DIR"] = workdir.name
    os.environ["DATABASE_URL"] = database_url or f"sqlite:///{Path(workdir.name) / 'bench.sqlite3'}"
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.base"
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    os.environ.update(environment)
    sys.path.insert(0, str(ROOT))

    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    with open(os.devnull, "w") as quiet:
        call_command("load_reference", verbosity=0, stdout=quiet)
    return workdir
