"""Reads of centres, the catalogue and occupancy, scoped to the user (koshiqon.adaptation.access).

Centres, their beds and their services are not personal data, but the list a user gets is still their
scope: centre staff their own centres, regional roles the centres of their regions, national roles all.
"""

from collections.abc import Iterable
from datetime import date

from django.db.models import Count, Q, QuerySet
from django.shortcuts import get_object_or_404

from koshiqon.accounts.models import User
from koshiqon.adaptation.access import centres_in_scope
from koshiqon.adaptation.domain.capacity import Occupancy
from koshiqon.adaptation.models import Centre, CentreService, Service, Stay
from koshiqon.core.domain.permissions import Perm, Role
from koshiqon.core.permissions import require


def staying_on(day: date) -> Q:
    """Stays that occupy a bed on `day` (domain/capacity.py: check-out day excluded)."""
    return Q(check_in__lte=day) & (Q(check_out__isnull=True) | Q(check_out__gt=day))


def centre_list(*, user) -> QuerySet[Centre]:
    require(user, Perm.ADAPTATION_VIEW)
    return centres_in_scope(user).prefetch_related("region__names")


def centre_get(*, user, pk: int) -> Centre:
    return get_object_or_404(centre_list(user=user), pk=pk)


def centre_for_manage(*, user, pk: int) -> Centre:
    """A centre a national officer manages: 403 without the right."""
    require(user, Perm.CENTRES_MANAGE)
    return get_object_or_404(centre_list(user=user), pk=pk)


def occupancy_on(*, centres: Iterable[Centre], on: date) -> dict[int, Occupancy]:
    """Each centre's beds and the persons staying on `on`."""
    centres = list(centres)
    counts = dict(
        Stay.objects.filter(staying_on(on), centre__in=centres).values("centre").annotate(n=Count("id"))
        .values_list("centre", "n")
    )
    return {c.pk: Occupancy(c.beds, counts.get(c.pk, 0)) for c in centres}


def catalogue() -> QuerySet[Service]:
    """The services of the catalogue, in its order (reference data: no right needed)."""
    return Service.objects.filter(active=True).order_by("order", "code")


def centre_offers(*, centre: Centre) -> QuerySet[CentreService]:
    return centre.offers.select_related("service").order_by("service__order")


def staff_candidates(*, user) -> QuerySet[User]:
    """Accounts that can be made staff of a centre (for whoever manages centres)."""
    require(user, Perm.CENTRES_MANAGE)
    return User.objects.filter(role=Role.CENTRE_STAFF, is_active=True).order_by("username")


def open_on(day: date) -> Q:
    return Q(opened_on__lte=day) & (Q(closed_on__isnull=True) | Q(closed_on__gt=day))
