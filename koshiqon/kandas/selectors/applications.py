"""Every read of kandas applications and quota plans, already scoped to the user.

An application's preferred region is its scope: a regional officer or viewer sees the applications of their
regions, national roles see all; an application outside the user's regions is not in the queryset, so it
answers 404. Quota plans and their utilisation are counts, not personal data: everyone who may see kandas
cases sees them for every region.
"""

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import BooleanField, Case, Count, Q, QuerySet, Value, When
from django.shortcuts import get_object_or_404
from django.utils import timezone

from koshiqon.core.audit import access_record_many
from koshiqon.core.domain.permissions import Perm
from koshiqon.core.models import AuditEvent
from koshiqon.core.permissions import region_ids_in_scope, require
from koshiqon.kandas.domain.status import AppStatus
from koshiqon.kandas.models import ApplicantMember, Application, QuotaCategory, QuotaPlan
from koshiqon.people.domain.names import skeleton
from koshiqon.people.models import Family
from koshiqon.reference.models import Region

GRANTED = (AppStatus.INCLUDED, AppStatus.STATUS_GRANTED)
PENDING = (AppStatus.SUBMITTED, AppStatus.CHECKED, AppStatus.RECOMMENDED)
FILTERS = ("status", "region", "year", "overdue", "q", "channel")


def overdue_condition(today: date) -> Q:
    """Waiting past a deadline in the status that deadline governs (see domain.procedure.overdue)."""
    return Q(status=AppStatus.SUBMITTED, check_due__lt=today) | Q(status=AppStatus.CHECKED, commission_due__lt=today)


def application_queryset(*, user) -> QuerySet[Application]:
    require(user, Perm.KANDAS_VIEW)
    qs = Application.objects.select_related("region", "head", "family", "rules_version")
    scope = region_ids_in_scope(user)
    return qs if scope is None else qs.filter(region_id__in=scope)


def application_list(*, user, filters: Mapping[str, Any] | None = None, today: date | None = None) -> QuerySet:
    """The applications the user may see, newest first, each with `is_overdue` and `size` (persons).

    Filters: status, region (ISO code), year, channel, overdue (True: only overdue ones), q (an application
    number, or the head's name in any script)."""
    filters = {k: v for k, v in (filters or {}).items() if k in FILTERS and v not in (None, "")}
    today = today or timezone.localdate()
    qs = application_queryset(user=user).prefetch_related("region__names").annotate(
        is_overdue=Case(When(overdue_condition(today), then=Value(True)), default=Value(False),
                        output_field=BooleanField()),
        size=Count("members", distinct=True),
    )
    if "status" in filters:
        qs = qs.filter(status=filters["status"])
    if "region" in filters:
        qs = qs.filter(region__code=str(filters["region"]).strip().upper())
    if "year" in filters:
        qs = qs.filter(year=int(filters["year"]))
    if "channel" in filters:
        qs = qs.filter(channel=filters["channel"])
    if filters.get("overdue") is True:
        qs = qs.filter(overdue_condition(today))
    q = str(filters.get("q", "")).strip()
    if q:
        if q.upper().startswith("KQ-"):
            qs = qs.filter(number__istartswith=q)
        else:
            for token in skeleton(q).split():
                qs = qs.filter(head__name_key__contains=token)
    return qs.order_by("-applied_at", "-id")


def application_get(*, user, pk: int, channel: str, path: str) -> Application:
    """One application. Its file names every member of the family with a date of birth, so the read is
    logged against the head and each member (one bulk write)."""
    application = get_object_or_404(application_queryset(user=user), pk=pk)
    members = application.members.values_list("person_id", flat=True)
    access_record_many(user=user, object_type="people.person", object_ids=[application.head_id, *members],
                       channel=channel, path=path)
    return application


def application_for_update(*, user, pk: int) -> Application:
    """An application the user may process: 403 without the right, 404 outside the user's regions."""
    require(user, Perm.KANDAS_PROCESS)
    return get_object_or_404(application_queryset(user=user), pk=pk)


def application_members(*, application: Application) -> QuerySet[ApplicantMember]:
    return application.members.select_related("person", "education", "occupation").order_by("id")


def application_history(*, application: Application) -> QuerySet[AuditEvent]:
    """The application's audit events, oldest first: its status history, with who, when and why. The
    application must come from a scoped selector."""
    return AuditEvent.objects.filter(object_type="kandas.application", object_id=str(application.pk)).order_by("occurred_at", "seq", "id")


def families_for_application(*, user, q: str = "") -> QuerySet[Family]:
    """Families an officer may file an application for: those registered in the officer's regions, found by
    the family's name or the head's name in any script."""
    require(user, Perm.KANDAS_PROCESS)
    qs = Family.objects.select_related("region").prefetch_related("members__person", "region__names")
    scope = region_ids_in_scope(user)
    if scope is not None:
        qs = qs.filter(region_id__in=scope)
    q = q.strip()
    if q:
        by_member = Q()
        for token in skeleton(q).split():
            by_member &= Q(members__person__name_key__contains=token)
        qs = qs.filter(Q(name__icontains=q) | by_member)
    return qs.distinct().order_by("name", "id")


def family_for_application(*, user, pk: int) -> Family:
    return get_object_or_404(families_for_application(user=user), pk=pk)


# --- Quota plans -------------------------------------------------------------------------------------------

def quota_plans(*, user) -> QuerySet[QuotaPlan]:
    require(user, Perm.KANDAS_VIEW)
    return QuotaPlan.objects.prefetch_related("regional__region__names").order_by("-year", "category")


def quota_plan_get(*, user, year: int, category: str) -> QuotaPlan:
    return get_object_or_404(quota_plans(user=user), year=year, category=category)


@dataclass
class RegionUse:
    """One region's quota and how much of it is used, in the plan's unit (families or persons)."""

    code: str
    region: Region | None
    quota: int
    granted: int = 0
    pending: int = 0

    @property
    def free(self) -> int:
        """Places not granted yet (never below zero: a quota exceeded shows in `over`)."""
        return max(self.quota - self.granted, 0)

    @property
    def over(self) -> int:
        return max(self.granted - self.quota, 0)

    def share(self, part: int) -> float:
        """`part` as a percentage of the quota (for the bars), at most 100."""
        return min(round(100 * part / self.quota, 1), 100.0) if self.quota else 0.0

    @property
    def bars(self) -> dict[str, float]:
        granted = self.share(self.granted)
        pending = min(self.share(self.pending), round(100 - granted, 1))
        return {"granted": granted, "pending": pending, "free": round(max(100 - granted - pending, 0), 1)}


@dataclass
class Utilisation:
    plan: QuotaPlan
    rows: list[RegionUse] = field(default_factory=list)
    total: RegionUse | None = None


def quota_utilisation(*, year: int, category: str = QuotaCategory.KANDAS, user=None) -> Utilisation | None:
    """Per region of the year's plan: the quota, what is granted (families included in the quota or granted
    kandas status), what is pending (submitted, checked or recommended, not decided yet), and what is free,
    all in the plan's unit. Regions with applications but no quota are listed with a quota of 0. Settlers'
    plans have no applications here (internal migration has its own cases), so only their quotas show."""
    if user is not None:
        require(user, Perm.KANDAS_VIEW)
    plan = QuotaPlan.objects.filter(year=year, category=category).prefetch_related("regional__region__names").first()
    if plan is None:
        return None
    rows = {q.region.code: RegionUse(q.region.code, q.region, q.amount) for q in plan.regional.all()}
    if category == QuotaCategory.KANDAS:
        measure = "persons" if plan.unit == "persons" else "families"
        counts = (
            Application.objects.filter(year=year, status__in=[*GRANTED, *PENDING])
            .values("region__code", "status")
            .annotate(families=Count("id", distinct=True), persons=Count("members"))
        )
        used: dict[str, dict[str, int]] = defaultdict(lambda: {"granted": 0, "pending": 0})
        for row in counts:
            bucket = "granted" if row["status"] in GRANTED else "pending"
            used[row["region__code"]][bucket] += row[measure]
        extra = {r.code: r for r in Region.objects.filter(code__in=set(used) - set(rows)).prefetch_related("names")}
        for code, values in used.items():
            row = rows.get(code) or rows.setdefault(code, RegionUse(code, extra.get(code), 0))
            row.granted, row.pending = values["granted"], values["pending"]
    ordered = sorted(rows.values(), key=lambda r: (-r.quota, r.code))
    national = plan.national_total if plan.national_total is not None else sum(r.quota for r in ordered)
    total = RegionUse("", None, national, sum(r.granted for r in ordered), sum(r.pending for r in ordered))
    return Utilisation(plan=plan, rows=ordered, total=total)
