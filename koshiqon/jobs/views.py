"""Pages of long jobs: the list, one job with its progress bar (refreshed by htmx while it runs), and the
upload page that starts an import of persons."""

from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from koshiqon.core.audit import persons_read
from koshiqon.core.domain.permissions import Perm, is_national
from koshiqon.core.permissions import can, require
from koshiqon.jobs import selectors, services
from koshiqon.jobs.forms import PersonImportForm
from koshiqon.jobs.kinds import JOB_KINDS, job_kind_label
from koshiqon.jobs.models import JobStatus


def _job_context(request, job) -> dict:
    """A job's result (an import's rows, with the persons they may duplicate) is shown only to a user who holds
    the right its kind needs; others who may follow every job (an administrator) see its progress only.

    A result that names registered persons lists their ids under `named_persons`; showing it is a read of each
    of them, logged here, when the user sees them (the job itself ran in transactions rolled back)."""
    spec = JOB_KINDS.get(job.kind)
    result_template = spec.result_template if spec and can(request.user, spec.perm) else ""
    if result_template and job.status == JobStatus.SUCCEEDED:
        persons_read(request, (job.result or {}).get("named_persons") or [])
    return {"job": job, "kind_label": job_kind_label(job.kind), "result_template": result_template}


@require_GET
def job_list(request):
    jobs = selectors.job_list(user=request.user)
    page = Paginator(jobs, 25).get_page(request.GET.get("page"))
    return render(request, "jobs/job_list.html", {
        "page": page,
        "rows": [(job, job_kind_label(job.kind)) for job in page.object_list],
        "sees_all": is_national(request.user.role),
        "can_import": can(request.user, Perm.PEOPLE_IMPORT),
    })


@require_GET
def job_detail(request, pk: int):
    job = services.job_reconcile(selectors.job_get(user=request.user, pk=pk))
    return render(request, "jobs/job_detail.html", _job_context(request, job))


@require_GET
def job_progress(request, pk: int):
    """The part of the job page that changes while it runs; htmx asks for it every second until it ends."""
    job = services.job_reconcile(selectors.job_get(user=request.user, pk=pk))
    return render(request, "jobs/_progress.html", _job_context(request, job))


@require_http_methods(["GET", "POST"])
def person_import(request):
    require(request.user, Perm.JOBS_VIEW)
    require(request.user, Perm.PEOPLE_IMPORT)
    form = PersonImportForm(request.POST, request.FILES) if request.method == "POST" else PersonImportForm()
    if form.is_bound and form.is_valid():
        job = services.job_start(
            kind="people.import_csv",
            title=_("Import of persons from %(file)s") % {"file": request.FILES["file"].name},
            by=request.user,
            text=form.cleaned_data["file"],
        )
        return redirect("jobs:job_detail", pk=job.pk)
    return render(request, "jobs/person_import.html", {"form": form})
