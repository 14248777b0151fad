"""Reads that the placement of families (koshiqon.placement) builds on: free beds, where a service is given,
and the outcomes of past families. They take no user: the placement's own services check who may run a
placement, and these give counts, region codes and record numbers only, never a name.
"""

from collections import defaultdict
from datetime import date

from django.db.models import Count, QuerySet
from django.utils import timezone

from koshiqon.adaptation.domain.outcomes import as_flag
from koshiqon.adaptation.models import Centre, CentreService, Outcome, Stay
from koshiqon.adaptation.selectors.centres import open_on, staying_on


def _open_centres(on: date) -> QuerySet[Centre]:
    return Centre.objects.filter(open_on(on)).select_related("region")


def free_beds_by_centre(*, on: date) -> dict[int, int]:
    """{centre id: free beds on `on`} for every centre open that day: its beds less the persons staying
    that night (never below zero)."""
    centres = list(_open_centres(on))
    taken = dict(Stay.objects.filter(staying_on(on), centre__in=centres).values("centre").annotate(n=Count("id"))
                 .values_list("centre", "n"))
    return {c.pk: max(c.beds - taken.get(c.pk, 0), 0) for c in centres}


def free_beds_by_region(*, on: date) -> dict[str, int]:
    """{region ISO code: free beds on `on`}, adding up the region's open centres. A region without an open
    centre is absent (not 0), so "no centre" and "a full centre" can be told apart."""
    free = free_beds_by_centre(on=on)
    out: dict[str, int] = defaultdict(int)
    for centre in _open_centres(on):
        out[centre.region.code] += free.get(centre.pk, 0)
    return dict(out)


def regions_with_service(*, code: str, on: date | None = None) -> set[str]:
    """The region ISO codes that have a centre, open on `on` (today by default), giving the service of the
    catalogue `code` (e.g. "state_language")."""
    on = on or timezone.localdate()
    return set(
        CentreService.objects.filter(service__code=code, service__active=True, centre__in=_open_centres(on))
        .values_list("centre__region__code", flat=True)
    )


def outcome_rows(*, region_codes: list[str] | None = None) -> list[dict]:
    """The outcomes of past families as plain rows, one per working-age member with any outcome recorded:
    {"family_id", "person_id", "region_code", "employed_3m", "employed_6m", "employed_12m", "stayed_12m"}.
    The region is that of the plan's centre (the family's settlement region). Each value is True (yes),
    False (no) or None (unknown, or not recorded yet). Ordered by family and person; `region_codes` narrows
    to those regions."""
    qs = Outcome.objects.all()
    if region_codes is not None:
        qs = qs.filter(plan__centre__region__code__in=region_codes)
    rows: dict[tuple[int, int], dict] = {}
    for family_id, person_id, region_code, months, employed, stayed in qs.values_list(
            "plan__family_id", "person_id", "plan__centre__region__code", "months", "employed", "stayed_in_region"):
        row = rows.setdefault((family_id, person_id), {
            "family_id": family_id, "person_id": person_id, "region_code": region_code,
            "employed_3m": None, "employed_6m": None, "employed_12m": None, "stayed_12m": None,
        })
        row[f"employed_{months}m"] = as_flag(employed)
        if months == 12:
            row["stayed_12m"] = as_flag(stayed)
    return [rows[key] for key in sorted(rows)]
