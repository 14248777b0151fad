"""Pages of placement batches: the list with the form that makes a batch, the proposal (families with their
proposed region, predicted outcome and next best regions; totals per region against the room; the override
form; approval and discard), and a family's page (its members, needs, predictions per region, override).
They call the same services and selectors as the API; pages that name heads of families log the reads."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from koshiqon.core.audit import persons_read
from koshiqon.core.domain.permissions import Perm
from koshiqon.core.permissions import can, require
from koshiqon.kandas.models import QuotaUnit
from koshiqon.people.forms import apply_errors
from koshiqon.placement.models import BatchStatus
from koshiqon.placement.selectors import batches as selectors
from koshiqon.placement.services.batches import (
    EDITABLE,
    batch_approve,
    batch_create,
    batch_discard,
    batch_family_needs_set,
    batch_family_override,
    fits,
    room_left,
)
from koshiqon.placement.services.solve import SOLVABLE, batch_solve_start
from koshiqon.placement.views.cards import region_names
from koshiqon.placement.views.forms import ApproveForm, BatchCreateForm, NeedsForm, OverrideForm, ReasonForm

PER_PAGE = 50
UNPLACED_LABELS = {"needs": gettext_lazy("no region gives the services it needs"),
                   "capacity": gettext_lazy("no room left")}


@require_GET
def batch_list(request):
    batches = Paginator(selectors.batch_list(user=request.user), 25).get_page(request.GET.get("page"))
    can_run = can(request.user, Perm.PLACEMENT_RUN)
    return render(request, "placement/batch_list.html", {
        "page": batches, "can_run": can_run, "form": BatchCreateForm() if can_run else None})


@require_POST
def batch_new(request):
    require(request.user, Perm.PLACEMENT_RUN)
    form = BatchCreateForm(request.POST)
    if form.is_valid():
        try:
            batch = batch_create(by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The batch is made: mark what each family needs, then solve it."))
            return redirect("placement:batch_detail", pk=batch.pk)
    page = Paginator(selectors.batch_list(user=request.user), 25).get_page(1)
    return render(request, "placement/batch_list.html", {"page": page, "can_run": True, "form": form}, status=422)


def _room_rows(batch, names):
    """Per region: its quota, what earlier batches took, what this batch places there, and a bar of them."""
    unit = "persons" if batch.unit == "persons" else "families"
    caps = {c["region"]: c for c in batch.capacities} or {
        code: room.as_dict() for code, room in selectors.batch_room(batch).items()}
    totals = selectors.batch_totals(batch)
    rows = []
    for code in sorted(caps, key=lambda c: names.get(c, c)):
        cap = caps[code]
        here = totals.get(code, {}).get(unit, 0)
        quota = cap["quota"] or 0
        earlier = min(cap["used"], quota)
        mine = min(here, max(quota - earlier, 0))

        def share(value, quota=quota):
            return round(100 * value / quota, 1) if quota else 0

        rows.append({
            "code": code, "name": names.get(code, code), "quota": quota, "used": cap["used"], "placed": here,
            "families": totals.get(code, {}).get("families", 0), "persons": totals.get(code, {}).get("persons", 0),
            "limit": cap["families"] if unit == "families" else cap["persons"], "beds": cap.get("beds"),
            "bar_earlier": share(earlier), "bar_mine": share(mine), "bar_x": share(earlier),
            "over": quota and here + cap["used"] > quota,
        })
    return rows


def _region_label(code, names):
    return names.get(code, code) if code else ""


@require_GET
def batch_detail(request, pk: int):
    batch = selectors.batch_get(user=request.user, pk=pk)
    names = region_names()
    filters = {"region": request.GET.get("region", ""), "q": request.GET.get("q", "")}
    placed = request.GET.get("placed", "")
    filters["placed"] = {"yes": True, "no": False}.get(placed)
    if request.GET.get("overridden") == "yes":
        filters["overridden"] = True
    families = selectors.batch_families(user=request.user, batch=batch, filters=filters)
    page = Paginator(families, PER_PAGE).get_page(request.GET.get("page"))
    services = selectors.service_names()
    rows = [{
        "f": f, "needs": [services.get(c, c) for c in f.needs],
        "preferred": _region_label(f.preferred_region.code if f.preferred_region else "", names),
        "proposed": _region_label(f.proposed_region.code if f.proposed_region else "", names),
        "override": _region_label(f.override_region.code if f.override_region else "", names),
        "override_predicted": f.predictions.get(f.override_region.code) if f.override_region else None,
        "alternatives": [{"name": names.get(a["region"], a["region"]), "predicted": a["predicted"]}
                         for a in f.alternatives],
        "unplaced": UNPLACED_LABELS.get(f.unplaced_reason, ""),
    } for f in page.object_list]
    selectors.log_heads(user=request.user, families=page.object_list, channel="page", path=request.get_full_path())
    can_run = can(request.user, Perm.PLACEMENT_RUN)
    can_override = can_run and batch.status == BatchStatus.PROPOSED and rows
    regions = [(c["region"], names.get(c["region"], c["region"])) for c in batch.capacities]
    return render(request, "placement/batch_detail.html", {
        "batch": batch, "job": batch.job, "unit_label": dict(QuotaUnit.choices).get(batch.unit, batch.unit), "rows": rows, "page": page, "room": _room_rows(batch, names),
        "regions": sorted(regions, key=lambda r: r[1]), "filters": {**filters, "placed": placed,
                                                                    "overridden": request.GET.get("overridden", "")},
        "can_solve": can_run and batch.status in SOLVABLE,
        "can_discard": can_run and batch.status in EDITABLE,
        "can_approve": can(request.user, Perm.PLACEMENT_APPROVE) and batch.status == BatchStatus.PROPOSED,
        "can_edit": can_run and batch.status in EDITABLE,
        "override_form": OverrideForm(prefix="override", families=[(r["f"].pk, r["f"].application.number)
                                                                   for r in rows], regions=regions)
        if can_override else None,
        "approve_form": ApproveForm(prefix="approve"), "discard_form": ReasonForm(prefix="discard"),
        "proposal": batch.summary.get("proposal"), "approved": batch.summary.get("approved"),
    })


@require_POST
def batch_solve(request, pk: int):
    batch = selectors.batch_for_run(user=request.user, pk=pk)
    try:
        batch = batch_solve_start(batch=batch, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("placement:batch_detail", pk=pk)
    return redirect("placement:batch_detail", pk=batch.pk)


@require_POST
def batch_approve_view(request, pk: int):
    batch = selectors.batch_for_approve(user=request.user, pk=pk)
    form = ApproveForm(request.POST, prefix="approve")
    if form.is_valid():
        try:
            batch = batch_approve(batch=batch, by=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("The batch is approved: each family's region is fixed."))
    return redirect("placement:batch_detail", pk=pk)


@require_POST
def batch_discard_view(request, pk: int):
    batch = selectors.batch_for_run(user=request.user, pk=pk)
    form = ReasonForm(request.POST, prefix="discard")
    if form.is_valid():
        try:
            batch_discard(batch=batch, by=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("The batch is discarded: its families can be placed in another batch."))
    else:
        messages.error(request, _("Give a reason."))
    return redirect("placement:batch_detail", pk=pk)


@require_POST
def batch_override(request, pk: int):
    """The override form of the proposal page; errors come back as messages, the page keeps its list."""
    batch = selectors.batch_for_run(user=request.user, pk=pk)
    family_id = request.POST.get("override-family", "")
    family = selectors.batch_family_get(user=request.user, batch=batch, pk=int(family_id)) if family_id.isdigit() else None
    names = region_names()
    regions = [(c["region"], names.get(c["region"], c["region"])) for c in batch.capacities]
    form = OverrideForm(request.POST, prefix="override", regions=regions,
                        families=[(family.pk, family.application.number)] if family else [])
    if form.is_valid():
        try:
            batch_family_override(family=family, region=form.cleaned_data["region"],
                                  reason=form.cleaned_data["reason"], by=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(m for ms in exc.message_dict.values() for m in ms)
                           if hasattr(exc, "error_dict") else " ".join(exc.messages))
        else:
            messages.success(request, _("Application %(number)s now goes to %(region)s.") % {
                "number": family.application.number, "region": names.get(form.cleaned_data["region"])})
    else:
        messages.error(request, " ".join(f"{form.fields[k].label}: {' '.join(v)}" if k in form.fields else " ".join(v)
                                         for k, v in form.errors.items()))
    next_page = request.POST.get("next", "")
    if next_page.startswith("/") and not next_page.startswith("//"):
        return redirect(next_page)
    return redirect("placement:batch_detail", pk=pk)


@require_GET
def family_detail(request, pk: int, family_pk: int):
    batch = selectors.batch_get(user=request.user, pk=pk)
    family = selectors.batch_family_get(user=request.user, batch=batch, pk=family_pk)
    names = region_names()
    members = list(family.application.members.select_related("person", "education", "occupation").order_by("id"))
    persons_read(request, [m.person_id for m in members])
    services = selectors.service_names()
    final = family.final_region.code if family.final_region else ""
    regions = []
    for c in batch.capacities:
        code = c["region"]
        predicted = family.predictions.get(code)
        left = room_left(batch, code, without=family)
        regions.append({
            "code": code, "name": names.get(code, code), "predicted": predicted, "allowed": predicted is not None,
            "fits": fits(left, family.size) or code == final, "final": code == final,
            "preferred": family.preferred_region_id is not None and family.preferred_region.code == code,
            "proposed": family.proposed_region is not None and family.proposed_region.code == code,
        })
    regions.sort(key=lambda r: (r["predicted"] is None, -(r["predicted"] or 0), r["name"]))
    can_run = can(request.user, Perm.PLACEMENT_RUN)
    return render(request, "placement/family_detail.html", {
        "batch": batch, "family": family, "members": members, "regions": regions,
        "needs": [services.get(c, c) for c in family.needs],
        "unplaced": UNPLACED_LABELS.get(family.unplaced_reason, ""),
        "needs_form": NeedsForm(prefix="needs", services=services, initial={"needs": family.needs})
        if can_run and batch.status in EDITABLE else None,
        "override_form": OverrideForm(prefix="override", families=[(family.pk, family.application.number)],
                                      regions=[(r["code"], r["name"]) for r in regions if r["allowed"]],
                                      initial={"family": family.pk})
        if can_run and batch.status == BatchStatus.PROPOSED else None,
    })


@require_POST
def family_needs(request, pk: int, family_pk: int):
    batch = selectors.batch_for_run(user=request.user, pk=pk)
    family = selectors.batch_family_get(user=request.user, batch=batch, pk=family_pk)
    form = NeedsForm(request.POST, prefix="needs", services=selectors.service_names())
    if form.is_valid():
        try:
            batch_family_needs_set(family=family, needs=form.cleaned_data["needs"], by=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("The family's needs are saved."))
    else:
        messages.error(request, " ".join(m for ms in form.errors.values() for m in ms))
    return redirect("placement:family_detail", pk=pk, family_pk=family_pk)


urlpatterns = [
    path("batches/", batch_list, name="batch_list"),
    path("batches/new/", batch_new, name="batch_new"),
    path("batches/<int:pk>/", batch_detail, name="batch_detail"),
    path("batches/<int:pk>/solve/", batch_solve, name="batch_solve"),
    path("batches/<int:pk>/approve/", batch_approve_view, name="batch_approve"),
    path("batches/<int:pk>/discard/", batch_discard_view, name="batch_discard"),
    path("batches/<int:pk>/override/", batch_override, name="batch_override"),
    path("batches/<int:pk>/families/<int:family_pk>/", family_detail, name="family_detail"),
    path("batches/<int:pk>/families/<int:family_pk>/needs/", family_needs, name="family_needs"),
]
