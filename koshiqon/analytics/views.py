"""The analytics page: national figures as tables with bars, no personal data."""

from django.shortcuts import render

from koshiqon.analytics import selectors
from koshiqon.core.domain.disclosure import MIN_CELL
from koshiqon.core.domain.permissions import Perm
from koshiqon.core.permissions import require


def _with_shares(rows: list[dict]) -> list[dict]:
    """Each row's bar (against the largest group) and share of the total; a small cell has neither, since
    either would give its number away."""
    biggest = max((row["count"] for row in rows), default=0)
    total = sum(row["count"] for row in rows)
    for row in rows:
        shown = not row.get("hidden")
        row["bar"] = round(100 * row["count"] / biggest, 1) if biggest and shown else 0
        row["share"] = round(100 * row["count"] / total, 1) if total and shown else None
    return rows


def overview(request):
    require(request.user, Perm.ANALYTICS_VIEW)
    by_sex = selectors.persons_by_sex(user=request.user)
    context = {
        "totals": selectors.totals(user=request.user),
        "by_region": _with_shares(selectors.persons_by_region(user=request.user)),
        "by_citizenship": _with_shares(selectors.persons_by_citizenship(user=request.user)),
        "men": by_sex.get("M", 0),
        "women": by_sex.get("F", 0),
        "sex_hidden": selectors.sex_hidden(by_sex),
        "min_cell": MIN_CELL,
    }
    return render(request, "analytics/overview.html", context)
