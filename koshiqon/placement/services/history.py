"""Writes on the training history of the outcome model (PastArrival): an archive file imported, the history
refreshed from this system's own plans and outcomes, and the demo history drawn from the known ground truth.

The history is anonymised (no names, no identity numbers): what each member was on arrival and what became
of them. Each write is one transaction with one audit event for the whole batch (its counts, file and
source), since the rows are statistical data rather than cases.
"""

import random
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from koshiqon.core.audit import audit_record
from koshiqon.core.domain.permissions import Perm
from koshiqon.core.permissions import require
from koshiqon.core.tables import too_large
from koshiqon.jobs.models import Job
from koshiqon.jobs.services import file_param, job_start
from koshiqon.placement.domain import truth as truth_model
from koshiqon.placement.models import HistorySource, PastArrival
from koshiqon.placement.selectors.facts import application_facts
from koshiqon.placement.selectors.history import region_ids, system_arrivals, truth_regions
from koshiqon.placement.services import history_format as fmt
from koshiqon.reference.models import Country

IMPORT_JOB = "placement.history_import"
BATCH = 2000
PROGRESS_EVERY = 500
DEMO_FAMILIES = 4000
DEMO_YEARS = 3
# The ground truth's version, kept on each demo row so that a backtest knows it may score under the truth.
TRUTH_VERSION = str(getattr(truth_model, "VERSION", "illustrative-1"))

Progress = Callable[[int, int, str], None]


def no_progress(done: int, total: int, message: str = "") -> None:
    return None


def require_run(by) -> None:
    """A user needs the right to run placement; the system itself (a label such as "koshiqon demo") needs
    none."""
    if not isinstance(by, str):
        require(by, Perm.PLACEMENT_RUN)


# --- Import of an archive file -------------------------------------------------------------------------

@dataclass
class ImportReport:
    rows: int = 0
    families: int = 0
    created: int = 0
    replaced: int = 0
    errors: list[fmt.RowError] = field(default_factory=list)

    @property
    def saved(self) -> bool:
        return not self.errors and self.families > 0


def placement_history_import(*, data: bytes, by, filename: str = "", progress: Progress | None = None,
                             today: date | None = None) -> ImportReport:
    """Import past arrivals from the bytes of a CSV or XLSX file: all families or none. A family key that
    an earlier import brought replaces that family (an archive can be loaded again once mended); a key held
    by this system's own or the demo history is refused."""
    require_run(by)
    progress, today = progress or no_progress, today or timezone.localdate()
    report = ImportReport()
    rows, errors = fmt.read_rows(data)
    report.rows = len(rows)
    if errors:
        report.errors = sorted(errors)
        return report
    total = 2 * len(rows)
    progress(0, total, _("Checking %(total)s rows") % {"total": len(rows)})
    families: dict[str, fmt.ArchiveFamily] = {}
    for i, (line, row) in enumerate(rows, start=1):
        one, problems = fmt.parse_row(line, row, today=today)
        errors += problems
        if one is not None:
            errors += fmt.merge(families, one, line)
        if i % PROGRESS_EVERY == 0:
            progress(i, total, _("Checked %(done)s of %(total)s rows") % {"done": i, "total": len(rows)})
    regions = region_ids()
    countries = set(Country.objects.values_list("alpha2", flat=True))
    held = dict(PastArrival.objects.filter(key__in=list(families)).values_list("key", "source"))
    for family in families.values():
        errors += fmt.family_problems(family)
        if family.region not in regions:
            errors.append(fmt.RowError(family.first_line, "region", _("Unknown region code: %(code)s.")
                                       % {"code": family.region}))
        if family.origin not in countries:
            errors.append(fmt.RowError(family.first_line, "origin", _("Unknown country code: %(code)s.")
                                       % {"code": family.origin}))
        if held.get(family.key, HistorySource.IMPORT) != HistorySource.IMPORT:
            errors.append(fmt.RowError(family.first_line, "family", _(
                "This key belongs to a family of this system's own or the demo history.")))
    report.families = len(families)
    if errors:
        progress(total, total, _("Nothing was saved: the file has problems"))
        report.errors = sorted(set(errors))
        return report
    progress(len(rows), total, _("Saving %(total)s families") % {"total": len(families)})
    _save_import(list(families.values()), regions, report, by=by, filename=filename)
    progress(total, total, _("Saved %(total)s families") % {"total": len(families)})
    return report


def placement_history_import_start(*, data: bytes, filename: str, by) -> Job:
    """Queue the import of an archive file as a long job (its page shows the progress and the report)."""
    require(by, Perm.PLACEMENT_RUN)
    if not data:
        raise ValidationError({"file": [_("Choose a file.")]})
    if len(data) > fmt.MAX_BYTES:
        raise ValidationError({"file": [too_large(fmt.MAX_BYTES)]})
    return job_start(kind=IMPORT_JOB, title=_("Import of past arrivals: %(file)s") % {"file": filename[:200]},
                     by=by, content=file_param(data), filename=filename[:200])


@transaction.atomic
def _save_import(families: list[fmt.ArchiveFamily], regions: dict[str, int], report: ImportReport, *, by,
                 filename: str) -> None:
    keys = [f.key for f in families]
    # An earlier import of the same families is replaced whole: the archive is the source of truth for them.
    _total, deleted = PastArrival.objects.filter(key__in=keys, source=HistorySource.IMPORT).delete()
    replaced = deleted.get("placement.PastArrival", 0)
    PastArrival.objects.bulk_create([
        PastArrival(key=f.key, year=f.year, origin=f.origin, size=f.size or len(f.members),
                    region_id=regions[f.region], members=[asdict(m) for m in f.members],
                    outcomes=fmt.outcome_rows(f), source=HistorySource.IMPORT)
        for f in families
    ], batch_size=BATCH)
    report.created, report.replaced = len(families) - replaced, replaced
    audit_record(by=by, action="placement.history.import", object_type="placement.pastarrival",
                 after={"file": filename[:200], "rows": report.rows, "families": report.families,
                        "created": report.created, "replaced": report.replaced})


# --- This system's own history ----------------------------------------------------------------------------

@transaction.atomic
def placement_history_refresh(*, by) -> dict[str, int]:
    """One past arrival per family that came through a kandas application, settled through an adaptation plan
    and has outcomes recorded: its members as they were on arrival, the region of the plan's centre, and each
    member's outcomes. Run again, it brings the families up to date (new outcomes, new families)."""
    require_run(by)
    arrivals = system_arrivals()
    facts = application_facts([a.application_id for a in arrivals],
                              on={a.application_id: a.arrival_date for a in arrivals})
    regions = region_ids()
    existing = dict(PastArrival.objects.filter(source=HistorySource.SYSTEM).values_list("key", "pk"))
    created = updated = 0
    new, changed = [], []
    for a in arrivals:
        family = facts[a.application_id]
        values = dict(year=a.arrival_date.year, origin=family.origin, size=family.size,
                      region_id=regions[a.region], members=[asdict(m) for m in family.members],
                      outcomes=a.outcomes, source=HistorySource.SYSTEM, application_id=a.application_id)
        key = f"system-{a.number}"
        if key in existing:
            changed.append(PastArrival(pk=existing[key], key=key, updated_at=timezone.now(), **values))
        else:
            new.append(PastArrival(key=key, **values))
    PastArrival.objects.bulk_create(new, batch_size=BATCH)
    if changed:
        PastArrival.objects.bulk_update(changed, ["year", "origin", "size", "region", "members", "outcomes",
                                                  "application", "updated_at"], batch_size=BATCH)
    created, updated = len(new), len(changed)
    counts = {"families": len(arrivals), "created": created, "updated": updated,
              "members_with_outcomes": sum(len(a.outcomes) for a in arrivals)}
    audit_record(by=by, action="placement.history.refresh", object_type="placement.pastarrival", after=counts)
    return counts


# --- Demo history ------------------------------------------------------------------------------------------

@transaction.atomic
def placement_history_demo(*, by, families: int = DEMO_FAMILIES, seed: int = 1, today: date | None = None
                           ) -> dict[str, Any]:
    """`families` past arrivals of the last three full years, drawn from the illustrative ground truth
    (domain/truth.py) in the current regions: who they were, where the historical pattern settled them, and
    outcomes drawn from the truth. The same seed and size give the same rows; a second call does nothing."""
    require_run(by)
    today = today or timezone.localdate()
    prefix = f"demo-{seed}-"
    mine = PastArrival.objects.filter(source=HistorySource.DEMO, key__startswith=prefix)
    if mine.count() == families:
        return {"families": families, "seed": seed, "created": 0, "truth": TRUTH_VERSION}
    mine.delete()  # another size was asked for: the seed's history is drawn again
    regions = truth_regions(today)
    if len(regions) < 2:
        raise ValueError("the demo history needs at least two current regions known to the ground truth")
    drawn = truth_model.generate_history(families, regions, seed=seed)
    ids = region_ids()
    outcomes: dict[str, list[dict]] = {}
    for o in drawn.outcomes:
        outcomes.setdefault(o.family_id, []).append({
            "member_index": o.member_index, "employed_3m": o.employed_3m, "employed_6m": o.employed_6m,
            "employed_12m": o.employed_12m, "stayed_12m": o.stayed_12m,
        })
    rng = random.Random(f"placement-demo-years-{seed}")
    rows = [
        PastArrival(key=f"{prefix}{f.id}", year=today.year - 1 - rng.randrange(DEMO_YEARS), origin=f.origin,
                    size=f.size, region_id=ids[drawn.regions[f.id]], members=[asdict(m) for m in f.members],
                    outcomes=outcomes.get(f.id, []), source=HistorySource.DEMO, truth=TRUTH_VERSION)
        for f in drawn.families
    ]
    PastArrival.objects.bulk_create(rows, batch_size=BATCH)
    counts = {"families": len(rows), "seed": seed, "created": len(rows), "truth": TRUTH_VERSION,
              "members_with_outcomes": len(drawn.outcomes), "regions": len(regions)}
    audit_record(by=by, action="placement.history.demo", object_type="placement.pastarrival", after=counts)
    return counts
