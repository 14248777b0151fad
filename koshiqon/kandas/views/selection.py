"""Pages of the selection: runs (start, follow, review, approve), decisions and their letters, the public
verification of a letter, appeals, and the what-if page. They call the same services and selectors as the
API; a page only shows the outcome."""

from io import BytesIO

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from openpyxl import Workbook

from koshiqon.core.audit import access_record, access_record_many, persons_read
from koshiqon.core.domain.permissions import Perm
from koshiqon.core.permissions import can, require
from koshiqon.kandas import letters
from koshiqon.kandas.domain.policy import grid_from
from koshiqon.kandas.domain.status import APPEALABLE, AppStatus
from koshiqon.kandas.models import STATUS_LABELS, Decision, RunStatus
from koshiqon.kandas.selectors import selection as selectors
from koshiqon.kandas.services import selection as services
from koshiqon.kandas.views import whatif
from koshiqon.kandas.views.applications import XLSX
from koshiqon.kandas.views.selection_forms import AppealDecisionForm, AppealForm, ReasonForm, RunStartForm
from koshiqon.people.forms import apply_errors

RESULTS_PER_PAGE = 50
REASON_LABELS = letters.REASON_LABELS


def _status_label(status: str) -> str:
    try:
        return str(STATUS_LABELS[AppStatus(status)])
    except ValueError:
        return status


@require_GET
def run_list(request):
    runs = selectors.run_list(user=request.user)
    page = Paginator(runs, 25).get_page(request.GET.get("page"))
    can_start = can(request.user, Perm.KANDAS_SELECT)
    return render(request, "kandas/run_list.html", {
        "page": page, "can_start": can_start, "form": RunStartForm() if can_start else None,
    })


@require_POST
def run_start(request):
    require(request.user, Perm.KANDAS_SELECT)
    form = RunStartForm(request.POST)
    if form.is_valid():
        try:
            run = services.selection_run_start(year=form.cleaned_data["year"], by=request.user)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            return redirect("jobs:job_detail", pk=run.job_id)
    page = Paginator(selectors.run_list(user=request.user), 25).get_page(1)
    return render(request, "kandas/run_list.html", {"page": page, "can_start": True, "form": form}, status=422)


def _labels(run) -> dict[str, str]:
    lang = get_language()
    return {c.field: c.name((lang or "kk")[:2]) for c in grid_from(run.grid_version.parameters).criteria}


def _region_rows(run, rows: list[dict]) -> list[dict]:
    unit_persons = run.plan.unit == "persons"
    for row in rows:
        used = row["persons"] if unit_persons else row["included"]
        row["used"] = used
        row["bar"] = min(100, round(100 * used / row["quota"])) if row["quota"] else 0
    return rows


@require_GET
def run_detail(request, pk: int):
    run = selectors.run_get(user=request.user, pk=pk)
    region, decision = request.GET.get("region", ""), request.GET.get("decision", "")
    results = selectors.run_results(user=request.user, run=run, region=region, decision=decision)
    page = Paginator(results, RESULTS_PER_PAGE).get_page(request.GET.get("page"))
    persons_read(request, [r.application.head_id for r in page.object_list])  # the list names each head
    labels = _labels(run)
    rows = [
        {"result": r, "parts": [(labels.get(f, f), p) for f, p in r.breakdown.items() if not f.startswith("_")],
         "problem": REASON_LABELS.get(r.breakdown.get("_problem", ""))}
        for r in page.object_list
    ]
    can_approve = can(request.user, Perm.KANDAS_APPROVE) and run.status == RunStatus.PROPOSED
    stuck = run.status == RunStatus.RUNNING and run.job is not None and run.job.status == "failed"
    can_discard = can(request.user, Perm.KANDAS_SELECT) and (run.status in (RunStatus.PROPOSED, RunStatus.FAILED)
                                                             or stuck)
    return render(request, "kandas/run_detail.html", {
        "run": run, "job": run.job, "regions": _region_rows(run, selectors.run_counts(user=request.user, run=run)),
        "page": page, "rows": rows, "region": region, "decision": decision, "decisions": Decision.choices,
        "can_approve": can_approve, "can_discard": can_discard,
        "approve_form": ReasonForm(prefix="approve") if can_approve else None,
        "discard_form": ReasonForm(prefix="discard") if can_discard else None,
        "approved": run.status == RunStatus.APPROVED,
    })


@require_GET
def run_export(request, pk: int):
    """The ranked list as filtered, as an XLSX workbook; each head of family named in it is a logged read."""
    run = selectors.run_get(user=request.user, pk=pk)
    results = selectors.run_results(user=request.user, run=run, region=request.GET.get("region", ""),
                                    decision=request.GET.get("decision", ""))
    book = Workbook(write_only=True)
    sheet = book.create_sheet(_("Ranked list"))
    sheet.append([_("Rank"), _("Number"), _("Head of family"), _("Region"), _("Persons"), _("Score"), _("Decision")])
    decisions, heads = dict(Decision.choices), []
    for r in results.iterator(chunk_size=2000):
        heads.append(r.application.head_id)
        sheet.append([r.rank, r.application.number, r.application.head.full_name, r.application.region.name,
                      r.size, float(r.score), str(decisions.get(r.decision, r.decision))])
    access_record_many(user=request.user, object_type="people.person", object_ids=heads, channel="export",
                       path=request.get_full_path())
    buffer = BytesIO()
    book.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="kandas-selection-{run.year}-{run.pk}.xlsx"'
    return response


def _run_action(request, pk: int, action, prefix: str, done: str):
    run = selectors.run_get(user=request.user, pk=pk)
    form = ReasonForm(request.POST, prefix=prefix)
    if form.is_valid():
        try:
            action(run=run, by=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, done)
    else:
        messages.error(request, _("Give a reason."))
    return redirect("kandas:run_detail", pk=run.pk)


@require_POST
def run_approve(request, pk: int):
    require(request.user, Perm.KANDAS_APPROVE)
    return _run_action(request, pk, services.selection_run_approve_start, "approve",
                       _("The approval has started: the decisions go out when it ends."))


@require_POST
def run_discard(request, pk: int):
    require(request.user, Perm.KANDAS_SELECT)
    return _run_action(request, pk, services.selection_run_discard, "discard", _("The selection is discarded."))


def _decision_context(request, app) -> dict:
    lang = (get_language() or "kk")[:2]
    breakdown = app.breakdown or {}
    labels = breakdown.get("labels") or {}
    return {
        "application": app, "status_label": _status_label(app.status),
        "points": [((labels.get(f) or {}).get(lang, f), p) for f, p in (breakdown.get("points") or {}).items()],
        "explanation": (breakdown.get("explanation") or {}).get(lang, []),
        "reasons": letters.reason_texts(app.decision_reasons),
        "support": app.support or {}, "support_on": letters.support_date(app), "has_letter": letters.has_letter(app),
        "languages": [(code, name) for code, name in settings.LANGUAGES if code in letters.LETTER_LANGUAGES],
        "appeals": app.appeals.order_by("-filed_on"),
        "can_appeal": can(request.user, Perm.KANDAS_PROCESS) and app.status in APPEALABLE,
        "can_grant": can(request.user, Perm.KANDAS_PROCESS) and app.status == AppStatus.INCLUDED,
    }


@require_GET
def decision_detail(request, pk: int):
    app = selectors.decision_read(user=request.user, pk=pk, channel="page", path=request.path)
    return render(request, "kandas/decision_detail.html", _decision_context(request, app))


def verify_url(request, code: str) -> str:
    return request.build_absolute_uri(reverse("kandas:verify", args=[code]))


@require_GET
def letter(request, pk: int):
    app = selectors.decided_application_get(user=request.user, pk=pk)
    if not letters.has_letter(app):
        raise Http404
    access_record(user=request.user, obj=app.head, channel="page", path=request.path)  # the letter names the family
    language = letters.letter_language(request.GET.get("lang") or app.language)
    try:
        pdf = letters.decision_letter_pdf(application=app, verify_url=verify_url(request, app.verification_code),
                                          language=language)
    except letters.LetterUnavailable:
        return render(request, "kandas/letter_unavailable.html", {"application": app}, status=503)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{letters.letter_filename(app, language)}"'
    return response


@require_POST
def grant_status(request, pk: int):
    require(request.user, Perm.KANDAS_PROCESS)  # 403 for a role without the right, before any lookup
    app = selectors.decided_application_get(user=request.user, pk=pk)
    try:
        services.kandas_grant_status(application=app, by=request.user)
    except (ValidationError, ValueError) as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("The kandas status certificate is recorded as issued."))
    return redirect("kandas:decision_detail", pk=app.pk)


@login_not_required
@require_GET
def verify(request, code: str):
    """Public: what a letter's QR code opens. Shows the decision, never the family's personal data."""
    found = selectors.verification_get(code=code)
    response = render(request, "kandas/verify.html", {"v": found, "status_label": _status_label(found.status)})
    response["X-Robots-Tag"] = "noindex"
    return response


@require_GET
def appeal_list(request):
    outcome = request.GET.get("outcome", "")
    appeals = selectors.appeal_list(user=request.user, outcome=outcome if outcome in
                                    ("pending", "upheld", "dismissed") else "")
    page = Paginator(appeals, 25).get_page(request.GET.get("page"))
    persons_read(request, [a.application.head_id for a in page.object_list])  # the list names each head
    return render(request, "kandas/appeal_list.html",
                  {"page": page, "outcome": outcome, "today": timezone.localdate()})


@require_http_methods(["GET", "POST"])
def appeal_create(request, pk: int):
    require(request.user, Perm.KANDAS_PROCESS)
    app = selectors.decided_application_get(user=request.user, pk=pk)
    form = AppealForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            appeal = services.appeal_file(application=app, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The appeal is registered."))
            return redirect("kandas:appeal_detail", pk=appeal.pk)
    persons_read(request, [app.head_id])  # the form names the head of the family
    return render(request, "kandas/appeal_form.html", {"form": form, "application": app,
                                                        "status_label": _status_label(app.status)})


@require_http_methods(["GET", "POST"])
def appeal_detail(request, pk: int):
    appeal = selectors.appeal_get(user=request.user, pk=pk)
    can_decide = can(request.user, Perm.KANDAS_PROCESS) and appeal.outcome == "pending"
    form = AppealDecisionForm(request.POST or None) if can_decide else None
    if request.method == "POST":
        require(request.user, Perm.KANDAS_PROCESS)
        if form is not None and form.is_valid():
            try:
                services.appeal_decide(appeal=appeal, by=request.user, **form.cleaned_data)
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("The appeal is decided."))
                return redirect("kandas:appeal_detail", pk=appeal.pk)
    return render(request, "kandas/appeal_detail.html", {
        "appeal": appeal, "form": form, "status_label": _status_label(appeal.application.status),
    })


urlpatterns = [
    path("runs/", run_list, name="run_list"),
    path("runs/start/", run_start, name="run_start"),
    path("runs/<int:pk>/", run_detail, name="run_detail"),
    path("runs/<int:pk>/export.xlsx", run_export, name="run_export"),
    path("runs/<int:pk>/approve/", run_approve, name="run_approve"),
    path("runs/<int:pk>/discard/", run_discard, name="run_discard"),
    path("applications/<int:pk>/decision/", decision_detail, name="decision_detail"),
    path("applications/<int:pk>/letter/", letter, name="letter"),
    path("applications/<int:pk>/grant-status/", grant_status, name="grant_status"),
    path("applications/<int:pk>/appeal/", appeal_create, name="appeal_create"),
    path("appeals/", appeal_list, name="appeal_list"),
    path("appeals/<int:pk>/", appeal_detail, name="appeal_detail"),
    path("verify/<str:code>/", verify, name="verify"),
    path("what-if/", whatif.whatif_page, name="whatif"),
]
