"""Every read of the selection, scoped to the user: runs and their results, decided applications and their
letters, the public verification of a letter, appeals, and the what-if comparison.

A run covers all regions; a regional officer sees it, but only the results of applications in their own
regions. A record outside the user's regions is not in the queryset, so asking for it answers 404.
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db.models import Count, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _

from koshiqon.core.audit import access_record
from koshiqon.core.domain.permissions import Perm
from koshiqon.core.models import PolicyVersion
from koshiqon.core.permissions import region_ids_in_scope, require
from koshiqon.core.policy import policy_in_force
from koshiqon.kandas.domain.grid import Grid
from koshiqon.kandas.domain.policy import GRID_KIND, grid_from
from koshiqon.kandas.domain.ranking import DECISION_NAMES, Quota
from koshiqon.kandas.domain.whatif import Case, Comparison, compare
from koshiqon.kandas.models import Appeal, Application, QuotaPlan, SelectionResult, SelectionRun
from koshiqon.kandas.selectors.selection_data import (
    plan_quotas,
    score_and_rank,
    selection_data,
    selection_date,
)

# Applications that went through a selection of their year, whatever its outcome since: what-if re-ranks them.
WHATIF_STATUSES = ("recommended", "waitlisted", "included", "ineligible", "status_granted")


def _in_scope(qs: QuerySet, user, field: str = "region_id") -> QuerySet:
    scope = region_ids_in_scope(user)
    return qs if scope is None else qs.filter(**{f"{field}__in": scope})


def run_list(*, user) -> QuerySet[SelectionRun]:
    require(user, Perm.KANDAS_VIEW)
    return SelectionRun.objects.select_related("plan", "grid_version", "started_by", "approved_by", "job")


def run_get(*, user, pk: int) -> SelectionRun:
    return get_object_or_404(run_list(user=user), pk=pk)


def run_results(*, user, run: SelectionRun, region: str = "", decision: str = "") -> QuerySet[SelectionResult]:
    """The ranked list, best first, limited to the user's regions."""
    qs = run.results.select_related("application__region", "application__head").order_by("rank")
    qs = _in_scope(qs, user, "application__region_id")
    if region:
        qs = qs.filter(application__region__code=region)
    if decision in DECISION_NAMES:
        qs = qs.filter(decision=decision)
    return qs


def run_counts(*, user, run: SelectionRun) -> list[dict]:
    """Per region of the user's scope: the quota, the applications per decision, and the persons admitted."""
    rows = (
        _in_scope(run.results.all(), user, "application__region_id")
        .values("application__region__code")
        .annotate(
            included=Count("pk", filter=Q(decision="included")),
            waitlisted=Count("pk", filter=Q(decision="waitlisted")),
            ineligible=Count("pk", filter=Q(decision="ineligible")),
        )
    )
    found = {r["application__region__code"]: r for r in rows}
    regions = {r.region.code: r for r in run.plan.regional.select_related("region").prefetch_related("region__names")}
    scope = region_ids_in_scope(user)
    out = []
    for code in sorted(set(found) | set(regions)):
        quota = regions.get(code)
        if scope is not None and (quota is None or quota.region_id not in scope) and code not in found:
            continue
        counts = found.get(code, {})
        summary = (run.summary.get("regions") or {}).get(code, {})
        out.append({
            "code": code, "region": quota.region if quota else None, "quota": quota.amount if quota else None,
            "included": counts.get("included", 0), "waitlisted": counts.get("waitlisted", 0),
            "ineligible": counts.get("ineligible", 0), "persons": summary.get("persons", 0),
        })
    return out


def application_queryset(*, user) -> QuerySet[Application]:
    require(user, Perm.KANDAS_VIEW)
    qs = Application.objects.select_related("region", "head", "grid_version", "rules_version")
    return _in_scope(qs, user)


def decided_application_get(*, user, pk: int) -> Application:
    return get_object_or_404(application_queryset(user=user), pk=pk)


def decision_read(*, user, pk: int, channel: str, path: str) -> Application:
    """An application's decision shown to the user (its page, its letter): the family's personal data, so
    the read is logged against the head of the family, as for the application itself."""
    application = decided_application_get(user=user, pk=pk)
    access_record(user=user, obj=application.head, channel=channel, path=path)
    return application


@dataclass(frozen=True)
class Verification:
    """What the public verification page may show: no personal data beyond initials."""

    number: str
    initials: str
    status: str
    decided_on: object
    valid_until: object
    year: int


def verification_get(*, code: str) -> Verification:
    """The decision a letter's code stands for. Public: anyone holding the letter may check it."""
    app = get_object_or_404(
        Application.objects.select_related("head").exclude(verification_code__isnull=True), verification_code=code
    )
    head = app.head
    initials = ".".join(p[:1].upper() for p in (head.last_name, head.first_name, head.patronymic) if p) + "."
    return Verification(app.number, initials, app.status, timezone.localdate(app.decided_at) if app.decided_at
                        else None, app.status_valid_until, app.year)


def appeal_list(*, user, outcome: str = "") -> QuerySet[Appeal]:
    require(user, Perm.KANDAS_VIEW)
    qs = Appeal.objects.select_related("application__region", "application__head", "decided_by")
    qs = _in_scope(qs, user, "application__region_id")
    return qs.filter(outcome=outcome) if outcome else qs


def appeal_get(*, user, pk: int) -> Appeal:
    return get_object_or_404(appeal_list(user=user), pk=pk)


@dataclass(frozen=True)
class WhatIf:
    year: int
    applications: int
    comparison: Comparison
    numbers: dict[int, str]
    scores_before: dict[int, float]
    scores_after: dict[int, float]
    regions: dict[int, str]


def whatif_compare(
    *, user, year: int, grid_before: Grid, quotas_before: dict[str, Quota], grid_after: Grid,
    quotas_after: dict[str, Quota],
) -> WhatIf:
    """Rank the applications that entered the selection of `year` twice, under the rules in force and under
    a draft (grid, quota or both), and compare who is included. Both rankings are computed afresh over the same
    applications, so that the difference is the draft's alone, not that of withdrawals since."""
    require(user, Perm.KANDAS_SELECT)
    data = selection_data(Application.objects.filter(year=year, status__in=WHATIF_STATUSES))
    before_scores, before = score_and_rank(data, grid_before, quotas_before)
    after_scores, after = score_and_rank(data, grid_after, quotas_after)
    ids = data.ids.tolist()
    cases = [Case(pk, str(data.regions[i]), data.education[i], data.origin[i], int(data.sizes[i]))
             for i, pk in enumerate(ids)]
    names_before = before.decision_names().tolist()
    names_after = after.decision_names().tolist()
    comparison = compare(
        cases, dict(zip(ids, names_before, strict=True)), dict(zip(ids, names_after, strict=True)),
        order_before=dict(zip(ids, before.rank.tolist(), strict=True)),
        order_after=dict(zip(ids, after.rank.tolist(), strict=True)),
    )
    moved = set(comparison.entering) | set(comparison.leaving)
    index = {pk: i for i, pk in enumerate(ids) if pk in moved}
    return WhatIf(
        year=year, applications=len(ids), comparison=comparison,
        numbers={pk: data.numbers[i] for pk, i in index.items()},
        scores_before={pk: float(before_scores.total[i]) for pk, i in index.items()},
        scores_after={pk: float(after_scores.total[i]) for pk, i in index.items()},
        regions={pk: str(data.regions[i]) for pk, i in index.items()},
    )


def whatif_baseline(*, year: int) -> tuple[Grid, dict[str, Quota], str]:
    """The rules in force for the selection of `year`: the grid in force on its selection date and the full
    regional quotas of its kandas plan (and the grid version's code). ValidationError when either is missing."""
    plan = QuotaPlan.objects.filter(year=year, category="kandas").first()
    errors = []
    if plan is None or not plan.regional.exists():
        errors.append(_("There is no regional kandas quota plan for %(year)s to compare with.") % {"year": year})
    version = policy_in_force(kind=GRID_KIND, on=selection_date(year))
    if version is None:
        errors.append(_("No criteria grid was in force for the selection of %(year)s.") % {"year": year})
    if errors:
        raise ValidationError(errors)
    return grid_from(version.parameters), plan_quotas(plan, free_only=False), version.code


def whatif(
    *, user, year: int, grid: Grid | None = None, grid_version_id: int | None = None,
    quotas: dict[str, Quota] | None = None, plan_id: int | None = None,
) -> tuple[WhatIf, str]:
    """The what-if comparison of a draft against the rules in force for `year`: a draft grid (given, or a
    stored version) and/or draft quotas (given, or a stored plan); what is not given stays as in force.
    Returns the comparison and the code of the grid in force."""
    require(user, Perm.KANDAS_SELECT)
    grid_before, quotas_before, code = whatif_baseline(year=year)
    grid_after = grid or grid_before
    if grid is None and grid_version_id is not None:
        version = PolicyVersion.objects.filter(kind=GRID_KIND, pk=grid_version_id).first()
        if version is None:
            raise ValidationError({"grid_version": [_("Choose one of the stored grids.")]})
        grid_after = grid_from(version.parameters)
    quotas_after = quotas or quotas_before
    if quotas is None and plan_id is not None:
        plan = QuotaPlan.objects.filter(category="kandas", pk=plan_id).first()
        if plan is None:
            raise ValidationError({"plan": [_("Choose one of the stored quota plans.")]})
        quotas_after = plan_quotas(plan, free_only=False)
    return whatif_compare(user=user, year=year, grid_before=grid_before, quotas_before=quotas_before,
                          grid_after=grid_after, quotas_after=quotas_after), code
