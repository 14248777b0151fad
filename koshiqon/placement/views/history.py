"""The training history page: what the history holds (sources, years), the import of an archive file (a long
job whose page shows the progress and every bad row), and the refresh from this system's own outcomes."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from koshiqon.core.domain.permissions import Perm
from koshiqon.core.permissions import can, require
from koshiqon.people.forms import apply_errors
from koshiqon.placement.models import HistorySource
from koshiqon.placement.selectors.history import history_summary
from koshiqon.placement.services.history import placement_history_import_start, placement_history_refresh
from koshiqon.placement.views.forms import HistoryImportForm


def _page(request, form, status=200):
    summary = history_summary(user=request.user)
    can_run = can(request.user, Perm.PLACEMENT_RUN)
    return render(request, "placement/history.html", {
        "history": summary, "sources": [(label, summary.by_source.get(value, 0))
                                        for value, label in HistorySource.choices],
        "can_run": can_run, "form": form if can_run else None,
    }, status=status)


@require_GET
def history(request):
    return _page(request, HistoryImportForm())


@require_POST
def history_import(request):
    require(request.user, Perm.PLACEMENT_RUN)
    form = HistoryImportForm(request.POST, request.FILES)
    if form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            job = placement_history_import_start(data=upload.read(), filename=upload.name, by=request.user)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            return redirect("jobs:job_detail", pk=job.pk)
    return _page(request, form, status=422)


@require_POST
def history_refresh(request):
    counts = placement_history_refresh(by=request.user)
    messages.success(request, _("The history of this system is up to date: %(created)s families added, "
                                "%(updated)s brought up to date.") % counts)
    return redirect("placement:history")


urlpatterns = [
    path("history/", history, name="history"),
    path("history/import/", history_import, name="history_import"),
    path("history/refresh/", history_refresh, name="history_refresh"),
]
