"""Reads of plans, their referrals, stays and outcomes, scoped to the user (koshiqon.adaptation.access).

A plan names a family and its members: opening one is a read of each member's record (an access event per
person); a list that names the heads of families logs a read of each head shown.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from koshiqon.adaptation.access import centres_in_scope, overdue_condition, plans_in_scope
from koshiqon.adaptation.domain import outcomes as outcome_rules
from koshiqon.adaptation.domain.plans import (
    Progress,
    ReferralState,
    days_overdue,
    delivered_late,
    plan_progress,
    referral_state,
)
from koshiqon.adaptation.models import Centre, Outcome, Plan, PlanStatus, Referral, Stay
from koshiqon.core.audit import access_record_many
from koshiqon.core.domain.permissions import Perm
from koshiqon.core.models import AuditEvent
from koshiqon.core.permissions import require
from koshiqon.kandas.domain.status import AppStatus
from koshiqon.kandas.models import Application
from koshiqon.people.domain.names import skeleton
from koshiqon.people.models import Family, FamilyMember, Person

FILTERS = ("centre", "status", "overdue", "q", "arrived")
NOT_COMING = (AppStatus.WITHDRAWN, AppStatus.REJECTED, AppStatus.INELIGIBLE)


def plan_queryset(*, user) -> QuerySet[Plan]:
    require(user, Perm.ADAPTATION_VIEW)
    return plans_in_scope(user)


def with_progress(qs: QuerySet[Plan], today: date) -> QuerySet[Plan]:
    """Each plan with `referred`, `delivered` and `overdue` (counts of its referrals)."""
    return qs.annotate(
        referred=Count("referrals", distinct=True),
        delivered=Count("referrals", filter=Q(referrals__delivered_on__isnull=False), distinct=True),
        overdue=Count("referrals", filter=overdue_condition(today, "referrals__"), distinct=True),
    )


def plan_with_progress(*, plan: Plan, today: date | None = None) -> Plan:
    """The plan again, with its progress counts (see with_progress). It must come from a scoped selector."""
    qs = Plan.objects.filter(pk=plan.pk).select_related("centre__region", "family", "application")
    return with_progress(qs, today or timezone.localdate()).get()


def _heads() -> Prefetch:
    return Prefetch("family__members", queryset=FamilyMember.objects.filter(relation="head").select_related("person"),
                    to_attr="heads")


def plan_list(*, user, filters: Mapping[str, Any] | None = None, today: date | None = None) -> QuerySet[Plan]:
    """The plans the user may see, latest arrival first, each with its progress counts and `heads` (the head
    of family, a list of at most one) on its family.

    Filters: centre (id), status (active, closed), overdue (True: with an overdue referral), arrived (a date:
    arriving that day), q (plan number, or the family's or head's name in any script)."""
    today = today or timezone.localdate()
    filters = {k: v for k, v in (filters or {}).items() if k in FILTERS and v not in (None, "")}
    qs = with_progress(plan_queryset(user=user), today).prefetch_related(_heads())
    if "centre" in filters:
        qs = qs.filter(centre_id=int(filters["centre"]))
    if "status" in filters:
        qs = qs.filter(status=filters["status"])
    if filters.get("overdue") is True:
        qs = qs.filter(overdue_condition(today, "referrals__")).distinct()
    if "arrived" in filters:
        qs = qs.filter(arrival_date=filters["arrived"])
    q = str(filters.get("q", "")).strip()
    if q:
        if q.upper().startswith("AP-"):
            qs = qs.filter(number__istartswith=q)
        else:
            by_head = Q()
            for token in skeleton(q).split():
                by_head &= Q(family__members__person__name_key__contains=token)
            qs = qs.filter(Q(family__name__icontains=q) | by_head).distinct()
    return qs.order_by("-arrival_date", "-id")


def log_heads(*, user, plans, channel: str, path: str) -> None:
    """A list that names heads of families is a read of each head shown."""
    ids = [h.person_id for p in plans for h in getattr(p.family, "heads", [])]
    if ids:
        access_record_many(user=user, object_type="people.person", object_ids=ids, channel=channel, path=path)


def plan_visible(*, user, pk: int) -> Plan:
    """A plan the user may see (404 outside the user's centres or regions), not yet logged as read: the
    caller logs the read with `log_plan_read` when it shows the family."""
    return get_object_or_404(plan_queryset(user=user), pk=pk)


def log_plan_read(*, user, plan: Plan, channel: str, path: str) -> None:
    """A plan shows every member of the family: each member's record is logged as read."""
    members = FamilyMember.objects.filter(family=plan.family).values_list("person_id", flat=True)
    access_record_many(user=user, object_type="people.person", object_ids=list(members), channel=channel, path=path)


def plan_get(*, user, pk: int, channel: str, path: str) -> Plan:
    """One plan, its read logged against each member of the family."""
    plan = plan_visible(user=user, pk=pk)
    log_plan_read(user=user, plan=plan, channel=channel, path=path)
    return plan


def plan_for_update(*, user, pk: int) -> Plan:
    """A plan the user may change: 403 without the right, 404 outside the user's centres."""
    require(user, Perm.ADAPTATION_CHANGE)
    return get_object_or_404(plans_in_scope(user), pk=pk)


def referral_for_update(*, user, pk: int) -> Referral:
    require(user, Perm.ADAPTATION_CHANGE)
    return get_object_or_404(Referral.objects.select_related("plan", "service"), pk=pk, plan__in=plans_in_scope(user))


def stay_for_update(*, user, pk: int) -> Stay:
    require(user, Perm.ADAPTATION_CHANGE)
    return get_object_or_404(Stay.objects.select_related("plan", "person"), pk=pk, plan__in=plans_in_scope(user))


@dataclass
class MemberRow:
    person: Person
    relation: str
    working_age: bool
    stay: Stay | None = None  # the open stay, if the person is staying now


@dataclass
class ReferralRow:
    referral: Referral
    state: ReferralState
    late: bool
    days_overdue: int


@dataclass
class OutcomeCell:
    months: int
    due_on: date
    reached: bool
    applies: bool  # the member is of working age at this checkpoint
    outcome: Outcome | None = None

    @property
    def open(self) -> bool:
        """An outcome can be recorded here now."""
        return self.reached and self.applies


@dataclass
class PlanView:
    plan: Plan
    members: list[MemberRow]
    referrals: list[ReferralRow]
    progress: Progress
    stays: list[Stay]
    outcomes: list[tuple[Person, list[OutcomeCell]]] = field(default_factory=list)

    @property
    def staying(self) -> int:
        return sum(1 for m in self.members if m.stay is not None)


def plan_view(*, plan: Plan, today: date | None = None) -> PlanView:
    """What a plan's page shows: members (working age, staying now), referrals with their state, progress,
    the stays, and the outcome grid (each working-age member x 3, 6, 12 months: reached, recorded). The plan
    must come from a scoped selector."""
    today = today or timezone.localdate()
    stays = list(Stay.objects.filter(plan=plan).select_related("person", "centre").order_by("-check_in", "id"))
    open_stays = {s.person_id: s for s in stays if s.check_out is None}
    members = [
        MemberRow(m.person, m.get_relation_display(),
                  outcome_rules.is_working_age(birth=m.person.birth_date, sex=m.person.sex, on=max(today, plan.arrival_date)),
                  open_stays.get(m.person_id))
        for m in FamilyMember.objects.filter(family=plan.family).select_related("person").order_by("id")
    ]
    referrals = []
    for r in plan.referrals.select_related("service", "person", "delivered_by").order_by("due_on", "id"):
        state = referral_state(due_on=r.due_on, delivered_on=r.delivered_on, today=today)
        referrals.append(ReferralRow(r, state, delivered_late(due_on=r.due_on, delivered_on=r.delivered_on),
                                     days_overdue(due_on=r.due_on, delivered_on=r.delivered_on, today=today)))
    recorded = {(o.person_id, o.months): o for o in plan.outcomes.all()}
    grid = []
    for m in members:
        cells = []
        for months in outcome_rules.CHECKPOINTS:
            at = outcome_rules.checkpoint_date(plan.arrival_date, months)
            applies = outcome_rules.is_working_age(birth=m.person.birth_date, sex=m.person.sex, on=at)
            cells.append(OutcomeCell(months, at, at <= today, applies, recorded.get((m.person.pk, months))))
        if any(c.applies for c in cells):
            grid.append((m.person, cells))
    return PlanView(plan, members, referrals, plan_progress(r.state for r in referrals), stays, grid)


def plan_history(*, plan: Plan) -> QuerySet[AuditEvent]:
    """The audit events of the plan and of its referrals, stays and outcomes, oldest first: what was done
    for the family, by whom and when. The plan must come from a scoped selector."""
    def ids(qs) -> list[str]:
        return [str(pk) for pk in qs.values_list("pk", flat=True)]

    return AuditEvent.objects.filter(
        Q(object_type="adaptation.plan", object_id=str(plan.pk))
        | Q(object_type="adaptation.referral", object_id__in=ids(plan.referrals.all()))
        | Q(object_type="adaptation.stay", object_id__in=ids(plan.stays.all()))
        | Q(object_type="adaptation.outcome", object_id__in=ids(plan.outcomes.all()))
    ).order_by("occurred_at", "seq", "id")


def families_for_plan(*, user, centre: Centre, q: str = "") -> QuerySet[Family]:
    """Families a centre's staff may make a plan for: settling in the centre's region (registered there, or
    their kandas application names it), without an active plan; found by the family's or a member's name."""
    require(user, Perm.ADAPTATION_CHANGE)
    if not centres_in_scope(user).filter(pk=centre.pk).exists():
        return Family.objects.none()
    applying = Application.objects.filter(region_id=centre.region_id).exclude(status__in=NOT_COMING).values("family_id")
    qs = (Family.objects.filter(Q(region_id=centre.region_id) | Q(pk__in=applying))
          .exclude(adaptation_plans__status=PlanStatus.ACTIVE).prefetch_related("members__person"))
    q = q.strip()
    if q:
        by_member = Q()
        for token in skeleton(q).split():
            by_member &= Q(members__person__name_key__contains=token)
        qs = qs.filter(Q(name__icontains=q) | by_member)
    return qs.distinct().order_by("name", "id")


def family_for_plan(*, user, centre: Centre, pk: int) -> Family:
    return get_object_or_404(families_for_plan(user=user, centre=centre), pk=pk)


@dataclass
class OverdueRow:
    referral: Referral
    days: int


@dataclass
class Dashboard:
    """A centre's day, for its staff: the families at the centre, today's arrivals, the overdue services."""

    centre: Centre
    plans: list[Plan]
    arrivals: list[Plan]
    overdue: list[OverdueRow]
    staying: list[Stay]


def centre_dashboard(
    *, user, centre: Centre, channel: str, path: str, today: date | None = None, limit: int = 200
) -> Dashboard:
    """The active plans at the centre (with progress), the plans arriving today, the overdue referrals
    (most overdue first) and who stays now. `centre` must come from a scoped selector. The heads of the
    families listed, the members named by the overdue referrals and the persons staying are logged as read, in
    one bulk write."""
    today = today or timezone.localdate()
    active = plan_list(user=user, filters={"centre": centre.pk, "status": PlanStatus.ACTIVE}, today=today)
    plans = list(active[:limit])
    arrivals = [p for p in plans if p.arrival_date == today]
    overdue = [
        OverdueRow(r, days_overdue(due_on=r.due_on, delivered_on=None, today=today))
        for r in Referral.objects.filter(overdue_condition(today), plan__centre=centre, plan__status=PlanStatus.ACTIVE)
        .select_related("plan__family", "service", "person").order_by("due_on", "id")[:limit]
    ]
    staying = list(Stay.objects.filter(centre=centre, check_out__isnull=True).select_related("person", "plan")
                   .order_by("check_in", "id")[:limit])
    shown = [h.person_id for p in plans for h in getattr(p.family, "heads", [])]
    shown += [row.referral.person_id for row in overdue if row.referral.person_id]
    shown += [s.person_id for s in staying]
    if shown:
        access_record_many(user=user, object_type="people.person", object_ids=shown, channel=channel, path=path)
    return Dashboard(centre, plans, arrivals, overdue, staying)
