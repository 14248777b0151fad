"""Pages of the labour exchange: vacancies and registered local jobseekers (lists with filters and XLSX
exports, one-by-one registration, status changes) and the import of either from a CSV or XLSX file as a long
job with a progress bar. Same selectors and services as the API."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from koshiqon.core.domain.permissions import Perm
from koshiqon.core.permissions import can, require
from koshiqon.jobs.services import file_param, job_start
from koshiqon.labour import exports
from koshiqon.labour.models import VacancyStatus
from koshiqon.labour.selectors import exchange as selectors
from koshiqon.labour.services import exchange as services
from koshiqon.labour.views.exchange_forms import (
    DeregisterForm,
    ImportForm,
    JobseekerFilterForm,
    JobseekerForm,
    VacancyFilterForm,
    VacancyForm,
)
from koshiqon.people.forms import apply_errors

IMPORT_KIND = "labour.exchange_import"


def _vacancies(request):
    selectors.require_vacancy_view(request.user)
    form = VacancyFilterForm(request.GET or None, user=request.user)
    return form, selectors.vacancy_list(user=request.user, filters=form.filters())


@require_GET
def vacancy_list(request):
    form, vacancies = _vacancies(request)
    page = Paginator(vacancies, settings.KOSHIQON_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "labour/vacancy_list.html", {
        "form": form, "page": page, "export_query": request.GET.urlencode(),
        "can_keep": can(request.user, Perm.LABOUR_EXCHANGE), "statuses": VacancyStatus.choices,
    })


@require_GET
def vacancy_export(request):
    _form, vacancies = _vacancies(request)
    return exports.vacancies_workbook_response(vacancies)


def _register(request, *, form_class, service, done: str, list_url: str, template: str):
    """The page that registers one vacancy or jobseeker by hand: the form, the service, the list after."""
    require(request.user, Perm.LABOUR_EXCHANGE)
    form = form_class(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            service(by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, done)
            return redirect(list_url)
    return render(request, template, {"form": form}, status=422 if form.errors else 200)


@require_http_methods(["GET", "POST"])
def vacancy_create(request):
    return _register(request, form_class=VacancyForm, service=services.vacancy_create,
                     done=_("The vacancy is registered."), list_url="labour:vacancy_list",
                     template="labour/vacancy_form.html")


@require_POST
def vacancy_status(request, pk: int):
    require(request.user, Perm.LABOUR_EXCHANGE)
    vacancy = selectors.vacancy_get(user=request.user, pk=pk)
    try:
        services.vacancy_status_set(vacancy=vacancy, status=request.POST.get("status", ""), by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Vacancy %(id)s: %(status)s.") % {"id": vacancy.exchange_id,
                                                                       "status": vacancy.get_status_display()})
    return redirect("labour:vacancy_list")


def _jobseekers(request):
    require(request.user, Perm.LABOUR_VIEW)
    form = JobseekerFilterForm(request.GET or None, user=request.user)
    return form, selectors.jobseeker_list(user=request.user, filters=form.filters())


@require_GET
def jobseeker_list(request):
    form, jobseekers = _jobseekers(request)
    page = Paginator(jobseekers, settings.KOSHIQON_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "labour/jobseeker_list.html", {
        "form": form, "page": page, "export_query": request.GET.urlencode(),
        "can_keep": can(request.user, Perm.LABOUR_EXCHANGE), "deregister_form": DeregisterForm(),
    })


@require_GET
def jobseeker_export(request):
    _form, jobseekers = _jobseekers(request)
    return exports.jobseekers_workbook_response(jobseekers)


@require_http_methods(["GET", "POST"])
def jobseeker_create(request):
    return _register(request, form_class=JobseekerForm, service=services.jobseeker_create,
                     done=_("The jobseeker is registered."), list_url="labour:jobseeker_list",
                     template="labour/jobseeker_form.html")


@require_POST
def jobseeker_deregister(request, pk: int):
    require(request.user, Perm.LABOUR_EXCHANGE)
    jobseeker = selectors.jobseeker_get(user=request.user, pk=pk)
    form = DeregisterForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Write the date as YYYY-MM-DD or DD.MM.YYYY, for example 2026-03-21."))
        return redirect("labour:jobseeker_list")
    try:
        services.jobseeker_deregister(jobseeker=jobseeker, on=form.cleaned_data["deregistered_on"],
                                      reason=form.cleaned_data["reason"], by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Jobseeker %(number)s is deregistered.") % {"number": jobseeker.registration})
    return redirect("labour:jobseeker_list")


@require_http_methods(["GET", "POST"])
def exchange_import(request):
    """Upload a file: the import runs as a long job; its page shows the progress and then the report."""
    require(request.user, Perm.LABOUR_EXCHANGE)
    require(request.user, Perm.JOBS_VIEW)
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        name = (upload.name or "upload")[:100]
        what = form.cleaned_data["what"]
        title = (_("Import of vacancies from %(file)s") if what == "vacancies"
                 else _("Import of jobseekers from %(file)s")) % {"file": name}
        job = job_start(kind=IMPORT_KIND, title=title, by=request.user, what=what, filename=name,
                        content=file_param(upload.read()))
        return redirect("jobs:job_detail", pk=job.pk)
    return render(request, "labour/exchange_import.html", {"form": form}, status=422 if form.errors else 200)


urlpatterns = [
    path("vacancies/", vacancy_list, name="vacancy_list"),
    path("vacancies/export.xlsx", vacancy_export, name="vacancy_export"),
    path("vacancies/new/", vacancy_create, name="vacancy_create"),
    path("vacancies/<int:pk>/status/", vacancy_status, name="vacancy_status"),
    path("jobseekers/", jobseeker_list, name="jobseeker_list"),
    path("jobseekers/export.xlsx", jobseeker_export, name="jobseeker_export"),
    path("jobseekers/new/", jobseeker_create, name="jobseeker_create"),
    path("jobseekers/<int:pk>/deregister/", jobseeker_deregister, name="jobseeker_deregister"),
    path("exchange/import/", exchange_import, name="exchange_import"),
]
