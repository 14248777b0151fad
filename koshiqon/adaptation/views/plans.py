"""Pages of plans: the list, a new plan, the plan with its referrals, deliveries, stays and outcomes, closing
it, and the import of outcomes. They call the same services and selectors as the API, so the rules (rights,
centres, capacity, audit) live in one place."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from koshiqon.adaptation.domain.plans import ReferralState
from koshiqon.adaptation.models import ANSWER_LABELS, PlanStatus
from koshiqon.adaptation.sectors import sector_name
from koshiqon.adaptation.selectors import centres as centre_selectors
from koshiqon.adaptation.selectors import plans as selectors
from koshiqon.adaptation.services import imports, outcomes, plans, stays
from koshiqon.adaptation.views import forms
from koshiqon.core.audit import persons_read
from koshiqon.core.domain.permissions import Perm
from koshiqon.core.permissions import can, require
from koshiqon.people.forms import apply_errors
from koshiqon.people.models import Person

ACTION_LABELS = {
    "adaptation.plan.create": gettext_lazy("Plan made"),
    "adaptation.plan.close": gettext_lazy("Plan closed"),
    "adaptation.referral.add": gettext_lazy("Referred to a service"),
    "adaptation.referral.deliver": gettext_lazy("Service delivered"),
    "adaptation.stay.check_in": gettext_lazy("Checked in"),
    "adaptation.stay.check_out": gettext_lazy("Checked out"),
    "adaptation.outcome.record": gettext_lazy("Outcome recorded"),
    "adaptation.outcome.correct": gettext_lazy("Outcome corrected"),
}


@require_GET
def plan_list(request):
    require(request.user, Perm.ADAPTATION_VIEW)
    centres = centre_selectors.centre_list(user=request.user)
    form = forms.PlanFilterForm(request.GET or None, centres=centres)
    plans_qs = selectors.plan_list(user=request.user, filters=form.filters())
    page = Paginator(plans_qs, settings.KOSHIQON_PAGE_SIZE).get_page(request.GET.get("page"))
    selectors.log_heads(user=request.user, plans=page.object_list, channel="page", path=request.get_full_path())
    return render(request, "adaptation/plan_list.html", {
        "form": form, "page": page, "can_change": can(request.user, Perm.ADAPTATION_CHANGE),
    })


def _centre_for_new_plan(request):
    centre_id = request.GET.get("centre") or request.POST.get("centre")
    if centre_id and str(centre_id).isdigit():
        return centre_selectors.centre_get(user=request.user, pk=int(centre_id))
    centres = list(centre_selectors.centre_list(user=request.user)[:2])
    if len(centres) == 1:
        return centres[0]
    raise Http404


@require_http_methods(["GET", "POST"])
def plan_create(request):
    """Step 1: find the family. Step 2: the plan, with the services the family is referred to."""
    require(request.user, Perm.ADAPTATION_CHANGE)
    centre = _centre_for_new_plan(request)
    family_id = request.GET.get("family") or request.POST.get("family")
    if not family_id:
        search = forms.FamilySearchForm(request.GET or None)
        q = search.cleaned_data["q"] if search.is_valid() else ""
        families = list(selectors.families_for_plan(user=request.user, centre=centre, q=q)[:25])
        persons_read(request, [m.person_id for f in families for m in f.members.all()])  # the results name them
        return render(request, "adaptation/plan_family.html",
                      {"form": search, "families": families, "q": q, "centre": centre})
    if not str(family_id).isdigit():
        raise Http404
    family = selectors.family_for_plan(user=request.user, centre=centre, pk=int(family_id))
    offers = list(centre_selectors.centre_offers(centre=centre))
    application = plans.kandas_application_of(family)
    initial = {"arrival_date": timezone.localdate(), "services": [o.service.code for o in offers
                                                                   if o.service.code in ("information", "state_language")]}
    form = forms.PlanForm(request.POST or None, offers=offers, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            plan = plans.plan_create(
                family=family, centre=centre, arrival_date=data["arrival_date"], transport=data["transport"],
                work=data["work"], housing=data["housing"], family_size=data["family_size"],
                financial_aid_tenge=data["financial_aid_tenge"], financial_aid_note=data["financial_aid_note"],
                work_note=data["work_note"], housing_note=data["housing_note"], services=data["services"],
                by=request.user,
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The plan %(number)s is made.") % {"number": plan.number})
            return redirect("adaptation:plan_detail", pk=plan.pk)
    members = list(family.members.select_related("person").order_by("id"))
    persons_read(request, [m.person_id for m in members])
    return render(request, "adaptation/plan_form.html", {
        "form": form, "family": family, "centre": centre, "members": members, "application": application,
    }, status=422 if form.errors else 200)


def _plan_page(request, plan, *, status: int = 200, **bound):
    """The plan's page, with the forms of the actions the user may take (bound ones carry their errors). It
    shows the family, so the read is logged."""
    selectors.log_plan_read(user=request.user, plan=plan, channel="page", path=request.path)
    today = timezone.localdate()
    view = selectors.plan_view(plan=plan, today=today)
    can_change = can(request.user, Perm.ADAPTATION_CHANGE) and plan.status == PlanStatus.ACTIVE
    offers = list(centre_selectors.centre_offers(centre=plan.centre))
    staying = [m.stay for m in view.members if m.stay is not None]
    not_staying = [m for m in view.members if m.stay is None]
    deliveries = {}
    for row in view.referrals:
        if row.state != ReferralState.DELIVERED:
            key = f"d{row.referral.pk}"
            deliveries[row.referral.pk] = bound.get(key) or forms.DeliveryForm(prefix=key, initial={"delivered_on": today})
    for row in view.referrals:
        row.form = deliveries.get(row.referral.pk)
    outcomes_table = [
        (person, [(cell, cell.outcome and {
            "employed": ANSWER_LABELS.get(cell.outcome.employed, cell.outcome.employed),
            "sector": sector_name(cell.outcome.sector) if cell.outcome.sector else "",
            "stayed": ANSWER_LABELS.get(cell.outcome.stayed_in_region, "") if cell.outcome.stayed_in_region else "",
        }) for cell in cells]) for person, cells in view.outcomes
    ]
    context = {
        "plan": plan, "view": view, "today": today, "can_change": can_change,
        "can_outcomes": can(request.user, Perm.ADAPTATION_CHANGE),
        "referral_form": bound.get("referral") or forms.ReferralForm(prefix="r", offers=offers, members=view.members),
        "check_in_form": bound.get("check_in") or forms.CheckInForm(prefix="in", members=not_staying,
                                                                   initial={"on": today}),
        "check_out_form": bound.get("check_out") or forms.CheckOutForm(prefix="out", stays=staying,
                                                                      initial={"on": today}),
        "outcomes_table": outcomes_table,
        "history": [{"event": e, "label": ACTION_LABELS.get(e.action, e.action)}
                    for e in selectors.plan_history(plan=plan)],
    }
    return render(request, "adaptation/plan_detail.html", context, status=status)


@require_GET
def plan_detail(request, pk: int):
    return _plan_page(request, selectors.plan_visible(user=request.user, pk=pk))


def _done(request, plan, message: str, anchor: str):
    messages.success(request, message)
    return redirect(reverse("adaptation:plan_detail", args=[plan.pk]) + f"#{anchor}")


@require_POST
def referral_add(request, pk: int):
    plan = selectors.plan_for_update(user=request.user, pk=pk)
    view = selectors.plan_view(plan=plan)
    form = forms.ReferralForm(request.POST, prefix="r", offers=centre_selectors.centre_offers(centre=plan.centre),
                              members=view.members)
    if form.is_valid():
        data = form.cleaned_data
        person = Person.objects.filter(pk=data["person"]).first() if data["person"] else None
        try:
            plans.referral_add(plan=plan, service=data["service"], person=person, due_on=data["due_on"],
                               note=data["note"], by=request.user)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            return _done(request, plan, _("The family is referred to the service."), "referrals")
    return _plan_page(request, plan, status=422, referral=form)


@require_POST
def referral_deliver(request, pk: int):
    referral = selectors.referral_for_update(user=request.user, pk=pk)
    plan = referral.plan
    form = forms.DeliveryForm(request.POST, prefix=f"d{referral.pk}")
    if form.is_valid():
        try:
            plans.referral_deliver(referral=referral, delivered_on=form.cleaned_data["delivered_on"],
                                   note=form.cleaned_data["note"], by=request.user)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            return _done(request, plan, _("“%(service)s” is recorded as delivered.") % {"service": referral.service.name},
                         "referrals")
    return _plan_page(request, plan, status=422, **{f"d{referral.pk}": form})


@require_POST
def check_in(request, pk: int):
    plan = selectors.plan_for_update(user=request.user, pk=pk)
    view = selectors.plan_view(plan=plan)
    form = forms.CheckInForm(request.POST, prefix="in", members=[m for m in view.members if m.stay is None])
    if form.is_valid():
        persons = list(Person.objects.filter(pk__in=form.cleaned_data["persons"] or []))
        try:
            done = stays.stay_check_in(plan=plan, persons=persons, on=form.cleaned_data["on"], by=request.user)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            return _done(request, plan, ngettext("%(count)s person checked in.", "%(count)s persons checked in.",
                                                 len(done)) % {"count": len(done)}, "stays")
    return _plan_page(request, plan, status=422, check_in=form)


@require_POST
def check_out(request, pk: int):
    plan = selectors.plan_for_update(user=request.user, pk=pk)
    staying = [m.stay for m in selectors.plan_view(plan=plan).members if m.stay is not None]
    form = forms.CheckOutForm(request.POST, prefix="out", stays=staying)
    if form.is_valid():
        chosen = [s for s in staying if str(s.pk) in (form.cleaned_data["stays"] or [])]
        try:
            done = stays.stay_check_out(stays=chosen, on=form.cleaned_data["on"], by=request.user)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            return _done(request, plan, ngettext("%(count)s person checked out.", "%(count)s persons checked out.",
                                                 len(done)) % {"count": len(done)}, "stays")
    return _plan_page(request, plan, status=422, check_out=form)


@require_http_methods(["GET", "POST"])
def plan_outcomes(request, pk: int):
    """The outcomes of the family's working-age members at each checkpoint reached."""
    plan = selectors.plan_for_update(user=request.user, pk=pk)
    selectors.log_plan_read(user=request.user, plan=plan, channel="page", path=request.path)
    view = selectors.plan_view(plan=plan)
    form = forms.OutcomesForm(request.POST or None, grid=view.outcomes)
    if request.method == "POST" and form.is_valid():
        rows = form.rows()
        try:
            with transaction.atomic():
                result = outcomes.outcomes_record_many(rows=[{"plan": plan, **row} for _prefix, row in rows],
                                                       by=request.user)
        except ValidationError as exc:
            names = {"stayed_in_region": "stayed", "person": "employed", "months": "employed", "plan": "employed"}
            for key, errors in exc.message_dict.items():
                _rows, index, field = key.split(".", 2)
                form.add_error(f"{rows[int(index)][0]}_{names.get(field, field)}", errors)
        else:
            saved = result.created + result.updated
            messages.success(request, ngettext("%(count)s outcome saved.", "%(count)s outcomes saved.", saved)
                             % {"count": saved})
            return redirect(reverse("adaptation:plan_detail", args=[plan.pk]) + "#outcomes")
    cells = [{"person": person, "cell": cell, "employed": form.bound(prefix, "employed"),
              "sector": form.bound(prefix, "sector"), "stayed": form.bound(prefix, "stayed")}
             for person, cell, prefix in form.cells]
    pending = [(person, cell) for person, cs in view.outcomes for cell in cs if cell.applies and not cell.reached]
    return render(request, "adaptation/plan_outcomes.html", {
        "plan": plan, "form": form, "cells": cells, "pending": pending,
    }, status=422 if form.errors else 200)


@require_http_methods(["GET", "POST"])
def plan_close(request, pk: int):
    plan = selectors.plan_for_update(user=request.user, pk=pk)
    form = forms.CloseForm(request.POST or None, initial={"closed_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            plans.plan_close(plan=plan, reason=form.cleaned_data["reason"], closed_on=form.cleaned_data["closed_on"],
                             by=request.user)
        except ValidationError as exc:
            apply_errors(form, exc, rename={"plan": "reason"})
        else:
            messages.success(request, _("The plan %(number)s is closed.") % {"number": plan.number})
            return redirect("adaptation:plan_detail", pk=plan.pk)
    return render(request, "adaptation/plan_close.html", {"plan": plan, "form": form},
                  status=422 if form.errors else 200)


@require_http_methods(["GET", "POST"])
def outcomes_import(request):
    """Upload a CSV or XLSX file of outcomes: the upload's size and type are checked here, its rows by a long
    job; its page shows the progress and then the rows saved, or, if any is wrong, none and every problem."""
    require(request.user, Perm.ADAPTATION_CHANGE)
    require(request.user, Perm.JOBS_VIEW)
    form = forms.ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            job = imports.outcomes_import_start(name=upload.name, content=upload.read(imports.MAX_BYTES + 1),
                                                by=request.user)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            return redirect("jobs:job_detail", pk=job.pk)
    return render(request, "adaptation/outcomes_import.html", {"form": form}, status=422 if form.errors else 200)


urlpatterns = [
    path("plans/", plan_list, name="plan_list"),
    path("plans/new/", plan_create, name="plan_create"),
    path("plans/<int:pk>/", plan_detail, name="plan_detail"),
    path("plans/<int:pk>/referrals/", referral_add, name="referral_add"),
    path("plans/<int:pk>/check-in/", check_in, name="check_in"),
    path("plans/<int:pk>/check-out/", check_out, name="check_out"),
    path("plans/<int:pk>/outcomes/", plan_outcomes, name="plan_outcomes"),
    path("plans/<int:pk>/close/", plan_close, name="plan_close"),
    path("referrals/<int:pk>/deliver/", referral_deliver, name="referral_deliver"),
    path("outcomes/import/", outcomes_import, name="outcomes_import"),
]
