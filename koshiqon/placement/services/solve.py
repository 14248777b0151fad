"""Solving a batch: the assignment of its families to regions that maximises the total predicted employment,
within each region's room, where each family's needs are met, with a bonus for each family's preferred region.

The score of a family in a region is the active outcome model's expected number of its working-age members
employed at 12 months there (domain/outcome_model.predict_matrix), plus `preference_weight` when the region
is the one the family asked for (its kandas application's region). A region where no centre gives every
service the family needs is not a choice at all (the pair is left out of the problem). The room of each
region is its quota of the year in the plan's unit, less what approved batches placed, and, when the batch
respects them, its centres' free beds on the arrival date (selectors/batches.batch_room). The solver
(domain/assign) places as many families as the room allows and, among those assignments, the best one.

Each family then keeps its proposed region and predicted outcome, the model's prediction in every region it
may go to, and the next three best of those; a family placed nowhere keeps why: no region gives its needs,
or no region with its needs had room left.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from koshiqon.core.audit import audit_record
from koshiqon.core.domain.permissions import Perm
from koshiqon.core.permissions import require
from koshiqon.jobs.services import job_start
from koshiqon.placement.domain.assign import Capacity, Family, solve
from koshiqon.placement.domain.outcome_model import OutcomeModel as Model
from koshiqon.placement.models import BatchFamily, BatchStatus, OutcomeModel, PlacementBatch
from koshiqon.placement.selectors.batches import allowed_regions, batch_room, need_regions
from koshiqon.placement.selectors.facts import application_facts
from koshiqon.placement.services.history import Progress, no_progress
from koshiqon.reference.models import Region

JOB_KIND = "placement.solve"
ALTERNATIVES = 3
SOLVABLE = (BatchStatus.DRAFT, BatchStatus.PROPOSED, BatchStatus.FAILED)
NEEDS, CAPACITY = "needs", "capacity"


@transaction.atomic
def batch_solve_start(*, batch: PlacementBatch, by) -> PlacementBatch:
    """Queue the solve of a batch as a long job; the batch is `solving` until the job writes the proposal.
    Solving a proposed batch again replaces its proposal and clears any override."""
    require(by, Perm.PLACEMENT_RUN)
    batch = PlacementBatch.objects.select_for_update().get(pk=batch.pk)
    if batch.status not in SOLVABLE:
        raise ValidationError(_("Only a draft, proposed or failed batch can be solved; this one is %(status)s.")
                              % {"status": batch.get_status_display()})
    model = OutcomeModel.objects.filter(active=True).first()
    if model is None:
        raise ValidationError(_("No outcome model is in use: train one first."))
    if not batch_room(batch):
        raise ValidationError(_("There is no kandas quota plan for %(year)s.") % {"year": batch.year})
    before = {"status": batch.status}
    batch.status, batch.model = BatchStatus.SOLVING, model
    batch.job = job_start(kind=JOB_KIND, title=_("Placement: %(name)s") % {"name": batch.name},
                          by=by, batch_id=batch.pk)
    batch.save(update_fields=["status", "model", "job", "updated_at"])
    audit_record(by=by, action="placement.batch.solve_start", obj=batch, before=before,
                 after={"status": batch.status, "model": model.pk, "job": batch.job.pk})
    return batch


def batch_solve_job(*, by, progress: Progress, batch_id: int) -> dict:
    """The long job of a solve (koshiqon.jobs.kinds): solve, and close the batch as failed if anything goes
    wrong, so that it can be solved again once the cause is mended."""
    try:
        batch = batch_solve(batch=PlacementBatch.objects.get(pk=batch_id), by=by, progress=progress)
    except Exception as exc:
        with transaction.atomic():
            failed = PlacementBatch.objects.filter(pk=batch_id, status=BatchStatus.SOLVING).update(
                status=BatchStatus.FAILED)
            if failed:
                audit_record(by=by, action="placement.batch.fail", object_type="placement.placementbatch",
                             object_id=str(batch_id), after={"error": f"{type(exc).__name__}: {exc}"[:500]})
        raise
    s = batch.summary["proposal"]
    summary = ngettext(
        "%(count)s family: %(placed)s placed, %(unplaced)s not placed.",
        "%(count)s families: %(placed)s placed, %(unplaced)s not placed.", s["families"],
    ) % {"count": s["families"], "placed": s["placed"], "unplaced": s["unplaced"]}
    return {"batch": batch.pk, **s, "summary": summary}


def batch_solve(*, batch: PlacementBatch, by, progress: Progress | None = None) -> PlacementBatch:
    """Score, solve and write the proposal of a batch that is being solved."""
    require(by, Perm.PLACEMENT_RUN)
    progress = progress or no_progress
    batch = PlacementBatch.objects.select_related("model").get(pk=batch.pk)
    if batch.status != BatchStatus.SOLVING or batch.model is None:
        raise ValidationError(_("Only a batch being solved can be computed."))
    progress(0, 4, _("Reading the families"))
    families = list(batch.families.select_related("preferred_region").order_by("id"))
    facts = application_facts([f.application_id for f in families], on=batch.arrival_date)
    room = batch_room(batch)
    regions = sorted(room)
    by_need = need_regions({code for f in families for code in f.needs}, on=batch.arrival_date)
    progress(1, 4, _("Predicting the outcomes in each region"))
    model = Model.from_bytes(bytes(batch.model.blob))
    matrix = model.predict_matrix([facts[f.application_id] for f in families], regions)
    column = {r: j for j, r in enumerate(regions)}
    allowed = {f.pk: allowed_regions(f.needs, regions, by_need) for f in families}
    weight = batch.preference_weight
    scores = {}
    for i, f in enumerate(families):
        preferred = f.preferred_region.code if f.preferred_region else ""
        for r in allowed[f.pk]:
            scores[(str(f.pk), r)] = float(matrix[i, column[r]]) + (weight if r == preferred else 0.0)
    progress(2, 4, _("Solving the assignment"))
    solution = solve(
        [Family(id=str(f.pk), size=f.size) for f in families],
        [Capacity(region=r, families=room[r].families, persons=room[r].persons) for r in regions],
        scores,
    )
    progress(3, 4, _("Saving the proposal"))
    return _save(batch, families, matrix, column, allowed, solution, room, by=by, progress=progress)


def _save(batch, families, matrix, column, allowed, solution, room, *, by, progress) -> PlacementBatch:
    region_ids = dict(Region.objects.filter(code__in=list(room)).values_list("code", "pk"))
    placed = 0
    for i, f in enumerate(families):
        predictions = {r: round(float(matrix[i, column[r]]), 4) for r in allowed[f.pk]}
        chosen = solution.assignment.get(str(f.pk))
        ranked = sorted(predictions, key=lambda r: (-predictions[r], r))
        f.proposed_region_id = region_ids[chosen] if chosen else None
        f.predicted = predictions[chosen] if chosen else None
        f.predictions = predictions
        f.alternatives = [{"region": r, "predicted": predictions[r]} for r in ranked if r != chosen][:ALTERNATIVES]
        f.unplaced_reason = "" if chosen else (NEEDS if not allowed[f.pk] else CAPACITY)
        f.override_region, f.override_reason, f.overridden_by, f.overridden_at = None, "", None, None
        placed += chosen is not None
    with transaction.atomic():
        locked = PlacementBatch.objects.select_for_update().get(pk=batch.pk)
        if locked.status != BatchStatus.SOLVING:
            raise ValidationError(_("The batch stopped being solved meanwhile."))
        BatchFamily.objects.bulk_update(
            families, ["proposed_region", "predicted", "predictions", "alternatives", "unplaced_reason",
                       "override_region", "override_reason", "overridden_by", "overridden_at"], batch_size=1000)
        by_reason = {NEEDS: 0, CAPACITY: 0}
        for f in families:
            if f.unplaced_reason:
                by_reason[f.unplaced_reason] += 1
        proposal = {
            "families": len(families), "placed": placed, "unplaced": len(families) - placed,
            "unplaced_by_reason": by_reason, "objective": solution.objective, "bound": solution.bound,
            "gap": solution.gap, "method": solution.method, "seconds": round(solution.seconds, 3),
            "predicted_total": round(sum(f.predicted or 0.0 for f in families), 3),
            "preferred_kept": sum(1 for f in families if f.proposed_region_id and
                                  f.proposed_region_id == f.preferred_region_id),
            "solved_at": timezone.now().isoformat(timespec="seconds"),
        }
        locked.status = BatchStatus.PROPOSED
        locked.capacities = [room[r].as_dict() for r in sorted(room)]
        locked.method, locked.objective, locked.bound = solution.method, solution.objective, solution.bound
        locked.seconds = solution.seconds
        locked.summary = {**locked.summary, "proposal": proposal}
        locked.save(update_fields=["status", "capacities", "method", "objective", "bound", "seconds", "summary",
                                   "updated_at"])
        audit_record(by=by, action="placement.batch.propose", obj=locked, before={"status": BatchStatus.SOLVING},
                     after={"status": locked.status, **{k: proposal[k] for k in (
                         "families", "placed", "unplaced", "method", "objective", "bound", "predicted_total")}})
    progress(4, 4, _("Ready for review"))
    return locked
