"""Who may see and change which centres and plans: the one definition that services and selectors share.

- Centre staff see the centres they are staff of (Centre.staff) and the plans at those centres, and change
  those plans (their role's `adaptation.change`); nothing else, whatever their regions.
- Regional officers and viewers see the centres of their regions and the plans at them, read only.
- National officers see every centre and plan, and manage centres (`centres.manage`), but change no plan.
- Anything outside a user's scope is simply not in these querysets, so it answers 404.

A service called by the system itself (the demo, a data load, the placement part generating history) passes
a label such as "koshiqon demo" as `by` instead of a user: it is not a person, so it has no rights to check.
"""

from datetime import date

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet

from koshiqon.adaptation.models import Centre, Plan
from koshiqon.core.domain.permissions import Perm, Role
from koshiqon.core.permissions import region_ids_in_scope, require


def is_system(by) -> bool:
    return isinstance(by, str)


def require_right(by, perm: Perm) -> None:
    """403 unless `by` is a user with the right, or the system itself."""
    if not is_system(by):
        require(by, perm)


def is_centre_staff(user) -> bool:
    return getattr(user, "role", None) == Role.CENTRE_STAFF


def centres_in_scope(user) -> QuerySet[Centre]:
    """The centres the user may see (no right checked here: the callers check it)."""
    qs = Centre.objects.select_related("region")
    if is_centre_staff(user):
        return qs.filter(staff=user)
    scope = region_ids_in_scope(user)
    return qs if scope is None else qs.filter(region_id__in=scope)


def plans_in_scope(user) -> QuerySet[Plan]:
    qs = Plan.objects.select_related("centre", "centre__region", "family", "application")
    if is_centre_staff(user):
        return qs.filter(centre__staff=user)
    scope = region_ids_in_scope(user)
    return qs if scope is None else qs.filter(centre__region_id__in=scope)


def require_plan_change(by, plan: Plan) -> None:
    """A write on a plan: the right to change plans, and the plan at one of the user's centres."""
    if is_system(by):
        return
    require(by, Perm.ADAPTATION_CHANGE)
    if not plans_in_scope(by).filter(pk=plan.pk).exists():
        raise PermissionDenied("scope")


def require_centre_write(by, centre: Centre) -> None:
    """A new plan at a centre: the right to change plans, and the centre one of the user's."""
    if is_system(by):
        return
    require(by, Perm.ADAPTATION_CHANGE)
    if not centres_in_scope(by).filter(pk=centre.pk).exists():
        raise PermissionDenied("scope")


def overdue_condition(today: date, prefix: str = "") -> Q:
    """Referrals not delivered whose due date has passed (domain/plans.py); `prefix` reaches them from a
    related table ("referrals__")."""
    return Q(**{f"{prefix}delivered_on__isnull": True, f"{prefix}due_on__lt": today})
