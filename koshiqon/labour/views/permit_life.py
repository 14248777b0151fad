"""Pages of work permits: the list (valid, suspended, revoked, expired; those ending soon), one permit with its
life actions (ask for or decide an extension, suspend, resume, revoke with the reason), and the XLSX export."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from koshiqon.core.audit import persons_read
from koshiqon.core.domain.permissions import Perm
from koshiqon.core.permissions import can
from koshiqon.labour import permit_exports
from koshiqon.labour.domain import terms
from koshiqon.labour.domain.status import ExtensionStatus, PermitKind, PermitStatus
from koshiqon.labour.models import PERMIT_STATUS_LABELS
from koshiqon.labour.selectors import permits as selectors
from koshiqon.labour.services import permit_life
from koshiqon.labour.services.extensions import (
    extension_problems,
    permit_extension_decide,
    permit_extension_request,
)
from koshiqon.labour.views import permit_forms as forms
from koshiqon.labour.views.permits import require_reader
from koshiqon.people.forms import apply_errors

ACTIONS = {
    "suspend": (permit_life.permit_suspend, gettext_lazy("Suspend the permit"), gettext_lazy("The permit is suspended."),
                True),
    "resume": (permit_life.permit_resume, gettext_lazy("Resume the permit"), gettext_lazy("The permit is valid again."),
               False),
    "revoke": (permit_life.permit_revoke, gettext_lazy("Revoke the permit"), gettext_lazy("The permit is revoked."),
               True),
}
EVENT_LABELS = {
    "labour.permit.issue": gettext_lazy("Permit issued"),
    "labour.permit.suspend": gettext_lazy("Suspended"),
    "labour.permit.resume": gettext_lazy("Resumed"),
    "labour.permit.revoke": gettext_lazy("Revoked"),
    "labour.permit.expire": gettext_lazy("Expired"),
    "labour.permit.extend": gettext_lazy("Extended"),
}


def _list(request):
    require_reader(request.user)
    form = forms.PermitFilterForm(request.GET or None, user=request.user)
    return form, selectors.permit_list(user=request.user, filters=form.filters())


@require_GET
def permit_list(request):
    form, permits = _list(request)
    page = Paginator(permits, settings.KOSHIQON_PAGE_SIZE).get_page(request.GET.get("page"))
    persons_read(request, [p.worker_id for p in page.object_list])
    return render(request, "labour/permit_list.html", {"form": form, "page": page,
                                                       "export_query": request.GET.urlencode()})


@require_GET
def permit_export(request):
    _form, permits = _list(request)
    content = permit_exports.permits_xlsx(permits, user=request.user, channel="export", path=request.get_full_path())
    response = HttpResponse(content, content_type=permit_exports.XLSX)
    response["Content-Disposition"] = f'attachment; filename="{permit_exports.filename("permits")}"'
    return response


@require_GET
def permit_detail(request, pk: int):
    permit = selectors.permit_get(user=request.user, pk=pk, channel="page", path=request.path)
    today = timezone.localdate()
    decide = can(request.user, Perm.LABOUR_DECIDE)
    extensions = list(selectors.permit_extensions(permit=permit))
    waiting = next((e for e in extensions if e.status == ExtensionStatus.REQUESTED), None)
    may_ask = (can(request.user, Perm.LABOUR_APPLY) or decide) and waiting is None
    opens, closes = terms.extension_window(permit.valid_until)
    context = {
        "permit": permit, "extensions": extensions, "waiting": waiting,
        "lapsed": permit.status in (PermitStatus.ISSUED, PermitStatus.SUSPENDED) and permit.valid_until < today,
        "can_suspend": decide and permit.status == PermitStatus.ISSUED,
        "can_resume": decide and permit.status == PermitStatus.SUSPENDED,
        "can_revoke": decide and permit.status in (PermitStatus.ISSUED, PermitStatus.SUSPENDED),
        "can_extend": may_ask and not extension_problems(permit, today),
        "can_decide_extension": decide and waiting is not None,
        "window": (opens, closes), "max_extensions": terms.max_extensions(
            permit.category, ict=permit.kind == PermitKind.ICT) if permit.kind != PermitKind.SEASONAL else 0,
        "history": [{"event": e, "label": EVENT_LABELS.get(e.action, e.action),
                     "after": PERMIT_STATUS_LABELS.get((e.after or {}).get("status"))}
                    for e in selectors.permit_history(permit=permit)],
    }
    return render(request, "labour/permit_detail.html", context)


def permit_action(request, pk: int, action: str):
    if action not in ACTIONS:
        raise Http404
    service, title, done, required = ACTIONS[action]
    permit = selectors.permit_for_decision(user=request.user, pk=pk)
    form = forms.ReasonForm(request.POST or None, required=required)
    if request.method == "POST" and form.is_valid():
        try:
            service(permit=permit, reason=form.cleaned_data["reason"], by=request.user)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, done)
            return redirect("labour:permit_detail", pk=pk)
    return render(request, "labour/permit_step.html", {"permit": permit, "form": form, "title": title,
                                                      "danger": action == "revoke"},
                  status=422 if form.errors else 200)


def permit_extend(request, pk: int):
    """Ask for the extension (the employer or an officer), 60 to 30 days before the end."""
    permit = selectors.permit_for_extension_request(user=request.user, pk=pk)
    longest = terms.extension_months(permit.category, ict=permit.kind == PermitKind.ICT)
    form = forms.ExtensionForm(request.POST or None, initial={"months": longest})
    if request.method == "POST" and form.is_valid():
        try:
            extension = permit_extension_request(permit=permit, months=form.cleaned_data["months"], by=request.user)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The extension is asked; the decision is due by %(day)s.")
                             % {"day": extension.decision_due.isoformat()})
            return redirect("labour:permit_detail", pk=pk)
    return render(request, "labour/permit_step.html", {"permit": permit, "form": form,
                                                      "title": _("Ask for an extension")},
                  status=422 if form.errors else 200)


def extension_decide(request, pk: int):
    extension = selectors.extension_for_decision(user=request.user, pk=pk)
    form = forms.ExtensionDecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            permit_extension_decide(extension=extension, grant=form.cleaned_data["grant"],
                                    reasons=form.cleaned_data["reasons"], by=request.user)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The extension is decided."))
            return redirect("labour:permit_detail", pk=extension.permit_id)
    return render(request, "labour/permit_step.html", {"permit": extension.permit, "form": form,
                                                      "title": _("Decide the extension"), "extension": extension},
                  status=422 if form.errors else 200)


urlpatterns = [
    path("permits/", permit_list, name="permit_list"),
    path("permits/export.xlsx", permit_export, name="permit_export"),
    path("permits/<int:pk>/", permit_detail, name="permit_detail"),
    path("permits/<int:pk>/extend/", permit_extend, name="permit_extend"),
    path("permits/<int:pk>/<slug:action>/", permit_action, name="permit_action"),
    path("extensions/<int:pk>/decide/", extension_decide, name="extension_decide"),
]
