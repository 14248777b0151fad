"""Pages of the foreign-labour quota: a year's quota with its utilisation by region and category (bars drawn
inline, the same figures in the table), its export, moving places between regions, and setting a new year's
quota. They call the same selectors and services as the API."""

from datetime import date

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from koshiqon.core.domain.permissions import Perm
from koshiqon.core.permissions import can, region_ids_in_scope, require
from koshiqon.labour import exports
from koshiqon.labour.domain.quota_split import quota_categories
from koshiqon.labour.models import LabourQuota
from koshiqon.labour.selectors import quota as selectors
from koshiqon.labour.services import quota as services
from koshiqon.labour.views.quota_forms import QuotaForm, RedistributionForm, region_label
from koshiqon.people.forms import apply_errors


def _year(request) -> int | None:
    raw = request.GET.get("year", "")
    if not raw:
        return None
    if not raw.isdigit() or not 2007 <= int(raw) <= 2100:
        raise Http404
    return int(raw)


def _matrix(quota: LabourQuota, rows, force: dict[str, int]) -> tuple[list[str], list[dict]]:
    """One line per region: its labour force and, per category, places, used, left and the bar's width."""
    categories = list(quota_categories(quota.year))
    by_region: dict[str, dict] = {}
    for row in rows:
        line = by_region.setdefault(row.region.code, {
            "region": row.region, "name": region_label(row.region, quota.year),
            "labour_force": force.get(row.region.code), "cells": {},
        })
        line["cells"][row.category] = {"row": row, "bar": min(100, float(row.percent))}
    for line in by_region.values():
        line["cells"] = [line["cells"].get(c) for c in categories]
    return categories, list(by_region.values())


def _context(request, quota: LabourQuota, move_form=None) -> dict:
    user = request.user
    rows = selectors.utilisation(user=user, year=quota.year)
    force = {lf.region.code: lf.persons for lf in selectors.labour_force(user=user, year=quota.year)}
    categories, lines = _matrix(quota, rows, force)
    totals = selectors.utilisation_totals(rows, quota.year)
    can_move = can(user, Perm.LABOUR_QUOTA)
    if can_move and move_form is None:
        move_form = RedistributionForm(year=quota.year, categories=categories,
                                       regions=sorted({r.region for r in rows}, key=lambda r: r.code))
    return {
        "quota": quota, "years": list(selectors.quota_list(user=user).values_list("year", flat=True)),
        "categories": categories, "lines": lines,
        "totals": [{"total": t, "bar": min(100, float(t.percent))} for t in totals],
        "places_total": sum(t.places for t in totals), "used_total": sum(t.used for t in totals),
        "share_percent": (quota.share * 100).normalize() if quota.share is not None else None,
        "scoped": region_ids_in_scope(user) is not None,
        "moves": selectors.redistribution_list(user=user, year=quota.year)[:50],
        "can_move": can_move, "move_form": move_form if can_move else None,
        "can_create": can(user, Perm.LABOUR_QUOTA),
    }


@require_GET
def quota_page(request):
    """The quota of `?year=` (default: this year's, else the latest) with its utilisation."""
    selectors.require_quota_view(request.user)
    year = _year(request) or selectors.quota_default_year(user=request.user, today_year=timezone.localdate().year)
    if year is None:
        return render(request, "labour/quota_detail.html", {"quota": None, "can_create": can(request.user, Perm.LABOUR_QUOTA)})
    quota = selectors.quota_get(user=request.user, year=year)
    return render(request, "labour/quota_detail.html", _context(request, quota))


@require_GET
def quota_export(request):
    year = _year(request)
    if year is None:
        raise Http404
    quota = selectors.quota_get(user=request.user, year=year)
    return exports.quota_workbook_response(quota=quota, rows=selectors.utilisation(user=request.user, year=year))


@require_POST
def quota_redistribute(request):
    require(request.user, Perm.LABOUR_QUOTA)
    year = _year(request)
    if year is None:
        raise Http404
    quota = selectors.quota_get(user=request.user, year=year)
    rows = selectors.utilisation(user=request.user, year=year)
    form = RedistributionForm(request.POST, year=year, categories=list(quota_categories(year)),
                              regions=sorted({r.region for r in rows}, key=lambda r: r.code))
    if form.is_valid():
        try:
            move = services.quota_redistribute(year=year, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("%(places)s places of category %(category)s moved from %(from)s to %(to)s.") % {
                "places": move.places, "category": move.category, "from": region_label(move.from_region, year),
                "to": region_label(move.to_region, year)})
            return redirect(f"{reverse('labour:quota')}?year={year}")
    return render(request, "labour/quota_detail.html", _context(request, quota, move_form=form), status=422)


@require_http_methods(["GET", "POST"])
def quota_create(request):
    """Set the quota of `?year=` (default: next year): the act, each category, the labour force by region."""
    require(request.user, Perm.LABOUR_QUOTA)
    year = _year(request) or timezone.localdate().year + 1
    try:
        quota_categories(year)
    except LookupError:
        raise Http404 from None
    if LabourQuota.objects.filter(year=year).exists():
        messages.info(request, _("The quota of %(year)s is already set.") % {"year": year})
        return redirect(f"{reverse('labour:quota')}?year={year}")
    regions = selectors.regions_in_year(year)
    force = {lf.region.code: lf.persons for lf in selectors.labour_force(user=request.user, year=year)}
    form = QuotaForm(request.POST or None, year=year, regions=regions, labour_force=force)
    if request.method == "POST" and form.is_valid():
        try:
            quota = services.labour_quota_create(
                year=year, components=form.components(), share=form.cleaned_data["share"],
                legal_act=form.cleaned_data["legal_act"], legal_number=form.cleaned_data["legal_number"],
                legal_date=form.cleaned_data["legal_date"], confidence=form.cleaned_data["confidence"],
                labour_force=form.labour_force(), by=request.user,
            )
        except ValidationError as exc:
            apply_errors(form, exc, rename=form.error_names())
        else:
            messages.success(request, _("The quota of %(year)s is set and split by region.") % {"year": year})
            return redirect(f"{reverse('labour:quota')}?year={quota.year}")
    return render(request, "labour/quota_form.html", {"form": form, "year": year, "today": date.today()},
                  status=422 if form.errors else 200)


urlpatterns = [
    path("quota/", quota_page, name="quota"),
    path("quota/export.xlsx", quota_export, name="quota_export"),
    path("quota/redistribute/", quota_redistribute, name="quota_redistribute"),
    path("quota/new/", quota_create, name="quota_create"),
]
