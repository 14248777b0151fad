"""Reads of the employer registry, scoped to the user.

- National officers see every employer; regional officers and viewers those of their regions.
- An employer account (Role.EMPLOYER) sees only the employers it is linked to (`Employer.users`).
- Anyone else sees none. An employer outside the user's scope is not in the queryset: asking for it is 404.
"""

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from koshiqon.core.domain.permissions import Perm
from koshiqon.core.permissions import can, region_ids_in_scope, require
from koshiqon.labour.domain.decision import StaffCount
from koshiqon.labour.domain.policy_data import CITIZEN_SHARE_MIN
from koshiqon.labour.models import Employer, EmployerStaff

# The staff categories counted for the citizen-share rule (from 2012): 1 to 4.
STAFF_CATEGORIES: tuple[str, ...] = tuple(CITIZEN_SHARE_MIN.value)


def employers_for(user) -> QuerySet[Employer]:
    """The employers the user may see (none for a user without a labour right)."""
    qs = Employer.objects.select_related("region").prefetch_related("region__names")
    if can(user, Perm.LABOUR_VIEW):
        scope = region_ids_in_scope(user)
        return qs if scope is None else qs.filter(region_id__in=scope)
    if can(user, Perm.LABOUR_APPLY):
        return qs.filter(users=user)
    return qs.none()


def require_employer_view(user) -> None:
    """403 for a role that may never see employers (pages and the API ask this before any lookup)."""
    if not (can(user, Perm.LABOUR_VIEW) or can(user, Perm.LABOUR_APPLY)):
        require(user, Perm.LABOUR_VIEW)


def employer_list(*, user, q: str = "", region: str = "", sector: str = "") -> QuerySet[Employer]:
    require_employer_view(user)
    qs = employers_for(user)
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(bin__startswith=q.replace(" ", "")))
    if region:
        qs = qs.filter(region__code=region)
    if sector:
        qs = qs.filter(sector=sector)
    return qs.order_by("name", "id")


def employer_get(*, user, pk: int) -> Employer:
    require_employer_view(user)
    return get_object_or_404(employers_for(user), pk=pk)


def employer_by_bin(*, user, bin: str) -> Employer | None:
    return employers_for(user).filter(bin=bin).first()


def staff_rows(employer: Employer) -> QuerySet[EmployerStaff]:
    return employer.staff.order_by("category")


def employer_staff(employer: Employer) -> tuple[StaffCount, ...]:
    """The employer's staff by category, as the permit decision reads them (`domain.decision.StaffCount`)."""
    return tuple(
        StaffCount(row.category, row.citizens, row.foreigners, row.ict_transferees) for row in staff_rows(employer)
    )


def employer_accounts(employer: Employer):
    return employer.users.order_by("username")
