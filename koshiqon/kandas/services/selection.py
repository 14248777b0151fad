"""Every write of the selection: runs (start, the job that ranks, approve, discard), kandas status, appeals.

The issue's procedure (domain.md §2): the eligible applications of a year are ranked by the criteria grid in
force and each region's quota is filled in rank order; the result is a proposal that a national officer
reviews and approves (audited), and only then do decisions go out: the included families receive kandas
status (valid one year) and the support of the quota, computed in MCI at the decision date and paid in tenge;
the others are waitlisted or found ineligible, and may appeal.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from koshiqon.core.audit import audit_record, snapshot
from koshiqon.core.domain.permissions import Perm
from koshiqon.core.permissions import require
from koshiqon.core.policy import policy_in_force
from koshiqon.jobs.services import job_reconcile, job_start
from koshiqon.kandas.domain.policy import GRID_KIND, RULES_KIND, grid_from
from koshiqon.kandas.domain.ranking import DECISION_NAMES
from koshiqon.kandas.domain.status import SELECTABLE
from koshiqon.kandas.models import (
    Application,
    QuotaCategory,
    QuotaPlan,
    RunStatus,
    SelectionResult,
    SelectionRun,
)
from koshiqon.kandas.selectors.selection_data import (
    plan_quotas,
    score_and_rank,
    selection_data,
    selection_date,
)

# Re-exported: the decisions and the appeals are services of the selection too.
from koshiqon.kandas.services.decisions import (  # noqa: F401
    appeal_decide,
    appeal_file,
    apply_decisions,
    kandas_grant_status,
    support_for,
)

JOB_KIND = "kandas.selection"
SELECTABLE_STATUSES = sorted(SELECTABLE)
OPEN_RUNS = (RunStatus.RUNNING, RunStatus.PROPOSED)
RESULT_BATCH = 2000
REGION_COUNTS = ("included", "waitlisted", "ineligible", "persons")


def _plan(year: int) -> QuotaPlan:
    plan = QuotaPlan.objects.select_for_update().filter(year=year, category=QuotaCategory.KANDAS).first()
    if plan is None:
        raise ValidationError({"year": [_("There is no kandas quota plan for %(year)s.") % {"year": year}]})
    if not plan.regional.exists():
        raise ValidationError({"year": [
            _("The quota plan of %(year)s is not split by region: a selection fills regional quotas.") % {"year": year}
        ]})
    return plan


@transaction.atomic
def selection_run_start(*, year: int, by) -> SelectionRun:
    """Start ranking the year's eligible applications as a long job; the run is `running` until the job
    has written its proposal. One open run (running or proposed) per year: discard it to start another."""
    require(by, Perm.KANDAS_SELECT)
    plan = _plan(year)  # locked: two officers starting at once queue here, and the second sees the first run
    if SelectionRun.objects.filter(year=year, status__in=OPEN_RUNS).exists():
        raise ValidationError({"year": [
            _("A selection of %(year)s is already running or awaits approval: approve or discard it first.")
            % {"year": year}
        ]})
    on = selection_date(year)
    grid_version = policy_in_force(kind=GRID_KIND, on=on)
    if grid_version is None:
        raise ValidationError({"year": [_("No criteria grid is in force on %(day)s.") % {"day": on.isoformat()}]})
    run = SelectionRun.objects.create(year=year, plan=plan, grid_version=grid_version, started_by=by)
    run.job = job_start(
        kind=JOB_KIND, title=_("Selection of the kandas quota of %(year)s") % {"year": year}, by=by, run_id=run.pk
    )
    run.save(update_fields=["job", "updated_at"])
    audit_record(by=by, action="kandas.selection_run.start", obj=run,
                 after={"year": year, "plan": plan.pk, "grid_version": grid_version.code, "job": run.job.pk})
    return run


def selection_run_job(*, by, progress, run_id: int) -> dict:
    """The long job of a run (see koshiqon.jobs.kinds): rank, write the proposal, and close the run as
    failed if anything goes wrong, so that it does not block the year."""
    try:
        run = selection_run_compute(run=SelectionRun.objects.get(pk=run_id), by=by, progress=progress)
    except Exception as exc:
        with transaction.atomic():
            failed = SelectionRun.objects.filter(pk=run_id, status=RunStatus.RUNNING).update(status=RunStatus.FAILED)
            if failed:
                audit_record(by=by, action="kandas.selection_run.fail", object_type="kandas.selectionrun",
                             object_id=str(run_id), after={"error": f"{type(exc).__name__}: {exc}"[:500]})
        raise
    counts = run.summary["decisions"]
    summary = ngettext(
        "%(count)s application ranked: %(included)s included, %(waitlisted)s waitlisted, %(ineligible)s ineligible.",
        "%(count)s applications ranked: %(included)s included, %(waitlisted)s waitlisted, %(ineligible)s ineligible.",
        run.summary["total"],
    ) % {"count": run.summary["total"], **counts}
    return {"run": run.pk, "year": run.year, **run.summary, "summary": summary}


def selection_run_compute(*, run: SelectionRun, by, progress) -> SelectionRun:
    """Load, score (vectorised), rank within the regional quotas, and write the results in bulk."""
    if run.status != RunStatus.RUNNING:
        raise ValidationError(_("Only a running selection can be computed."))
    grid = grid_from(run.grid_version.parameters)
    applications = Application.objects.filter(year=run.year, status__in=SELECTABLE_STATUSES)
    progress(0, 0, _("Reading the applications"))
    data = selection_data(applications, progress=lambda done, total: progress(done, total, _("Reading the applications")))
    total = len(data)
    progress(0, total, _("Scoring and ranking"))
    quotas = plan_quotas(run.plan)
    scores, ranking = score_and_rank(data, grid, quotas)
    decisions = ranking.decision.tolist()
    ranks = ranking.rank.tolist()
    totals = scores.total.tolist()
    points = {f: column.tolist() for f, column in scores.points.items()}
    ids = data.ids.tolist()
    regions = data.regions.tolist()

    by_region: dict[str, dict[str, int]] = {}
    by_decision = dict.fromkeys(DECISION_NAMES, 0)
    # Saved batch by batch outside one transaction, so that the progress bar moves while they are written;
    # a run that fails half-way is closed as failed and its partial results are never read.
    SelectionResult.objects.filter(run=run).delete()  # a second delivery of the task starts afresh
    batch = []
    for i in range(total):
        decision = DECISION_NAMES[decisions[i]]
        by_decision[decision] += 1
        region = by_region.setdefault(regions[i], dict.fromkeys(REGION_COUNTS, 0))
        region[decision] += 1
        if decision == "included":
            region["persons"] += int(data.sizes[i])
        breakdown = {f: _compact(points[f][i]) for f in points}
        if ids[i] in data.problems:
            breakdown = {"_problem": data.problems[ids[i]]}
        batch.append(SelectionResult(run_id=run.pk, application_id=ids[i], score=round(totals[i], 2),
                                     rank=ranks[i], decision=decision, size=int(data.sizes[i]),
                                     breakdown=breakdown))
        if len(batch) >= RESULT_BATCH:
            SelectionResult.objects.bulk_create(batch)
            batch = []
            progress(i + 1, total, _("Saving the results"))
    SelectionResult.objects.bulk_create(batch)
    plan_amounts = dict(run.plan.regional.values_list("region__code", "amount"))
    with transaction.atomic():
        run.status = RunStatus.PROPOSED
        run.summary = {
            "total": total, "unit": run.plan.unit, "decisions": by_decision,
            "regions": {
                code: {**by_region.get(code, dict.fromkeys(REGION_COUNTS, 0)), "quota": plan_amounts.get(code),
                       "free": quotas[code].amount if code in quotas else None}
                for code in sorted(set(by_region) | set(plan_amounts))
            },
            "grid_version": run.grid_version.code, "pass_mark": grid.pass_mark,
        }
        run.save(update_fields=["status", "summary", "updated_at"])
        audit_record(by=by, action="kandas.selection_run.propose", obj=run,
                     after={"total": total, "decisions": by_decision})
    progress(total, total, _("Ready for review"))
    return run


def _compact(value: float) -> float | int:
    return int(value) if float(value).is_integer() else round(value, 4)


@transaction.atomic
def selection_run_approve_start(*, run: SelectionRun, by, reason: str) -> SelectionRun:
    """Approve a proposed run as a long job: a year's decisions (tens of thousands) take longer than a page
    may wait. The run is `approving` until the job ends; the job's page shows the progress."""
    require(by, Perm.KANDAS_APPROVE)
    run = SelectionRun.objects.select_for_update().get(pk=run.pk)
    _check_approvable(run, reason, statuses=(RunStatus.PROPOSED,))
    before = snapshot(run, ["status"])
    run.status = RunStatus.APPROVING
    run.approval_job = job_start(
        kind="kandas.approval", title=_("Approval of the kandas selection of %(year)s") % {"year": run.year},
        by=by, run_id=run.pk, reason=reason.strip(),
    )
    run.save(update_fields=["status", "approval_job", "updated_at"])
    audit_record(by=by, action="kandas.selection_run.approve_start", obj=run, before=before,
                 after={"status": run.status, "job": run.approval_job.pk}, reason=reason.strip())
    return run


def selection_run_approval_job(*, by, progress, run_id: int, reason: str) -> dict:
    """The long job of an approval (see koshiqon.jobs.kinds). If it fails, the run is proposed again, so that
    it can be approved once the cause is mended."""
    progress(0, 0, _("Giving the decisions"))
    try:
        run = selection_run_approve(run=SelectionRun.objects.get(pk=run_id), by=by, reason=reason)
    except Exception as exc:
        with transaction.atomic():
            reverted = SelectionRun.objects.filter(pk=run_id, status=RunStatus.APPROVING).update(
                status=RunStatus.PROPOSED)
            if reverted:
                audit_record(by=by, action="kandas.selection_run.approve_fail", object_type="kandas.selectionrun",
                             object_id=str(run_id), after={"error": f"{type(exc).__name__}: {exc}"[:500]})
        raise
    applied = run.summary.get("applied", {})
    progress(1, 1, _("The decisions are out."))
    summary = _("%(included)s included, %(waitlisted)s waitlisted, %(ineligible)s ineligible.") % {
        k: applied.get(k, 0) for k in ("included", "waitlisted", "ineligible")}
    return {"run": run.pk, "year": run.year, "applied": applied, "summary": summary}


def _check_approvable(run: SelectionRun, reason: str, *, statuses) -> None:
    if run.status not in statuses:
        raise ValidationError(_("Only a proposed selection can be approved; this one is %(status)s.")
                              % {"status": run.get_status_display()})
    if not (reason or "").strip():
        raise ValidationError({"reason": [_("Say why the selection is approved (for example the commission's "
                                            "minutes).")]})
    if policy_in_force(kind=RULES_KIND, on=timezone.localdate()) is None:
        raise ValidationError(_("No kandas rules are in force today: the status and support cannot be set."))


@transaction.atomic
def selection_run_approve(*, run: SelectionRun, by, reason: str) -> SelectionRun:
    """Approve a proposed run: each application gets its decision (through the transition table), its score,
    breakdown, explanation and grid version; the included receive kandas status and support. Audited: one
    event for the run and one per application."""
    require(by, Perm.KANDAS_APPROVE)
    run = SelectionRun.objects.select_for_update().get(pk=run.pk)
    _check_approvable(run, reason, statuses=(RunStatus.PROPOSED, RunStatus.APPROVING))
    decided_at = timezone.now()
    rules_version = policy_in_force(kind=RULES_KIND, on=timezone.localdate(decided_at))
    counts = apply_decisions(run=run, by=by, decided_at=decided_at, rules_version=rules_version)
    before = snapshot(run, ["status"])
    run.status, run.approved_by, run.approved_at = RunStatus.APPROVED, by, decided_at
    run.summary = {**run.summary, "applied": counts}
    run.save(update_fields=["status", "approved_by", "approved_at", "summary", "updated_at"])
    audit_record(by=by, action="kandas.selection_run.approve", obj=run, before=before,
                 after={"status": run.status, "applied": counts, "rules_version": rules_version.code},
                 reason=reason.strip())
    return run


@transaction.atomic
def selection_run_discard(*, run: SelectionRun, by, reason: str) -> SelectionRun:
    """Discard a proposed (or failed) run: nothing of it reaches the applications, and the year is free for
    another run. A run still computing cannot be discarded, since its job would write into it afterwards,
    unless that job is known to have failed (its worker died before it could close the run)."""
    require(by, Perm.KANDAS_SELECT)
    run = SelectionRun.objects.select_for_update().get(pk=run.pk)
    stuck = run.status == RunStatus.RUNNING and run.job is not None and job_reconcile(run.job).status == "failed"
    if run.status not in (RunStatus.PROPOSED, RunStatus.FAILED) and not stuck:
        raise ValidationError(_("Only a proposed or failed selection can be discarded; this one is %(status)s.")
                              % {"status": run.get_status_display()})
    if not (reason or "").strip():
        raise ValidationError({"reason": [_("Say why the selection is discarded.")]})
    before = snapshot(run, ["status"])
    run.status = RunStatus.DISCARDED
    run.save(update_fields=["status", "updated_at"])
    audit_record(by=by, action="kandas.selection_run.discard", obj=run, before=before,
                 after={"status": run.status}, reason=reason.strip())
    return run

