"""The ministry's page: occupancy and outcomes by centre and by region, as bar charts, a tile map of the
regions and tables. Aggregates only (selectors/overview.py); small groups' rates are not shown."""

from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from koshiqon.adaptation.selectors.overview import MIN_CELL, adaptation_overview
from koshiqon.adaptation.views.centres import FREE, OCCUPIED
from koshiqon.core.domain.permissions import Perm
from koshiqon.core.permissions import can
from koshiqon.reference.models import Region
from koshiqon.web.charts import ChartRow, Series, region_tile_map, stacked_bar_chart

EMPLOYED = gettext_lazy("employed")
NOT_EMPLOYED = gettext_lazy("not employed")
UNKNOWN = gettext_lazy("unknown")


def _employment_chart(rows, *, title, row_label) -> dict:
    series = [Series("yes", EMPLOYED, "c4"), Series("no", NOT_EMPLOYED, "c2"), Series("unknown", UNKNOWN, "rest")]
    chart_rows = []
    for f in rows:
        t = f.employed[12]
        if f.employment[12].suppressed:  # a small group: its split is not shown
            chart_rows.append(ChartRow(f.label, {"yes": None, "no": None, "unknown": None}))
        else:
            chart_rows.append(ChartRow(f.label, {"yes": t.yes, "no": t.no, "unknown": t.unknown}))
    return stacked_bar_chart(title=title, series=series, rows=chart_rows, normalise=True, unit="%",
                             row_label=row_label)


@require_GET
def overview(request):
    data = adaptation_overview(user=request.user)
    regions = {r.code: r.name for r in Region.objects.filter(valid_to__isnull=True).prefetch_related("names")}
    by_region = {f.key: f for f in data.regions}
    columns = [("beds", _("Beds")), ("occupied", _("Occupied")), ("plans", _("Plans")),
               ("employed_3", _("Employed at 3 months, %")), ("employed_6", _("Employed at 6 months, %")),
               ("stayed", _("Still in the region at 12 months, %"))]
    extra = {code: {"beds": f.beds, "occupied": f.occupied, "plans": f.plans_total,
                    "employed_3": f.employment[3].percent, "employed_6": f.employment[6].percent,
                    "stayed": f.stayed_rate.percent} for code, f in by_region.items()}
    tile_map = region_tile_map(
        title=_("Employed at 12 months after arrival, share of working-age members, %"),
        values={code: f.employment[12].percent for code, f in by_region.items()}, names=regions, unit="%",
        scale=(0, 100), columns=columns, extra=extra, value_label=_("Employed at 12 months, %"),
        caption=_("A schematic map: each region is one tile, placed roughly where it lies. Regions without a "
                  "centre, or with fewer than %(min)s persons whose answer is known, have no data.") % {"min": MIN_CELL},
    )
    occupancy = {f.centre.pk: f.occupancy for f in data.centres if f.centre}
    series = [Series("occupied", OCCUPIED, "c4"), Series("free", FREE, "rest")]
    region_beds = stacked_bar_chart(
        title=_("Beds by region today"), series=series, row_label=_("Region"), total_label=_("Beds"),
        label_series="occupied",
        rows=[ChartRow(f.label, {"occupied": f.occupied, "free": f.occupancy.free}) for f in data.regions])
    centre_beds = stacked_bar_chart(
        title=_("Beds by centre today"), series=series, row_label=_("Centre"), total_label=_("Beds"),
        label_series="occupied",
        rows=[ChartRow(f.label, {"occupied": occupancy[f.centre.pk].occupied, "free": occupancy[f.centre.pk].free})
              for f in data.centres if f.centre])
    return render(request, "adaptation/overview.html", {
        "data": data, "map": tile_map, "region_beds": region_beds, "centre_beds": centre_beds,
        "centre_employment": _employment_chart(data.centres, title=_("Employment at 12 months by centre"),
                                               row_label=_("Centre")),
        "region_employment": _employment_chart(data.regions, title=_("Employment at 12 months by region"),
                                               row_label=_("Region")),
        "min_cell": MIN_CELL,
        "no_centre_list": not can(request.user, Perm.ADAPTATION_VIEW),  # an analyst sees the figures only
    })
