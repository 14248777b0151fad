"""Pages of centres: the adaptation home (staff go straight to their centre), the list of centres with their
occupancy, a centre's day for its staff (families, today's arrivals, overdue services, who stays, the
occupancy bar), and opening or changing a centre (national officers)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from koshiqon.adaptation.access import is_centre_staff
from koshiqon.adaptation.selectors import centres as selectors
from koshiqon.adaptation.selectors import plans as plan_selectors
from koshiqon.adaptation.services import centres as services
from koshiqon.adaptation.views import forms
from koshiqon.core.domain.permissions import Perm
from koshiqon.core.permissions import can, require
from koshiqon.people.forms import apply_errors
from koshiqon.reference.selectors import region_by_code
from koshiqon.web.charts import ChartRow, Series, stacked_bar_chart

OCCUPIED = gettext_lazy("occupied")
FREE = gettext_lazy("free")


def occupancy_chart(centres, occupancy, *, title, link: bool = True) -> dict:
    """Beds of each centre as a bar: occupied, then free."""
    series = [Series("occupied", OCCUPIED, "c4"), Series("free", FREE, "rest")]
    rows = [ChartRow(c.name, {"occupied": occupancy[c.pk].occupied, "free": occupancy[c.pk].free},
                     reverse("adaptation:centre_detail", args=[c.pk]) if link else "") for c in centres]
    return stacked_bar_chart(title=title, series=series, rows=rows, total_label=_("Beds"),
                             row_label=_("Centre"), label_series="occupied")


@require_GET
def home(request):
    """Centre staff of one centre start on it; analysts (who see no centre's families) on the ministry's
    figures; everyone else on the list of centres."""
    if not can(request.user, Perm.ADAPTATION_VIEW) and can(request.user, Perm.ANALYTICS_VIEW):
        return redirect("adaptation:overview")
    centres = list(selectors.centre_list(user=request.user))
    if is_centre_staff(request.user) and len(centres) == 1:
        return redirect("adaptation:centre_detail", pk=centres[0].pk)
    return centre_list(request)


@require_GET
def centre_list(request):
    centres = list(selectors.centre_list(user=request.user))
    today = timezone.localdate()
    occupancy = selectors.occupancy_on(centres=centres, on=today)
    rows = [{"centre": c, "occupancy": occupancy[c.pk]} for c in centres]
    return render(request, "adaptation/centre_list.html", {
        "rows": rows, "today": today,
        "chart": occupancy_chart(centres, occupancy, title=_("Beds by centre today")) if centres else None,
        "can_manage": can(request.user, Perm.CENTRES_MANAGE), "can_change": can(request.user, Perm.ADAPTATION_CHANGE),
    })


@require_GET
def centre_detail(request, pk: int):
    """A centre's day: who arrives today, the families at the centre and their progress, the services
    overdue, who stays now, and how full the centre is."""
    centre = selectors.centre_get(user=request.user, pk=pk)
    today = timezone.localdate()
    dashboard = plan_selectors.centre_dashboard(user=request.user, centre=centre, today=today, channel="page",
                                                path=request.path)
    occupancy = selectors.occupancy_on(centres=[centre], on=today)
    return render(request, "adaptation/centre_detail.html", {
        "centre": centre, "d": dashboard, "today": today, "occupancy": occupancy[centre.pk],
        "chart": occupancy_chart([centre], occupancy, title=_("Beds today"), link=False),
        "offers": selectors.centre_offers(centre=centre), "staff": centre.staff.order_by("username"),
        "can_change": can(request.user, Perm.ADAPTATION_CHANGE), "can_manage": can(request.user, Perm.CENTRES_MANAGE),
    })


def _centre_form(request, centre=None):
    offers = {o.service.code: o.places for o in selectors.centre_offers(centre=centre)} if centre else {}
    initial = {}
    if centre is not None:
        initial = {name: getattr(centre, name) for name in ("name", "address", "phone", "beds", "opened_on",
                                                              "closed_on", "max_stay_days")}
        initial["region"] = centre.region.code
        initial["staff"] = [str(pk) for pk in centre.staff.values_list("pk", flat=True)]
        for code, places in offers.items():
            initial[f"svc_{code}"], initial[f"places_{code}"] = True, places
    return forms.CentreForm(request.POST or None, initial=initial, services=selectors.catalogue(),
                            staff=selectors.staff_candidates(user=request.user))


@require_http_methods(["GET", "POST"])
def centre_edit(request, pk: int | None = None):
    """Open a centre, or change one: address, beds, opening period, services with their places, staff."""
    require(request.user, Perm.CENTRES_MANAGE)
    centre = selectors.centre_for_manage(user=request.user, pk=pk) if pk else None
    form = _centre_form(request, centre)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        values = {name: data[name] for name in ("name", "address", "phone", "beds", "opened_on", "closed_on",
                                                "max_stay_days")}
        values["region"] = region_by_code(data["region"]) if data["region"] else None
        staff = list(selectors.staff_candidates(user=request.user).filter(pk__in=data["staff"] or []))
        try:
            with transaction.atomic():
                if centre is None:
                    centre = services.centre_create(**values, by=request.user)
                else:
                    centre = services.centre_update(centre=centre, **values, by=request.user)
                services.centre_services_set(centre=centre, offers=form.offers(), by=request.user)
                services.centre_staff_set(centre=centre, users=staff, by=request.user)
        except ValidationError as exc:
            centre = selectors.centre_for_manage(user=request.user, pk=pk) if pk else None
            apply_errors(form, exc)
        else:
            messages.success(request, _("The centre “%(name)s” is saved.") % {"name": centre.name})
            return redirect("adaptation:centre_detail", pk=centre.pk)
    return render(request, "adaptation/centre_form.html", {"form": form, "centre": centre},
                  status=422 if form.errors else 200)


urlpatterns = [
    path("", home, name="home"),
    path("centres/", centre_list, name="centre_list"),
    path("centres/new/", centre_edit, name="centre_create"),
    path("centres/<int:pk>/", centre_detail, name="centre_detail"),
    path("centres/<int:pk>/edit/", centre_edit, name="centre_edit"),
]
