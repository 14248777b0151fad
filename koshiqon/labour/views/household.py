"""Pages of household labour migrants' permits: the list, issuing one (the private employer's limit of 5 and
the advance income tax shown), one permit, revoking it, and the XLSX export."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from koshiqon.core.audit import persons_read
from koshiqon.core.domain.permissions import Perm
from koshiqon.core.money import NoRateError, mci_on
from koshiqon.core.permissions import can, require
from koshiqon.labour import permit_exports
from koshiqon.labour.domain import policy_data, terms
from koshiqon.labour.domain.status import PermitStatus
from koshiqon.labour.selectors import household as selectors
from koshiqon.labour.services.household import household_permit_issue, household_permit_revoke
from koshiqon.labour.views import permit_forms as forms
from koshiqon.people.forms import apply_errors
from koshiqon.reference.selectors import region_by_code


def _list(request):
    require(request.user, Perm.LABOUR_VIEW)
    form = forms.HouseholdFilterForm(request.GET or None, user=request.user)
    return form, selectors.household_list(user=request.user, filters=form.filters())


def _tax_table(on) -> dict:
    """The advance tax of today, per month, in MCI and tenge (None when not configured for today)."""
    try:
        per_month = terms.household_advance_tax_mci(1, on)
        return {"mci": per_month, "tenge": per_month * mci_on(on)}
    except (LookupError, NoRateError):
        return {}


@require_GET
def household_list(request):
    form, permits = _list(request)
    page = Paginator(permits, settings.KOSHIQON_PAGE_SIZE).get_page(request.GET.get("page"))
    persons_read(request, [i for p in page.object_list for i in (p.worker_id, p.employer_person_id)])
    return render(request, "labour/household_list.html", {
        "form": form, "page": page, "export_query": request.GET.urlencode(),
        "can_issue": can(request.user, Perm.LABOUR_DECIDE), "tax": _tax_table(timezone.localdate()),
        "limit": policy_data.HOUSEHOLD_MAX_PER_EMPLOYER.value,
    })


@require_GET
def household_export(request):
    _form, permits = _list(request)
    content = permit_exports.household_xlsx(permits, user=request.user, channel="export",
                                            path=request.get_full_path())
    response = HttpResponse(content, content_type=permit_exports.XLSX)
    response["Content-Disposition"] = f'attachment; filename="{permit_exports.filename("household-permits")}"'
    return response


def household_new(request):
    require(request.user, Perm.LABOUR_DECIDE)
    today = timezone.localdate()
    form = forms.HouseholdForm(request.POST or None, user=request.user, initial={"valid_from": today, "months": 12})
    employer = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        employer = selectors.private_employer_by_iin(user=request.user, iin=data["employer_iin"])
        if employer is None:
            form.add_error("employer_iin", _("No person with this IIN is registered."))
        else:
            try:
                permit = household_permit_issue(
                    employer_person=employer, worker=form.passport(), region=region_by_code(data["region"] or ""),
                    months=data["months"], valid_from=data["valid_from"], by=request.user,
                )
            except ValidationError as exc:
                errors = forms.rename_worker(exc.message_dict) if hasattr(exc, "error_dict") else {}
                apply_errors(form, ValidationError(errors) if errors else exc, {"employer_person": "employer_iin"})
            else:
                messages.success(request, _("Household permit %(number)s is issued.") % {"number": permit.number})
                return redirect("labour:household_detail", pk=permit.pk)
    if employer is not None:
        persons_read(request, [employer.pk])  # the form names the private employer found by the IIN
    context = {
        "form": form, "tax": _tax_table(today), "limit": policy_data.HOUSEHOLD_MAX_PER_EMPLOYER.value,
        "employer": employer, "in_force": selectors.employer_in_force(employer_person=employer) if employer else None,
    }
    return render(request, "labour/household_form.html", context, status=422 if form.errors else 200)


@require_GET
def household_detail(request, pk: int):
    permit = selectors.household_get(user=request.user, pk=pk, channel="page", path=request.path)
    return render(request, "labour/household_detail.html", {
        "permit": permit, "in_force": selectors.employer_in_force(employer_person=permit.employer_person),
        "limit": policy_data.HOUSEHOLD_MAX_PER_EMPLOYER.value,
        "can_revoke": can(request.user, Perm.LABOUR_DECIDE) and permit.status in (
            PermitStatus.ISSUED, PermitStatus.SUSPENDED),
        "lapsed": permit.status == PermitStatus.ISSUED and permit.valid_until < timezone.localdate(),
    })


def household_revoke(request, pk: int):
    permit = selectors.household_for_decision(user=request.user, pk=pk)
    form = forms.ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            household_permit_revoke(permit=permit, reason=form.cleaned_data["reason"], by=request.user)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The household permit is revoked."))
            return redirect("labour:household_detail", pk=pk)
    return render(request, "labour/household_step.html", {"permit": permit, "form": form,
                                                         "title": _("Revoke the household permit")},
                  status=422 if form.errors else 200)


urlpatterns = [
    path("household/", household_list, name="household_list"),
    path("household/export.xlsx", household_export, name="household_export"),
    path("household/new/", household_new, name="household_new"),
    path("household/<int:pk>/", household_detail, name="household_detail"),
    path("household/<int:pk>/revoke/", household_revoke, name="household_revoke"),
]
