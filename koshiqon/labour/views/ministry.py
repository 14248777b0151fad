"""The ministry's page on work permits: quota use by region and by category, applications by region and outcome,
and refusals by reason, as inline SVG charts drawn on the server with the same figures in tables (no chart
library, no script). Aggregates only: national officers and analysts."""

from collections import defaultdict

from django.shortcuts import render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from koshiqon.core.domain.permissions import Perm
from koshiqon.core.permissions import can
from koshiqon.labour.categories import category_label
from koshiqon.labour.selectors import ministry
from koshiqon.labour.selectors.quota import utilisation, utilisation_totals
from koshiqon.reference.models import Region
from koshiqon.web.charts import ChartRow, Series, bar_chart, region_tile_map, stacked_bar_chart


def _year(request, years: list[int]) -> int:
    value = request.GET.get("year", "")
    if value.isdigit() and 2007 <= int(value) <= 2100:
        return int(value)
    today = timezone.localdate().year
    return today if today in years or not years else years[0]


@require_GET
def ministry_page(request):
    ministry.require_figures(request.user)
    years = sorted(set(ministry.application_years()) | {timezone.localdate().year}, reverse=True)
    year = _year(request, years)
    rows = utilisation(user=request.user, year=year)
    names = {r.code: r.name for r in Region.objects.prefetch_related("names")}
    by_region: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for row in rows:
        by_region[row.region.code][0] += row.used
        by_region[row.region.code][1] += row.left
    quota_series = [Series("used", _("used"), "c4"), Series("left", _("left"), "rest")]
    region_chart = stacked_bar_chart(
        title=_("Quota use by region"), series=quota_series, total_label=_("places"), row_label=_("Region"),
        rows=[ChartRow(names.get(code, code), {"used": used, "left": left})
              for code, (used, left) in sorted(by_region.items())],
    )
    category_chart = stacked_bar_chart(
        title=_("Quota use by category"), series=quota_series, total_label=_("places"), row_label=_("Category"),
        rows=[ChartRow(category_label(t.category), {"used": t.used, "left": t.left}) for t in utilisation_totals(rows, year)],
    )
    percent = {code: round(100 * used / (used + left), 1) if used + left else None
               for code, (used, left) in by_region.items()}
    tile_map = region_tile_map(title=_("Share of the quota used, %"), values=percent, names=names, unit="%",
                               scale=(0, 100))
    outcomes = ministry.outcomes_by_region(user=request.user, year=year)
    # The bars lead to the applications behind them, for those who may read applications (not an analyst).
    list_url = reverse("labour:application_list") if can(request.user, Perm.LABOUR_VIEW) else ""
    outcome_chart = stacked_bar_chart(
        title=_("Applications by region and outcome"), row_label=_("Region"), total_label=_("applications"),
        series=[Series("granted", _("granted"), "ok"), Series("refused", _("refused"), "danger"),
                Series("submitted", _("waiting"), "warn"), Series("withdrawn", _("withdrawn"), "rest")],
        rows=[ChartRow(names.get(o.region_code, o.region_code),
                       {"granted": o.granted, "refused": o.refused, "submitted": o.submitted,
                        "withdrawn": o.withdrawn}, url=f"{list_url}?year={year}&region={o.region_code}&status=" if list_url else "")
              for o in outcomes],
    )
    refusals = ministry.refusals_by_reason(user=request.user, year=year)
    reason_chart = bar_chart(
        title=_("Refusals by reason"), label=_("refused applications"), row_label=_("Reason"), tone="danger",
        rows=[(ministry.REASON_LABELS.get(code, code), n,
               f"{list_url}?year={year}&status=refused&reason={code}" if list_url else "") for code, n in refusals],
    )
    context = {
        "year": year, "years": years, "rows": rows, "region_chart": region_chart, "category_chart": category_chart,
        "tile_map": tile_map, "outcome_chart": outcome_chart, "reason_chart": reason_chart,
        "totals": {"places": sum(r.places for r in rows), "used": sum(r.used for r in rows),
                   "granted": sum(o.granted for o in outcomes), "refused": sum(o.refused for o in outcomes)},
    }
    return render(request, "labour/ministry_figures.html", context)


urlpatterns = [path("ministry/", ministry_page, name="ministry")]
