"""Pages of kandas applications and quota plans. They call the same services and selectors as the API, so
every rule (rights, regions, the transition table, deadlines, audit) lives in one place."""

from datetime import date
from io import BytesIO

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET
from openpyxl import Workbook

from koshiqon.core.audit import access_record_many, persons_read
from koshiqon.core.domain.permissions import Perm
from koshiqon.core.permissions import can, require
from koshiqon.core.policy import policy_in_force
from koshiqon.kandas.domain import procedure
from koshiqon.kandas.domain.policy import RULES_KIND, rules_from
from koshiqon.kandas.domain.status import AppStatus, can_transition
from koshiqon.kandas.models import STATUS_LABELS, QuotaCategory
from koshiqon.kandas.selectors import applications as selectors
from koshiqon.kandas.services import applications as services
from koshiqon.kandas.views import application_forms as forms
from koshiqon.people.forms import apply_errors
from koshiqon.people.models import Relation
from koshiqon.reference.models import Region
from koshiqon.reference.selectors import region_by_code

ACTION_LABELS = {
    "kandas.application.submit": gettext_lazy("Application registered"),
    "kandas.application.check": gettext_lazy("Completeness check"),
    "kandas.application.resubmit": gettext_lazy("File handed in again"),
    "kandas.application.commission": gettext_lazy("Commission's recommendation"),
    "kandas.application.withdraw": gettext_lazy("Application withdrawn"),
}
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _list_context(request):
    require(request.user, Perm.KANDAS_VIEW)
    form = forms.ApplicationFilterForm(request.GET or None, user=request.user)
    return form, selectors.application_list(user=request.user, filters=form.filters())


@require_GET
def application_list(request):
    """The officer's list: newest first, overdue files flagged, filters by status, region, year and name."""
    form, applications = _list_context(request)
    page = Paginator(applications, settings.KOSHIQON_PAGE_SIZE).get_page(request.GET.get("page"))
    persons_read(request, [a.head_id for a in page.object_list])
    context = {
        "form": form, "page": page, "can_process": can(request.user, Perm.KANDAS_PROCESS),
        "can_select": can(request.user, Perm.KANDAS_SELECT),
        "export_query": request.GET.urlencode(),
    }
    return render(request, "kandas/application_list.html", context)


@require_GET
def application_export(request):
    """The list as it is filtered, as an XLSX workbook."""
    _form, applications = _list_context(request)
    book = Workbook(write_only=True)
    sheet = book.create_sheet(_("Applications"))
    sheet.append([_("Number"), _("Quota year"), _("Head of family"), _("Region"), _("Channel"), _("Received on"),
                  _("Persons"), _("Status"), _("Check due"), _("Commission due"), _("Overdue")])
    heads = []
    for a in applications.iterator(chunk_size=2000):
        heads.append(a.head_id)
        sheet.append([
            a.number, a.year, a.head.full_name, a.region.name, a.get_channel_display(),
            timezone.localtime(a.applied_at).replace(tzinfo=None), a.size, str(STATUS_LABELS[AppStatus(a.status)]),
            a.check_due, a.commission_due, _("yes") if a.is_overdue else _("no"),
        ])
    # The workbook names the heads of family: each one is a read of that person's record.
    access_record_many(user=request.user, object_type="people.person", object_ids=heads, channel="export",
                       path=request.get_full_path())
    buffer = BytesIO()
    book.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="kandas-applications-{timezone.localdate()}.xlsx"'
    return response


def _status_label(value):
    try:
        return STATUS_LABELS[AppStatus(value)]
    except ValueError:
        return None


def _history(application) -> list[dict]:
    """The status history from the audit trail: each step with who, when, the status before and after, why."""
    return [
        {
            "event": event, "label": ACTION_LABELS.get(event.action, event.action),
            "before": _status_label((event.before or {}).get("status")),
            "after": _status_label((event.after or {}).get("status")),
        }
        for event in selectors.application_history(application=application)
    ]


def application_detail(request, pk: int):
    application = selectors.application_get(user=request.user, pk=pk, channel="page", path=request.path)
    version = services.rules_version_of(application)
    rules = rules_from(version.parameters) if version else None
    lang = get_language()
    deadlines = procedure.Deadlines(application.check_due, application.commission_due)
    can_process = can(request.user, Perm.KANDAS_PROCESS)
    status = application.status
    relations = dict(Relation.choices)
    members = list(selectors.application_members(application=application))
    for m in members:
        m.relation_label = relations.get(m.relation, m.relation)
    context = {
        "application": application, "members": members,
        "rules_version": version,
        "documents": [(d.label.in_language(lang), bool(application.checklist.get(d.code)))
                      for d in (rules.required_documents if rules else [])],
        "priority": next((p.label.in_language(lang) for p in (rules.priority_categories if rules else [])
                          if p.code == application.priority), application.priority),
        "overdue": procedure.overdue(status, deadlines, timezone.localdate()),
        "history": _history(application),
        "can_check": can_process and status == AppStatus.SUBMITTED,
        "can_resubmit": can_process and status == AppStatus.RETURNED,
        "can_commission": can_process and status == AppStatus.CHECKED,
        "can_withdraw": can_process and can_transition(status, AppStatus.WITHDRAWN),
    }
    return render(request, "kandas/application_detail.html", context)


def _member_formset(request, family, data=None):
    rows = [m for m in family.members.all()]
    initial = [{"person": m.person_id, "moves": True, "kazakh": "none", "russian": "none"} for m in rows]
    formset = forms.MemberFormSet(data, initial=initial, prefix="m", form_kwargs=forms.member_choices())
    for form, member in zip(formset.forms, rows, strict=False):
        form.member = member
    return formset


def application_submit(request):
    """Step 1: find the family in the registry. Step 2: the application, with each member's education,
    occupation, experience and languages."""
    require(request.user, Perm.KANDAS_PROCESS)
    family_id = request.GET.get("family") or request.POST.get("family")
    if not family_id:
        search = forms.FamilySearchForm(request.GET or None)
        q = search.cleaned_data["q"] if search.is_valid() else ""
        families = list(selectors.families_for_application(user=request.user, q=q)[:25]) if q else []
        persons_read(request, [m.person_id for f in families for m in f.members.all()])
        return render(request, "kandas/application_family.html", {"form": search, "families": families, "q": q})
    if not str(family_id).isdigit():
        raise Http404
    family = selectors.family_for_application(user=request.user, pk=int(family_id))
    version = policy_in_force(kind=RULES_KIND, on=timezone.localdate())
    if version is None:
        messages.error(request, _("No kandas rules are in force today: applications cannot be taken."))
        return redirect("kandas:application_list")
    rules = rules_from(version.parameters)
    data = request.POST if request.method == "POST" else None
    regions = list(request.user.regions.values_list("code", flat=True)[:2])
    initial = {"applied_at": timezone.localtime().replace(second=0, microsecond=0), "channel": "in_person",
               "region": regions[0] if len(regions) == 1 else ""}
    form = forms.SubmitForm(data, user=request.user, rules=rules, initial=initial)
    formset = _member_formset(request, family, data)
    problems: list[str] = []
    if data is not None and form.is_valid() and formset.is_valid():
        # The head always moves: the application is the head's family's.
        moving = [(i, f) for i, f in enumerate(formset.forms)
                  if f.cleaned_data.get("moves") or f.member.relation == "head"]
        members = [f.values() | {"relation": f.member.relation} for _i, f in moving]
        try:
            application = services.kandas_application_submit(
                family=family, region=region_by_code(code) if (code := form.cleaned_data["region"]) else None,
                channel=form.cleaned_data["channel"], applied_at=form.cleaned_data["applied_at"], members=members,
                checklist=dict.fromkeys(form.cleaned_data["checklist"], True),
                priority=form.cleaned_data["priority"], language=form.cleaned_data["language"], by=request.user,
            )
        except ValidationError as exc:
            errors = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
            problems = formset.apply_errors(errors, {n: i for n, (i, _f) in enumerate(moving)})
            apply_errors(form, ValidationError({k: v for k, v in errors.items() if not k.startswith("members")}))
        else:
            messages.success(request, _("The application %(number)s is registered.") % {"number": application.number})
            return redirect("kandas:application_detail", pk=application.pk)
    persons_read(request, [m.person_id for m in family.members.all()])  # the form names each member
    context = {"family": family, "form": form, "formset": formset, "problems": problems, "rules_version": version}
    return render(request, "kandas/application_form.html", context)


def _step(request, pk: int, *, title, form_class, run, success: str, **form_kwargs):
    """One step of the procedure on its own page: the form, the service, back to the application."""
    application = selectors.application_for_update(user=request.user, pk=pk)
    version = services.rules_version_of(application)
    if version is None:
        raise Http404
    rules = rules_from(version.parameters)
    form = form_class(request.POST or None, **{k: (rules if v == "rules" else v(application, rules))
                                               for k, v in form_kwargs.items()})
    if request.method == "POST" and form.is_valid():
        try:
            run(application, form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, success)
            return redirect("kandas:application_detail", pk=application.pk)
    persons_read(request, [application.head_id])  # the step's page names the head of the family
    return render(request, "kandas/application_step.html", {"application": application, "form": form, "title": title})


def application_check(request, pk: int):
    return _step(
        request, pk, title=_("Completeness check"), form_class=forms.CheckForm, rules="rules",
        success=_("The completeness check is recorded."),
        run=lambda a, d: services.kandas_check_file(application=a, complete=d["complete"], missing=d["missing"],
                                                    note=d["note"], by=request.user),
    )


def application_resubmit(request, pk: int):
    return _step(
        request, pk, title=_("File handed in again"), form_class=forms.ResubmitForm, rules="rules",
        missing=lambda a, rules: [code for code in rules.document_codes if not a.checklist.get(code)],
        success=_("The file is handed in again; its check is due anew."),
        run=lambda a, d: services.kandas_resubmit(application=a, received=d["received"], by=request.user),
    )


def application_commission(request, pk: int):
    return _step(
        request, pk, title=_("Commission's recommendation"), form_class=forms.CommissionForm,
        success=_("The commission's recommendation is recorded."),
        run=lambda a, d: services.kandas_commission(application=a, recommend=d["recommend"], reasons=d["reasons"],
                                                    by=request.user),
    )


def application_withdraw(request, pk: int):
    return _step(
        request, pk, title=_("Withdraw the application"), form_class=forms.WithdrawForm,
        success=_("The application is withdrawn."),
        run=lambda a, d: services.kandas_withdraw(application=a, reason=d["reason"], by=request.user),
    )


# --- Quota plans -------------------------------------------------------------------------------------------

@require_GET
def quota_list(request):
    plans = selectors.quota_plans(user=request.user)
    return render(request, "kandas/quota_list.html", {"plans": plans})


@require_GET
def quota_detail(request, year: int, category: str):
    """A year's plan with its utilisation per region as bars: granted, pending, free."""
    require(request.user, Perm.KANDAS_VIEW)
    if category not in QuotaCategory.values:
        raise Http404
    use = selectors.quota_utilisation(year=year, category=category, user=request.user)
    if use is None:
        raise Http404
    # The designated regions of the rules in force during the plan's year (today, or the year's last day).
    on = min(max(timezone.localdate(), date(year, 1, 1)), date(year, 12, 31))
    version = policy_in_force(kind=RULES_KIND, on=on)
    rules = rules_from(version.parameters) if version else None
    designated = []
    if rules is not None:
        designated = rules.settler_regions if category == QuotaCategory.SETTLERS else rules.resettlement_regions
    context = {
        "use": use, "plan": use.plan, "rules_version": version,
        "designated": Region.objects.filter(code__in=designated).prefetch_related("names").order_by("code"),
        "applications_url": reverse("kandas:application_list") + f"?year={year}",
    }
    return render(request, "kandas/quota_detail.html", context)


urlpatterns = [
    path("", application_list, name="application_list"),
    path("export.xlsx", application_export, name="application_export"),
    path("new/", application_submit, name="application_submit"),
    path("<int:pk>/", application_detail, name="application_detail"),
    path("<int:pk>/check/", application_check, name="application_check"),
    path("<int:pk>/resubmit/", application_resubmit, name="application_resubmit"),
    path("<int:pk>/commission/", application_commission, name="application_commission"),
    path("<int:pk>/withdraw/", application_withdraw, name="application_withdraw"),
    path("quotas/", quota_list, name="quota_list"),
    path("quotas/<int:year>/<slug:category>/", quota_detail, name="quota_detail"),
]
