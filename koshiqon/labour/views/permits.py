"""Pages of work-permit applications: the regional officer's queue (submitted applications by deadline, overdue
ones flagged), the employer's own applications, filing, the application with every step of its decision in
the reader's language, deciding, withdrawing, and the XLSX export. They call the same services and selectors
as the API, so the rights, the scope, the rules and the audit live in one place."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from koshiqon.core.audit import persons_read
from koshiqon.core.domain.permissions import Perm
from koshiqon.core.permissions import can
from koshiqon.labour import permit_exports
from koshiqon.labour.domain.status import ApplicationStatus
from koshiqon.labour.models import APPLICATION_STATUS_LABELS, Permit
from koshiqon.labour.selectors import permits as selectors
from koshiqon.labour.selectors.exchange import vacancy_by_exchange_id
from koshiqon.labour.services.permit_decision import permit_application_decide
from koshiqon.labour.services.permits import permit_application_submit, permit_application_withdraw
from koshiqon.labour.views import permit_forms as forms
from koshiqon.people.forms import apply_errors
from koshiqon.reference.models import Occupation
from koshiqon.reference.selectors import region_by_code

ACTION_LABELS = {
    "labour.application.submit": gettext_lazy("Application filed"),
    "labour.application.decide": gettext_lazy("Decision"),
    "labour.application.withdraw": gettext_lazy("Application withdrawn"),
}
REGIME_LABELS = {
    "advertise": gettext_lazy("2008–2012: job advertised, rejections of local applicants justified"),
    "notify": gettext_lazy("2012–2025: employment body notified"),
    "exchange": gettext_lazy("from 1 Sep 2025: vacancy on the labour exchange at least 15 days before"),
}


def require_reader(user) -> None:
    if not (can(user, Perm.LABOUR_VIEW) or can(user, Perm.LABOUR_APPLY)):
        raise PermissionDenied(Perm.LABOUR_VIEW.value)


def _list(request):
    require_reader(request.user)
    data = request.GET
    if not data and can(request.user, Perm.LABOUR_DECIDE):
        data = {"status": ApplicationStatus.SUBMITTED.value}  # the officer's queue opens on what waits
    form = forms.ApplicationFilterForm(data, user=request.user)
    return form, selectors.application_list(user=request.user, filters=form.filters())


@require_GET
def application_list(request):
    """The officer's queue (what waits, by deadline) and the employer's own applications."""
    form, applications = _list(request)
    page = Paginator(applications, settings.KOSHIQON_PAGE_SIZE).get_page(request.GET.get("page"))
    persons_read(request, [a.worker_id for a in page.object_list])
    pending = selectors.application_list(user=request.user, filters={"status": ApplicationStatus.SUBMITTED})
    context = {
        "form": form, "page": page, "export_query": request.GET.urlencode(),
        "can_file": can(request.user, Perm.LABOUR_APPLY) or can(request.user, Perm.LABOUR_DECIDE),
        "is_employer": not can(request.user, Perm.LABOUR_VIEW),
        "pending_count": pending.count(), "overdue_count": pending.filter(is_overdue=True).count(),
    }
    return render(request, "labour/application_list.html", context)


@require_GET
def application_export(request):
    """The list as filtered, as an XLSX workbook (each worker named is logged as a read)."""
    _form, applications = _list(request)
    content = permit_exports.applications_xlsx(applications, user=request.user, channel="export",
                                               path=request.get_full_path())
    response = HttpResponse(content, content_type=permit_exports.XLSX)
    response["Content-Disposition"] = f'attachment; filename="{permit_exports.filename("permit-applications")}"'
    return response


def _steps(application) -> list[dict]:
    lang = (get_language() or "kk")[:2]
    return [{"code": s["code"], "passed": s["passed"], "text": s.get(lang) or s.get("en", "")}
            for s in application.steps or []]


def _history(events) -> list[dict]:
    labels = {**APPLICATION_STATUS_LABELS}
    return [{"event": e, "label": ACTION_LABELS.get(e.action, e.action),
             "after": labels.get((e.after or {}).get("status"))} for e in events]


@require_GET
def application_detail(request, pk: int):
    application = selectors.application_get(user=request.user, pk=pk, channel="page", path=request.path)
    submitted = application.status == ApplicationStatus.SUBMITTED
    permit = Permit.objects.filter(application=application).first()
    context = {
        "application": application, "steps": _steps(application), "permit": permit,
        "regime_label": REGIME_LABELS.get(application.regime, ""),
        "overdue": submitted and application.decision_due < timezone.localdate(),
        "can_decide": submitted and can(request.user, Perm.LABOUR_DECIDE),
        "can_withdraw": submitted and (can(request.user, Perm.LABOUR_APPLY) or can(request.user, Perm.LABOUR_DECIDE)),
        "history": _history(selectors.application_history(application=application)),
    }
    return render(request, "labour/application_detail.html", context)


@require_POST
def application_decide(request, pk: int):
    """Decide under the regime of the application date; the page then shows every step."""
    application = selectors.application_for_decision(user=request.user, pk=pk)
    try:
        decided = permit_application_decide(application=application, by=request.user)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        if decided.status == ApplicationStatus.GRANTED:
            messages.success(request, _("Granted: permit %(number)s is issued.") % {"number": decided.permit.number})
        else:
            messages.warning(request, _("Refused: see the steps that failed."))
    return redirect("labour:application_detail", pk=pk)


def _vacancy(request, form):
    exchange_id = (form.cleaned_data.get("vacancy") or "").strip()
    if not exchange_id:
        return None
    vacancy = vacancy_by_exchange_id(user=request.user, exchange_id=exchange_id)
    if vacancy is None:
        form.add_error("vacancy", _("There is no such vacancy of yours on the labour exchange."))
    return vacancy


def application_new(request):
    """File an application: the employer, the job, the labour-market test's facts, the worker's passport."""
    if not (can(request.user, Perm.LABOUR_APPLY) or can(request.user, Perm.LABOUR_DECIDE)):
        raise PermissionDenied(Perm.LABOUR_APPLY.value)
    initial = {"applied_on": timezone.localdate(), "kind": "standard", "months": 12}
    form = forms.ApplicationForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        vacancy = _vacancy(request, form)
        if not form.errors:
            try:
                application = permit_application_submit(
                    employer=form.employers.get(data["employer"]), region=region_by_code(data["region"] or ""),
                    kind=data["kind"], category=data["category"],
                    occupation=Occupation.objects.filter(code=data["occupation"]).first() if data["occupation"] else None,
                    worker=form.passport(), applied_on=data["applied_on"], months=data["months"],
                    seasonal_days=data["seasonal_days"], vacancy=vacancy,
                    employment_body_notified=data["employment_body_notified"], advertised=data["advertised"],
                    rejections_justified=data["rejections_justified"],
                    replacement_undertaken=data["replacement_undertaken"], by=request.user,
                )
            except ValidationError as exc:
                apply_errors(form, ValidationError(forms.rename_worker(exc.message_dict))
                             if hasattr(exc, "error_dict") else exc)
            else:
                messages.success(request, _("The application %(number)s is filed; the decision is due by %(day)s.")
                                 % {"number": application.number, "day": application.decision_due.isoformat()})
                return redirect("labour:application_detail", pk=application.pk)
    status = 422 if form.errors else 200
    return render(request, "labour/application_form.html", {"form": form}, status=status)


def application_withdraw(request, pk: int):
    application = selectors.application_for_withdrawal(user=request.user, pk=pk)
    form = forms.ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            permit_application_withdraw(application=application, reason=form.cleaned_data["reason"], by=request.user)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The application is withdrawn."))
            return redirect("labour:application_detail", pk=pk)
    return render(request, "labour/application_step.html", {
        "application": application, "form": form, "title": _("Withdraw the application"),
        "danger": True,
    }, status=422 if form.errors else 200)


urlpatterns = [
    path("applications/", application_list, name="application_list"),
    path("applications/export.xlsx", application_export, name="application_export"),
    path("applications/new/", application_new, name="application_new"),
    path("applications/<int:pk>/", application_detail, name="application_detail"),
    path("applications/<int:pk>/decide/", application_decide, name="application_decide"),
    path("applications/<int:pk>/withdraw/", application_withdraw, name="application_withdraw"),
]
