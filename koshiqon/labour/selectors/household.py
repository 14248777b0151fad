"""Reads of household labour migrants' permits, scoped to the user: officers and viewers of the permit's region
(labour.view), national roles everywhere. Employer accounts (companies) have nothing to do with household
permits: 403. Reading one permit shows two persons' data (the worker and the private employer): both reads
are logged."""

from collections.abc import Mapping
from datetime import date
from typing import Any

from django.db.models import BooleanField, Case, Q, QuerySet, Value, When
from django.shortcuts import get_object_or_404
from django.utils import timezone

from koshiqon.core.audit import access_record
from koshiqon.core.domain.permissions import Perm
from koshiqon.core.permissions import region_ids_in_scope, require
from koshiqon.labour.domain.status import PermitStatus
from koshiqon.labour.models import HouseholdPermit
from koshiqon.people.domain.names import skeleton
from koshiqon.people.models import Person

FILTERS = ("status", "region", "q", "employer")
ACTIVE = (PermitStatus.ISSUED, PermitStatus.SUSPENDED)


def household_queryset(*, user) -> QuerySet[HouseholdPermit]:
    require(user, Perm.LABOUR_VIEW)
    qs = HouseholdPermit.objects.select_related(
        "employer_person", "worker", "worker__citizenship", "region", "issued_by",
    ).prefetch_related("region__names")
    scope = region_ids_in_scope(user)
    return qs if scope is None else qs.filter(region_id__in=scope)


def household_list(*, user, filters: Mapping[str, Any] | None = None, today: date | None = None) -> QuerySet:
    """Newest first, each with `lapsed` (in force by status, its last day passed). Filters: status, region,
    q (permit number or the worker's name), employer (the private employer's IIN)."""
    filters = {k: v for k, v in (filters or {}).items() if k in FILTERS and v not in (None, "")}
    today = today or timezone.localdate()
    qs = household_queryset(user=user).annotate(
        lapsed=Case(When(status__in=ACTIVE, valid_until__lt=today, then=Value(True)), default=Value(False),
                    output_field=BooleanField()),
    )
    if "status" in filters:
        qs = qs.filter(status=filters["status"])
    if "region" in filters:
        qs = qs.filter(region__code=str(filters["region"]).strip().upper())
    if "employer" in filters:
        qs = qs.filter(employer_person__iin=str(filters["employer"]).strip())
    q = str(filters.get("q", "")).strip()
    if q:
        if q.upper().startswith("HP-"):
            qs = qs.filter(number__istartswith=q)
        else:
            for token in skeleton(q).split():
                qs = qs.filter(worker__name_key__contains=token)
    return qs.order_by("-valid_from", "-id")


def household_get(*, user, pk: int, channel: str, path: str) -> HouseholdPermit:
    permit = get_object_or_404(household_queryset(user=user), pk=pk)
    for person in (permit.worker, permit.employer_person):
        access_record(user=user, obj=person, channel=channel, path=path)
    return permit


def household_for_decision(*, user, pk: int) -> HouseholdPermit:
    require(user, Perm.LABOUR_DECIDE)
    return get_object_or_404(household_queryset(user=user), pk=pk)


def private_employer_by_iin(*, user, iin: str) -> Person | None:
    """The private employer (a resident with an IIN) an officer issues a household permit for: any person of
    the registry with this IIN (the employer may live in another region than the work)."""
    require(user, Perm.LABOUR_DECIDE)
    iin = "".join((iin or "").split())
    return Person.objects.filter(Q(iin=iin)).select_related("region").first() if iin else None


def employer_in_force(*, employer_person: Person, on: date | None = None) -> int:
    """How many household permits of this private employer are in force (the limit is 5)."""
    on = on or timezone.localdate()
    return HouseholdPermit.objects.filter(employer_person=employer_person, status__in=ACTIVE,
                                          valid_until__gte=on).count()
