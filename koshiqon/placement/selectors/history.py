"""Reads of the training history: its make-up for the pages (counts by source and year), the past families
of this system with recorded outcomes, and the regions the history may name.

The history is anonymised: these reads show counts, years, regions and sources, never a person.
"""

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, Max, Min, Q

from koshiqon.adaptation.models import Plan
from koshiqon.adaptation.selectors.placement import outcome_rows
from koshiqon.core.domain.permissions import Perm
from koshiqon.core.permissions import require
from koshiqon.placement.domain.truth import PROFILES
from koshiqon.placement.models import HistorySource, PastArrival
from koshiqon.placement.selectors.facts import application_members
from koshiqon.reference.models import Region


def region_ids() -> dict[str, int]:
    return dict(Region.objects.values_list("code", "id"))


def regions_in_force(on: date) -> list[str]:
    """The codes of the regions that exist on `on`."""
    return sorted(
        Region.objects.filter(Q(valid_from__isnull=True) | Q(valid_from__lte=on))
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=on)).values_list("code", flat=True)
    )


def truth_regions(on: date) -> list[str]:
    """The regions in force on `on` that the demo's ground truth knows."""
    return [code for code in regions_in_force(on) if code in PROFILES]


@dataclass
class HistorySummary:
    families: int = 0
    first_year: int | None = None
    last_year: int | None = None
    by_source: dict[str, int] = field(default_factory=dict)
    by_year: list[tuple[int, int]] = field(default_factory=list)


def history_summary(*, user) -> HistorySummary:
    """How many past arrivals the history holds, from which sources and years."""
    require(user, Perm.PLACEMENT_VIEW)
    qs = PastArrival.objects.all()
    span = qs.aggregate(n=Count("id"), first=Min("year"), last=Max("year"))
    by_source = dict(qs.order_by().values_list("source").annotate(n=Count("id")))
    by_year = list(qs.values_list("year").annotate(n=Count("id")).order_by("year"))
    return HistorySummary(families=span["n"], first_year=span["first"], last_year=span["last"],
                          by_source={s: by_source.get(s, 0) for s in HistorySource.values}, by_year=by_year)


@dataclass
class SystemArrival:
    """A family that came through a kandas application and settled through an adaptation plan."""

    application_id: int
    number: str
    arrival_date: date
    region: str
    outcomes: list[dict] = field(default_factory=list)  # as PastArrival.outcomes


def system_arrivals() -> list[SystemArrival]:
    """The families of this system with any outcome recorded, with each outcome placed at its member's index
    among the application's members. The plan read is the family's latest plan with a kandas application:
    its arrival date and the region of its centre."""
    rows = outcome_rows()
    families = {r["family_id"] for r in rows}
    plans: dict[int, dict] = {}
    for plan in (Plan.objects.filter(family_id__in=families, application__isnull=False)
                 .order_by("family_id", "-arrival_date", "-id")
                 .values("family_id", "application_id", "application__number", "arrival_date",
                         "centre__region__code")):
        plans.setdefault(plan["family_id"], plan)
    members = application_members(p["application_id"] for p in plans.values())
    index_of = {app: {m["person_id"]: i for i, m in enumerate(rows_)} for app, rows_ in members.items()}
    out: dict[int, SystemArrival] = {}
    for row in rows:
        plan = plans.get(row["family_id"])
        if plan is None:
            continue
        index = index_of.get(plan["application_id"], {})
        if row["person_id"] not in index:
            continue  # a person outside the application (born later, joined later): not a member on arrival
        arrival = out.setdefault(plan["application_id"], SystemArrival(
            application_id=plan["application_id"], number=plan["application__number"],
            arrival_date=plan["arrival_date"], region=plan["centre__region__code"]))
        arrival.outcomes.append({
            "member_index": index[row["person_id"]], "employed_3m": row["employed_3m"],
            "employed_6m": row["employed_6m"], "employed_12m": row["employed_12m"], "stayed_12m": row["stayed_12m"],
        })
    for arrival in out.values():
        arrival.outcomes.sort(key=lambda o: o["member_index"])
    return [out[k] for k in sorted(out)]
