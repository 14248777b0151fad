"""Pages of the employer registry: the list, an employer with its staff by category, the accounts acting for
it and its vacancies, and the forms that register and edit employers. Same selectors and services as the API:
an employer account sees only its own employer(s) (404 for any other) and may update their staff."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from koshiqon.core.domain.permissions import Perm
from koshiqon.core.permissions import can, region_ids_in_scope, require
from koshiqon.labour.domain.sectors import sector_name
from koshiqon.labour.selectors import employers as selectors
from koshiqon.labour.selectors.exchange import vacancy_list
from koshiqon.labour.services import employers as services
from koshiqon.labour.views.employer_forms import AccountForm, EmployerFilterForm, EmployerForm, StaffForm
from koshiqon.people.forms import apply_errors


@require_GET
def employer_list(request):
    selectors.require_employer_view(request.user)
    form = EmployerFilterForm(request.GET or None, user=request.user)
    employers = selectors.employer_list(user=request.user, **form.filters())
    page = Paginator(employers, settings.KOSHIQON_PAGE_SIZE).get_page(request.GET.get("page"))
    lang = get_language()
    for employer in page.object_list:
        employer.sector_label = sector_name(employer.sector, lang)
    return render(request, "labour/employer_list.html", {
        "form": form, "page": page, "can_register": can(request.user, Perm.LABOUR_EXCHANGE),
        "can_see_quota": can(request.user, Perm.LABOUR_VIEW) or can(request.user, Perm.ANALYTICS_VIEW),
        "can_see_exchange": can(request.user, Perm.LABOUR_VIEW),
    })


def _can_keep(user, employer) -> bool:
    scope = region_ids_in_scope(user)
    return can(user, Perm.LABOUR_EXCHANGE) and (scope is None or employer.region_id in scope)


def _detail_context(request, employer, *, staff_form=None, account_form=None) -> dict:
    user = request.user
    can_staff = services.may_set_staff(user, employer)
    can_keep = _can_keep(user, employer)
    staff = {row.category: row for row in selectors.staff_rows(employer)}
    return {
        "employer": employer, "sector_label": sector_name(employer.sector, get_language()),
        "staff": [(c, staff.get(c)) for c in services.STAFF_CATEGORIES],
        "can_staff": can_staff, "staff_form": staff_form or (StaffForm() if can_staff else None),
        "can_keep": can_keep, "account_form": account_form or (AccountForm() if can_keep else None),
        "accounts": list(selectors.employer_accounts(employer)) if can(user, Perm.LABOUR_VIEW) else [],
        "vacancies": vacancy_list(user=user, filters={"employer": employer.pk})[:10],
    }


@require_GET
def employer_detail(request, pk: int):
    employer = selectors.employer_get(user=request.user, pk=pk)
    return render(request, "labour/employer_detail.html", _detail_context(request, employer))


@require_POST
def employer_staff(request, pk: int):
    employer = selectors.employer_get(user=request.user, pk=pk)
    if not services.may_set_staff(request.user, employer):
        require(request.user, Perm.LABOUR_EXCHANGE)  # 403 for a reader
    form = StaffForm(request.POST)
    if form.is_valid():
        try:
            services.employer_staff_set(employer=employer, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The staff of category %(category)s is recorded.")
                             % {"category": form.cleaned_data["category"]})
            return redirect("labour:employer_detail", pk=employer.pk)
    return render(request, "labour/employer_detail.html", _detail_context(request, employer, staff_form=form),
                  status=422)


@require_POST
def employer_account(request, pk: int):
    """Link (or, with `unlink`, unlink) an employer account."""
    require(request.user, Perm.LABOUR_EXCHANGE)
    employer = selectors.employer_get(user=request.user, pk=pk)
    form = AccountForm(request.POST)
    if form.is_valid():
        action = services.employer_account_unlink if request.POST.get("unlink") else services.employer_account_link
        try:
            action(employer=employer, username=form.cleaned_data["username"], by=request.user)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The accounts acting for the employer are updated."))
            return redirect("labour:employer_detail", pk=employer.pk)
    return render(request, "labour/employer_detail.html", _detail_context(request, employer, account_form=form),
                  status=422)


@require_http_methods(["GET", "POST"])
def employer_create(request):
    require(request.user, Perm.LABOUR_EXCHANGE)
    form = EmployerForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            employer = services.employer_create(by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The employer is registered."))
            return redirect("labour:employer_detail", pk=employer.pk)
    return render(request, "labour/employer_form.html", {"form": form, "employer": None},
                  status=422 if form.errors else 200)


@require_http_methods(["GET", "POST"])
def employer_edit(request, pk: int):
    require(request.user, Perm.LABOUR_EXCHANGE)
    employer = selectors.employer_get(user=request.user, pk=pk)
    initial = {"bin": employer.bin, "name": employer.name, "region": employer.region.code,
               "sector": employer.sector, "address": employer.address}
    form = EmployerForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.employer_update(employer=employer, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The employer's registration data are saved."))
            return redirect("labour:employer_detail", pk=employer.pk)
    return render(request, "labour/employer_form.html", {"form": form, "employer": employer},
                  status=422 if form.errors else 200)


urlpatterns = [
    path("employers/", employer_list, name="employer_list"),
    path("employers/new/", employer_create, name="employer_create"),
    path("employers/<int:pk>/", employer_detail, name="employer_detail"),
    path("employers/<int:pk>/edit/", employer_edit, name="employer_edit"),
    path("employers/<int:pk>/staff/", employer_staff, name="employer_staff"),
    path("employers/<int:pk>/accounts/", employer_account, name="employer_account"),
]
