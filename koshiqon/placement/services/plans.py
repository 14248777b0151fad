"""Opening the adaptation plans of an approved batch's families, through the adaptation part's own service.

Each family gets its individual plan (domain.md §3) at a centre of its final region, open on the arrival
date: the centre that gives every service the family needs, and among those the one with most free beds
left (beds are counted down as families are given to it). The plan starts with referrals to those needed
services, organised transport, "looking for work" when the family has members of working age, and the
centre's temporary housing while it has beds for the whole family.

The adaptation service checks a plan as it checks any other (the family settles in the centre's region, no
other active plan...). A family it refuses is listed with the reason and keeps its placement: the centre's
staff open its plan by hand. The plans are written by the system on the approving officer's behalf (the
label names the batch and the officer), since a national officer does not keep centres' plans.
"""

from collections import defaultdict
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from koshiqon.adaptation.models import Centre, CentreService
from koshiqon.adaptation.selectors.placement import free_beds_by_centre
from koshiqon.adaptation.services.plans import plan_create
from koshiqon.placement.models import BatchFamily, PlacementBatch


def _centres(on: date) -> tuple[dict[str, list[Centre]], dict[int, int], dict[int, set[str]]]:
    free = free_beds_by_centre(on=on)
    centres = list(Centre.objects.filter(pk__in=list(free)).select_related("region").order_by("pk"))
    offers: dict[int, set[str]] = defaultdict(set)
    for centre_id, code in CentreService.objects.filter(centre__in=centres).values_list("centre_id", "service__code"):
        offers[centre_id].add(code)
    by_region: dict[str, list[Centre]] = defaultdict(list)
    for c in centres:
        by_region[c.region.code].append(c)
    return by_region, free, offers


def open_plans(batch: PlacementBatch, families: list[BatchFamily], *, by, today: date | None = None) -> dict[str, Any]:
    """Open a plan for each family; returns how many were opened and, for the others, why not."""
    by_region, free, offers = _centres(batch.arrival_date)
    label = f"placement batch {batch.pk}, approved by {by.get_username()}"
    opened, refused = 0, []
    for f in families:
        region = f.final_region.code
        candidates = [c for c in by_region.get(region, []) if set(f.needs) <= offers[c.pk]]
        if not candidates:
            refused.append({"application": f.application.number, "region": region,
                            "reason": _("No centre of the region that gives the family's needs is open on the "
                                        "arrival date.")})
            continue
        centre = max(candidates, key=lambda c: (free.get(c.pk, 0), -c.pk))
        housing = "centre" if free.get(centre.pk, 0) >= f.size else "rented"
        try:
            with transaction.atomic():
                plan_create(
                    family=f.application.family, centre=centre, arrival_date=batch.arrival_date,
                    transport="organised", work="search" if any(f.predictions.values()) else "none",
                    housing=housing, application=f.application, services=list(f.needs), by=label, today=today, placed=True,
                )
        except ValidationError as exc:
            refused.append({"application": f.application.number, "region": region, "reason": " ".join(exc.messages)})
            continue
        if housing == "centre":
            free[centre.pk] = free.get(centre.pk, 0) - f.size
        opened += 1
    return {"opened": opened, "refused": refused}
