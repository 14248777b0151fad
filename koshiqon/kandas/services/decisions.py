"""Writes that carry a selection's decisions to the applications: the decisions of an approved run, the
kandas status, and appeals against a decision.

Every status change goes through the one transition table (domain.status). The support of an included family
is computed in MCI under the rules version in force on the decision date and stored in whole tenge at the MCI
of that date, with the MCI value and date beside it (architecture rule 6), so that the letter and the
accounts show the same figures years later.
"""

import secrets
from datetime import date, datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from koshiqon.core.audit import AuditItem, audit_record, audit_record_many
from koshiqon.core.calendar import work_calendar
from koshiqon.core.domain.money import NoRateError
from koshiqon.core.domain.permissions import Perm
from koshiqon.core.models import AuditEvent
from koshiqon.core.money import mci_on, mci_table, mci_to_tenge
from koshiqon.core.permissions import region_ids_in_scope, require
from koshiqon.core.policy import policy_in_force
from koshiqon.kandas.domain.policy import RULES_KIND, Rules, grid_from, rules_from
from koshiqon.kandas.domain.procedure import appeal_decision_due, appeal_filing_due, status_valid_until
from koshiqon.kandas.domain.scoring import explanations
from koshiqon.kandas.domain.status import APPEALABLE, SELECTABLE, AppStatus, can_transition, check_transition
from koshiqon.kandas.domain.support import SupportParameters, TengeLine, entitlements, family_total_tenge
from koshiqon.kandas.models import Appeal, AppealOutcome, Application, SelectionRun
from koshiqon.kandas.selectors.selection_data import selection_data, value_names

BELOW_PASS_MARK = "below_pass_mark"  # noqa: S105 (a reason code, not a password)
QUOTA_FULL = "quota_full"
NO_REGIONAL_QUOTA = "no_regional_quota"
DECISION_FIELDS = [
    "status", "score", "breakdown", "grid_version", "rules_version", "decision_reasons", "decided_at",
    "status_valid_until", "support", "verification_code", "updated_at",
]


def _require_scope(user, application: Application) -> None:
    scope = region_ids_in_scope(user)
    if scope is not None and application.region_id not in scope:
        raise PermissionDenied("region")


def _path(current: str, target: str) -> list[str]:
    """The statuses an application passes through to reach its decision. A waitlisted application that a
    later run decides differently re-enters the selection first (waitlisted -> recommended -> decision)."""
    if current == target:
        return []
    if can_transition(current, target):
        return [target]
    if can_transition(current, AppStatus.RECOMMENDED) and can_transition(AppStatus.RECOMMENDED, target):
        return [AppStatus.RECOMMENDED, target]
    check_transition(current, target)  # raises, naming the refused step
    return [target]


def support_for(*, family_size: int, on: date, rules: Rules, rules_code: str = "") -> dict:
    """The support of an included family of `family_size` persons decided on `on`: each item in MCI and in
    tenge at the MCI in force on `on`, as stored on the application."""
    params = SupportParameters.from_mapping(rules.support.model_dump())
    try:
        mci = mci_on(on)
        lines = [
            TengeLine(i.code, i.mci, mci_to_tenge(i.mci, on=on), i.quantity, i.rate_mci, i.payee, i.is_ceiling)
            for i in entitlements(params, family_size=family_size)
        ]
        valid_from = mci_table().valid_from_on(on)
    except NoRateError:
        raise ValidationError(_("No MCI value is recorded for %(day)s: load the reference data.")
                              % {"day": on.isoformat()})
    return {
        "on": on.isoformat(), "mci_tenge": mci, "mci_valid_from": valid_from.isoformat(), "rules_version": rules_code,
        "family_size": family_size, "family_total_tenge": family_total_tenge(lines),
        "items": [
            {"code": ln.code, "mci": str(ln.mci), "tenge": ln.tenge, "quantity": ln.quantity,
             "rate_mci": str(ln.rate_mci), "payee": ln.payee, "ceiling": ln.is_ceiling}
            for ln in lines
        ],
    }


def apply_decisions(*, run: SelectionRun, by, decided_at: datetime, rules_version) -> dict[str, int]:
    """Give each application of an approved run its decision; bulk-updated, one audit event each.

    An application that left the selection since the run (withdrawn) keeps its status and is counted as
    skipped. Runs inside the approval's transaction."""
    on = timezone.localdate(decided_at)
    rules = rules_from(rules_version.parameters)
    grid = grid_from(run.grid_version.parameters)
    labels = {c.field: (c.label.model_dump() if c.label else dict.fromkeys(("kk", "ru", "en"), c.field))
              for c in grid.criteria}
    in_run = Application.objects.filter(results__run=run)
    apps = {a.pk: a for a in in_run.select_for_update()}
    data = selection_data(in_run)
    where = data.index_of()
    names = value_names()
    explained: dict[tuple, dict] = {}  # the explanation depends only on the values the grid reads

    def explain_row(row: dict) -> dict:
        key = tuple(str(row.get(f)) for f in grid.fields)
        if key not in explained:
            explained[key] = explanations(grid, row, names)
        return explained[key]

    counts = {"included": 0, "waitlisted": 0, "ineligible": 0, "skipped": 0}
    changed, events = [], []
    places = dict(run.plan.regional.values_list("region__code", "amount"))
    persons_quota = run.plan.unit == "persons"
    for app_id, score, rank, decision, points, ranked_size in run.results.values_list(
        "application_id", "score", "rank", "decision", "breakdown", "size"
    ).order_by("rank"):
        app = apps[app_id]
        if app.status not in SELECTABLE:
            counts["skipped"] += 1
            continue
        before = app.status
        for step in _path(app.status, decision):
            check_transition(app.status, step)
            app.status = step
        i = where[app_id]
        if persons_quota and decision == AppStatus.INCLUDED and int(data.sizes[i]) != ranked_size:
            # The persons quota admitted the family at its size when ranked; a different size now could
            # overfill the region.
            raise ValidationError(
                _("The family of application %(number)s has changed since the selection was run (%(then)s "
                  "persons then, %(now)s now): run the selection again.")
                % {"number": app.number, "then": ranked_size, "now": int(data.sizes[i])}
            )
        problem = points.get("_problem") if isinstance(points, dict) else None
        app.score, app.grid_version, app.decided_at = score, run.grid_version, decided_at
        app.breakdown = {
            "run": run.pk, "rank": rank, "points": {} if problem else points, "labels": labels,
            "pass_mark": grid.pass_mark, "grid_version": run.grid_version.code,
            "rules_version": rules_version.code, "appeal_filing_days": rules.appeal_filing_days,
            "explanation": {} if problem else explain_row(data.rows[i]),
        }
        if problem:
            app.decision_reasons = [problem]
        elif decision == "ineligible":
            app.decision_reasons = [BELOW_PASS_MARK]
        elif decision == "waitlisted":
            app.decision_reasons = [QUOTA_FULL if places.get(str(data.regions[i])) else NO_REGIONAL_QUOTA]
        else:
            app.decision_reasons = []
        app.verification_code = secrets.token_urlsafe(18)
        if decision == AppStatus.INCLUDED:
            app.status_valid_until = status_valid_until(on, rules)
            app.support = support_for(family_size=int(data.sizes[i]), on=on, rules=rules,
                                      rules_code=rules_version.code)
            if app.rules_version_id is None:
                app.rules_version = rules_version
        else:
            app.status_valid_until, app.support = None, {}
        app.updated_at = decided_at
        counts[decision] += 1
        changed.append(app)
        events.append(AuditItem(
            "kandas.application.decide", "kandas.application", str(app.pk), str(data.regions[i]),
            before={"status": before},
            after={"status": app.status, "score": score, "rank": rank, "run": run.pk,
                   "valid_until": app.status_valid_until,
                   "support_tenge": (app.support or {}).get("family_total_tenge")},
        ))
    _bulk_set(changed, DECISION_FIELDS)
    audit_record_many(by=by, items=events)  # one event per application, written in one batch
    return counts


def _bulk_set(applications: list[Application], names: list[str]) -> None:
    """Write the named fields of many applications with one prepared UPDATE run for each row
    (executemany). Django's bulk_update builds a CASE expression per field over the whole batch, which costs
    seconds per thousand rows; a year's selection decides a hundred thousand."""
    fields = [Application._meta.get_field(name) for name in names]
    qn = connection.ops.quote_name
    # Only quoted names of the model's own columns are put into the statement; every value is a parameter.
    sql = "UPDATE {} SET {} WHERE {} = %s".format(  # noqa: S608
        qn(Application._meta.db_table), ", ".join(f"{qn(f.column)} = %s" for f in fields), qn("id"),
    )
    rows = [[f.get_db_prep_save(getattr(app, f.attname), connection) for f in fields] + [app.pk]
            for app in applications]
    with connection.cursor() as cursor:
        for start in range(0, len(rows), 5000):
            cursor.executemany(sql, rows[start:start + 5000])


@transaction.atomic
def kandas_grant_status(*, application: Application, by) -> Application:
    """Record that the included family received its kandas status certificate. The validity counts from the
    decision (set when the run was approved), not from the day the certificate is handed over."""
    require(by, Perm.KANDAS_PROCESS)
    _require_scope(by, application)
    app = Application.objects.select_for_update().get(pk=application.pk)
    check_transition(app.status, AppStatus.STATUS_GRANTED)
    before = app.status
    app.status = AppStatus.STATUS_GRANTED
    app.save(update_fields=["status", "updated_at"])
    audit_record(by=by, action="kandas.application.grant_status", obj=app, before={"status": before},
                 after={"status": app.status, "valid_until": app.status_valid_until})
    return app


def _decision_date(app: Application) -> date:
    """The day of the decision appealed against. A selection records it on the application; the commission's
    refusal is known by its audit event (the application keeps no date of it)."""
    if app.decided_at is not None:
        return timezone.localdate(app.decided_at)
    event = (AuditEvent.objects.filter(object_type="kandas.application", object_id=str(app.pk),
                                       action="kandas.application.commission").order_by("-occurred_at", "-seq", "-id").first())
    if event is None:
        raise ValidationError(_("This application has no recorded decision to appeal against."))
    return timezone.localdate(event.occurred_at)


@transaction.atomic
def appeal_file(*, application: Application, grounds: str, filed_on: date, by) -> Appeal:
    """File an appeal against a decision that refused or waitlisted a family. It must be filed within the
    rules version's `appeal_filing_days` calendar days of the decision (a term ending on a day off ends on the
    next working day), and is due for decision `appeal_decision_working_days` working days after filing."""
    require(by, Perm.KANDAS_PROCESS)
    _require_scope(by, application)
    app = Application.objects.select_for_update().get(pk=application.pk)
    if app.status not in APPEALABLE:
        raise ValidationError(_("Only a refusal, a finding of ineligibility or a place on the waiting list can "
                                "be appealed."))
    if app.appeals.filter(outcome=AppealOutcome.PENDING).exists():
        raise ValidationError(_("An appeal against this decision is already pending."))
    errors: dict[str, list[str]] = {}
    if not (grounds or "").strip():
        errors["grounds"] = [_("Give the grounds of the appeal.")]
    decided = _decision_date(app)
    rules_version = policy_in_force(kind=RULES_KIND, on=decided)
    if rules_version is None:
        raise ValidationError(_("No kandas rules were in force on the day of the decision."))
    rules = rules_from(rules_version.parameters)
    last_day = appeal_filing_due(decided, rules, work_calendar())
    if filed_on < decided:
        errors["filed_on"] = [_("An appeal cannot be filed before the decision (%(day)s).")
                              % {"day": decided.isoformat()}]
    elif filed_on > timezone.localdate():
        errors["filed_on"] = [_("The filing date cannot be in the future.")]
    elif filed_on > last_day:
        errors["filed_on"] = [_("The time to appeal ended on %(day)s.") % {"day": last_day.isoformat()}]
    if errors:
        raise ValidationError(errors)
    appeal = Appeal.objects.create(application=app, filed_on=filed_on, grounds=grounds.strip(),
                                   due_on=appeal_decision_due(filed_on, rules, work_calendar()))
    audit_record(by=by, action="kandas.appeal.file", obj=appeal, region_code=app.region.code,
                 after={"application": app.number, "status": app.status, "filed_on": filed_on,
                        "due_on": appeal.due_on, "rules_version": rules_version.code})
    return appeal


@transaction.atomic
def appeal_decide(*, appeal: Appeal, upheld: bool, text: str, by, decided_on: date | None = None) -> Appeal:
    """Decide an appeal. Upheld, the application goes back to `recommended` (through the transition table)
    and enters the next selection; the letter of the decision appealed no longer verifies."""
    require(by, Perm.KANDAS_PROCESS)
    appeal = Appeal.objects.select_for_update().select_related("application__region").get(pk=appeal.pk)
    _require_scope(by, appeal.application)
    if appeal.outcome != AppealOutcome.PENDING:
        raise ValidationError(_("This appeal is already decided."))
    if not (text or "").strip():
        raise ValidationError({"text": [_("Write the decision on the appeal and its reasons.")]})
    decided_on = decided_on or timezone.localdate()
    if decided_on < appeal.filed_on:
        raise ValidationError({"decided_on": [_("An appeal cannot be decided before it was filed.")]})
    app = Application.objects.select_for_update().get(pk=appeal.application_id)
    if upheld:
        check_transition(app.status, AppStatus.RECOMMENDED)
        before = app.status
        app.status, app.verification_code = AppStatus.RECOMMENDED, None
        app.save(update_fields=["status", "verification_code", "updated_at"])
        audit_record(by=by, action="kandas.application.appeal_upheld", obj=app, before={"status": before},
                     after={"status": app.status, "appeal": appeal.pk})
    appeal.outcome = AppealOutcome.UPHELD if upheld else AppealOutcome.DISMISSED
    appeal.decided_on, appeal.decided_by, appeal.decision_text = decided_on, by, text.strip()
    appeal.save(update_fields=["outcome", "decided_on", "decided_by", "decision_text", "updated_at"])
    audit_record(by=by, action="kandas.appeal.decide", obj=appeal, region_code=app.region.code,
                 before={"outcome": AppealOutcome.PENDING},
                 after={"outcome": appeal.outcome, "decided_on": decided_on, "late": decided_on > appeal.due_on},
                 reason=appeal.decision_text)
    return appeal
