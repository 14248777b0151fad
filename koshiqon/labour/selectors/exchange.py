"""Reads of the labour exchange: vacancies and registered local jobseekers, scoped to the user, and the count
the labour-market test quotes.

- Officers and viewers see the vacancies and jobseekers of their regions (national officers all).
- An employer account sees the vacancies of the employers it acts for, and no jobseeker.
- Anyone else sees none; a record outside the scope answers 404.
"""

from datetime import date

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from koshiqon.core.domain.permissions import Perm
from koshiqon.core.permissions import can, region_ids_in_scope, require
from koshiqon.labour.models import Jobseeker, Vacancy
from koshiqon.reference.models import Occupation, Region


def vacancies_for(user) -> QuerySet[Vacancy]:
    qs = Vacancy.objects.select_related("region", "occupation", "employer").prefetch_related("region__names")
    if can(user, Perm.LABOUR_VIEW):
        scope = region_ids_in_scope(user)
        return qs if scope is None else qs.filter(region_id__in=scope)
    if can(user, Perm.LABOUR_APPLY):
        return qs.filter(employer__users=user)
    return qs.none()


def require_vacancy_view(user) -> None:
    if not (can(user, Perm.LABOUR_VIEW) or can(user, Perm.LABOUR_APPLY)):
        require(user, Perm.LABOUR_VIEW)


def vacancy_list(*, user, filters: dict | None = None) -> QuerySet[Vacancy]:
    """Newest first. Filters: q (exchange id, title or employer BIN), region (code), occupation (an ISCO code:
    the group and its sub-groups), status, posted_from, posted_to (dates), employer (id)."""
    require_vacancy_view(user)
    f = filters or {}
    qs = vacancies_for(user)
    if q := f.get("q"):
        qs = qs.filter(Q(exchange_id__icontains=q) | Q(title__icontains=q) | Q(employer_bin__startswith=q))
    if f.get("region"):
        qs = qs.filter(region__code=f["region"])
    if f.get("occupation"):
        qs = qs.filter(occupation__code__startswith=f["occupation"])
    if f.get("status"):
        qs = qs.filter(status=f["status"])
    if f.get("posted_from"):
        qs = qs.filter(posted_on__gte=f["posted_from"])
    if f.get("posted_to"):
        qs = qs.filter(posted_on__lte=f["posted_to"])
    if f.get("employer"):
        qs = qs.filter(employer_id=f["employer"])
    return qs.order_by("-posted_on", "-id")


def vacancy_get(*, user, pk: int) -> Vacancy:
    require_vacancy_view(user)
    return get_object_or_404(vacancies_for(user), pk=pk)


def vacancy_by_exchange_id(*, user, exchange_id: str) -> Vacancy | None:
    """The vacancy a permit application quotes, if the user may see it."""
    return vacancies_for(user).filter(exchange_id=exchange_id).first()


def jobseekers_for(user) -> QuerySet[Jobseeker]:
    qs = Jobseeker.objects.select_related("region", "occupation", "education").prefetch_related("region__names")
    if can(user, Perm.LABOUR_VIEW):
        scope = region_ids_in_scope(user)
        return qs if scope is None else qs.filter(region_id__in=scope)
    return qs.none()


def jobseeker_list(*, user, filters: dict | None = None) -> QuerySet[Jobseeker]:
    """Newest registration first. Filters: q (registration number), region, occupation (group and sub-groups),
    education (ISCED level), active_on (a date: registered then and not deregistered)."""
    require(user, Perm.LABOUR_VIEW)
    f = filters or {}
    qs = jobseekers_for(user)
    if q := f.get("q"):
        qs = qs.filter(registration__icontains=q)
    if f.get("region"):
        qs = qs.filter(region__code=f["region"])
    if f.get("occupation"):
        qs = qs.filter(occupation__code__startswith=f["occupation"])
    if f.get("education"):
        qs = qs.filter(education__code=f["education"])
    if on := f.get("active_on"):
        qs = _registered_on(qs, on)
    return qs.order_by("-registered_on", "-id")


def jobseeker_get(*, user, pk: int) -> Jobseeker:
    require(user, Perm.LABOUR_VIEW)
    return get_object_or_404(jobseekers_for(user), pk=pk)


def _registered_on(qs: QuerySet[Jobseeker], on: date) -> QuerySet[Jobseeker]:
    return qs.filter(registered_on__lte=on).filter(Q(deregistered_on__isnull=True) | Q(deregistered_on__gt=on))


def local_jobseekers_count(*, region, occupation, on: date) -> int:
    """How many local jobseekers could have been offered a job in `region` and `occupation` on `on`: registered
    on or before that day and not deregistered by then (deregistered on that day or earlier: not counted), in
    the same region, in the same ISCO-08 group or one of its sub-groups (a jobseeker registered only under a
    broader group does not count: see `domain.exchange.occupation_covers`).

    `region` is a Region, its id or its ISO code; `occupation` an Occupation or its ISCO code. Not scoped: the
    permit decision quotes the figure whoever decides."""
    code = occupation.code if isinstance(occupation, Occupation) else str(occupation or "")
    if not code:
        return 0
    qs = Jobseeker.objects.filter(occupation__code__startswith=code)
    if isinstance(region, Region):
        qs = qs.filter(region=region)
    elif isinstance(region, int):
        qs = qs.filter(region_id=region)
    else:
        qs = qs.filter(region__code=str(region))
    return _registered_on(qs, on).count()
