"""Aggregates for the people who set policy: counts only, never a person's data.

Counts are national (analysts see the whole country) and cover live records only: archived and merged
records are not people any more, only history. A group of 1 to 4 persons is a small cell
(core.domain.disclosure): a citizenship that small is not named but counted with the other countries, and a
row whose number would single people out, or give a small one away by subtraction from the total, says
`hidden`: the page shows "fewer than 5" or no number instead.
"""

from django.db.models import Count

from koshiqon.core.domain.disclosure import fold_small, suppressed
from koshiqon.core.domain.permissions import Perm
from koshiqon.core.permissions import require
from koshiqon.people.models import Family, IdentityDocument, Person
from koshiqon.reference.models import Country, Region

TOP_COUNTRIES = 12


def totals(*, user) -> dict[str, int]:
    require(user, Perm.ANALYTICS_VIEW)
    return {
        "persons": Person.objects.count(),
        "families": Family.objects.count(),
        "documents": IdentityDocument.objects.count(),
    }


def persons_by_region(*, user) -> list[dict]:
    """Every region that exists today, with its count (zero included, so that gaps are visible)."""
    require(user, Perm.ANALYTICS_VIEW)
    counts = dict(Person.objects.values_list("region_id").annotate(n=Count("id")))
    regions = Region.objects.filter(valid_to__isnull=True).prefetch_related("names")
    extra = Region.objects.filter(valid_to__isnull=False, id__in=list(counts)).prefetch_related("names")
    rows = [{"label": r.name, "code": r.code, "count": counts.get(r.id, 0)} for r in [*regions, *extra]]
    return _hide(sorted(rows, key=lambda row: (-row["count"], row["label"])))


def persons_by_citizenship(*, user, top: int = TOP_COUNTRIES) -> list[dict]:
    """The largest citizenships (never one of fewer than 5 persons), then the rest together, then the persons
    whose citizenship is not recorded."""
    require(user, Perm.ANALYTICS_VIEW)
    counts = list(
        Person.objects.filter(citizenship__isnull=False).values_list("citizenship_id").annotate(n=Count("id"))
        .order_by("-n", "citizenship_id")
    )
    named, folded = fold_small(counts)
    names = {c.id: (c.name, c.alpha2) for c in Country.objects.filter(id__in=[cid for cid, _ in named[:top]])}
    rows = [{"label": names[cid][0], "code": names[cid][1], "count": n} for cid, n in named[:top]]
    rest = sum(n for _, n in named[top:]) + folded
    if rest:
        rows.append({"label": None, "code": "other", "count": rest})
    unknown = Person.objects.filter(citizenship__isnull=True).count()
    if unknown:
        rows.append({"label": None, "code": "unknown", "count": unknown})
    return _hide(rows)


def _hide(rows: list[dict]) -> list[dict]:
    hidden = suppressed([row["count"] for row in rows])
    for i, row in enumerate(rows):
        row["hidden"] = i in hidden
    return rows


def persons_by_sex(*, user) -> dict[str, int]:
    require(user, Perm.ANALYTICS_VIEW)
    return dict(Person.objects.values_list("sex").annotate(n=Count("id")))


def sex_hidden(by_sex: dict[str, int]) -> dict[str, bool]:
    """Whether the number of men and of women is shown without its number (a small cell, or its complement in
    the total)."""
    hidden = suppressed([by_sex.get("M", 0), by_sex.get("F", 0)])
    return {"M": 0 in hidden, "F": 1 in hidden}
