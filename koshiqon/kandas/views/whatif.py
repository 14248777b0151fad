"""The what-if page: a draft grid or quota applied to a past year's applications, before it is adopted.

It shows who would enter and leave the quota and how the intake would shift by region, education and origin,
as tables and as inline SVG bar charts drawn here (no chart library, no script: the page prints and reads
without JavaScript, and a screen reader gets the same figures from the tables).
"""

from django.core.exceptions import ValidationError
from django.shortcuts import render
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from koshiqon.core.domain.permissions import Perm
from koshiqon.core.permissions import require
from koshiqon.kandas.selectors import selection as selectors
from koshiqon.kandas.views.selection_forms import WhatIfForm
from koshiqon.people.forms import apply_errors
from koshiqon.reference.models import Country, EducationLevel, Region

LIST_LIMIT = 100
CHART_WIDTH = 300  # the bars' share of the chart's viewBox; labels sit in the table beside it
ROW_HEIGHT = 58  # a group's name and its two bars
UNKNOWN = _("not recorded")


def _names(kind: str) -> dict[str, str]:
    lang = (get_language() or "kk")[:2]
    if kind == "region":
        return {r.code: r.name for r in Region.objects.prefetch_related("names")}
    if kind == "education":
        return {e.code: e.name_in(lang) for e in EducationLevel.objects.all()}
    return {c.alpha2: c.name_in(lang) for c in Country.objects.all()}


def chart(shifts, kind: str) -> dict:
    """Table rows and the geometry of a grouped bar chart: per group its name, then a bar of the persons
    included under the rules in force and one under the draft."""
    names = _names(kind)
    top = max([max(s.persons_before, s.persons_after) for s in shifts] or [0]) or 1
    rows = []
    for i, s in enumerate(shifts):
        w_before = round(CHART_WIDTH * s.persons_before / top, 1)
        w_after = round(CHART_WIDTH * s.persons_after / top, 1)
        y = i * ROW_HEIGHT
        rows.append({
            "key": s.key, "label": names.get(s.key, s.key) if s.key else UNKNOWN, "shift": s,
            "y_label": y + 12, "y": y + 17, "y2": y + 35, "w_before": w_before, "w_after": w_after,
            "tx_before": w_before + 4, "tx_after": w_after + 4,
        })
    return {"rows": rows, "height": max(1, len(rows)) * ROW_HEIGHT + 4, "width": CHART_WIDTH + 60}


def _run(form: WhatIfForm, user):
    data = form.cleaned_data
    result, grid_code = selectors.whatif(
        user=user, year=data["year"], grid=data.get("grid_json"), grid_version_id=data.get("grid_version"),
        quotas=data.get("quota_csv"), plan_id=data.get("plan"),
    )
    comparison = result.comparison
    region_names = _names("region")

    def listed(ids):
        return [{"number": result.numbers[pk], "region": region_names.get(result.regions[pk], result.regions[pk]),
                 "before": result.scores_before[pk], "after": result.scores_after[pk]} for pk in ids[:LIST_LIMIT]]

    return {
        "result": result, "c": comparison, "grid_code": grid_code,
        "charts": [
            ("region", _("By region"), chart(comparison.by_region, "region")),
            ("education", _("By education (head of family, ISCED 2011)"), chart(comparison.by_education, "education")),
            ("origin", _("By country of origin"), chart(comparison.by_origin, "origin")),
        ],
        "entering": listed(comparison.entering), "leaving": listed(comparison.leaving),
        "list_limit": LIST_LIMIT,
    }


@require_http_methods(["GET", "POST"])
def whatif_page(request):
    """POST, though it writes nothing: a pasted grid does not fit in an address."""
    require(request.user, Perm.KANDAS_SELECT)
    form = WhatIfForm(request.POST or None)
    context = {"form": form}
    if request.method == "POST" and form.is_valid():
        try:
            context |= _run(form, request.user)
        except ValidationError as exc:
            apply_errors(form, exc)
    return render(request, "kandas/whatif.html", context, status=422 if form.errors else 200)
