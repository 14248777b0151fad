"""Loading the catalogue of services (data/services.csv, see data/SOURCES.md) into the database.

Idempotent: a service is found by its code, created or updated; a service the file no longer lists is taken
out of the catalogue (`active` false), never deleted, because referrals point at it. A file with a bad row
loads nothing and names each bad row by line.
"""

import csv
from pathlib import Path

from django.db import transaction

from koshiqon.adaptation.access import require_right
from koshiqon.adaptation.domain.catalogue import CatalogueEntry, parse_entry
from koshiqon.adaptation.models import Service
from koshiqon.core.audit import audit_record
from koshiqon.core.datafiles import DataFilesError
from koshiqon.core.domain.permissions import Perm

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
CATALOGUE = "services.csv"
COLUMNS = ("code", "group", "name_kk", "name_ru", "name_en", "due_days", "is_course")
FIELDS = ("group", "name_kk", "name_ru", "name_en", "due_days", "is_course", "order")


class CatalogueError(DataFilesError):
    """The catalogue file has errors."""


def catalogue_read(*, data_dir: Path = DATA_DIR) -> list[CatalogueEntry]:
    path = data_dir / CATALOGUE
    if not path.exists():
        raise CatalogueError([f"{CATALOGUE}: file not found"])
    problems: list[str] = []
    entries: list[CatalogueEntry] = []
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        missing = [c for c in COLUMNS if c not in (reader.fieldnames or [])]
        if missing:
            raise CatalogueError([f"{CATALOGUE} line 1: missing column {c}" for c in missing])
        seen: set[str] = set()
        for order, row in enumerate(reader, start=1):
            entry, row_problems = parse_entry({k: v or "" for k, v in row.items() if k}, order)
            problems += [f"{CATALOGUE} line {reader.line_num}: {p}" for p in row_problems]
            if entry is not None:
                if entry.code in seen:
                    problems.append(f"{CATALOGUE} line {reader.line_num}: code {entry.code} is listed twice")
                seen.add(entry.code)
                entries.append(entry)
    if problems:
        raise CatalogueError(problems)
    return entries


@transaction.atomic
def adaptation_catalogue_load(*, by, data_dir: Path = DATA_DIR) -> dict[str, int]:
    """Make the catalogue hold the file's services. `by` is a user with the right to manage centres, or a
    label when the system loads its own data ("koshiqon setup"). Returns what was created, updated and
    retired (all zero on a second run) and the services in the catalogue."""
    require_right(by, Perm.CENTRES_MANAGE)
    entries = catalogue_read(data_dir=data_dir)
    existing = {s.code: s for s in Service.objects.all()}
    counts = {"created": 0, "updated": 0, "retired": 0}
    for entry in entries:
        values = {name: getattr(entry, name) for name in FIELDS} | {"group": entry.group.value, "active": True}
        service = existing.get(entry.code)
        if service is None:
            Service.objects.create(code=entry.code, **values)
            counts["created"] += 1
        elif any(getattr(service, k) != v for k, v in values.items()):
            for k, v in values.items():
                setattr(service, k, v)
            service.save()
            counts["updated"] += 1
    listed = {e.code for e in entries}
    counts["retired"] = Service.objects.filter(active=True).exclude(code__in=listed).update(active=False)
    counts["services"] = Service.objects.filter(active=True).count()
    if counts["created"] or counts["updated"] or counts["retired"]:
        audit_record(by=by, action="adaptation.catalogue.load", object_type="adaptation.service",
                     object_id="catalogue", after=counts, reason="Service catalogue loaded from its data file")
    return counts
