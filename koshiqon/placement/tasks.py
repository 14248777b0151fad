"""The long jobs of placement (registered in koshiqon.jobs.kinds): importing an archive of past arrivals,
training the outcome model, and solving a batch. Each is a handler `(*, by, progress, **params) -> dict`
that calls the service doing the work; the dict is the job's result, shown by the job's page with the
result template of its kind."""

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from koshiqon.jobs.services import file_from_param
from koshiqon.placement.services.history import Progress, placement_history_import
from koshiqon.placement.services.solve import batch_solve_job
from koshiqon.placement.services.training import model_train

__all__ = ["batch_solve_job", "history_import_job", "train_job"]


def history_import_job(*, by, progress: Progress, content: str, filename: str = "") -> dict[str, Any]:
    """`content` is the file, base64-encoded so that it travels through the task queue as JSON."""
    report = placement_history_import(data=file_from_param(content), by=by, filename=filename, progress=progress)
    if report.saved:
        summary = _("Saved: %(created)s new families, %(replaced)s replaced.") % {
            "created": report.created, "replaced": report.replaced}
    else:
        summary = ngettext("Nothing was saved: %(count)s problem was found in the file.",
                           "Nothing was saved: %(count)s problems were found in the file.",
                           len(report.errors)) % {"count": len(report.errors)}
    return {"rows": report.rows, "families": report.families, "created": report.created,
            "replaced": report.replaced, "saved": report.saved, "errors": [list(e) for e in report.errors],
            "summary": summary}


def train_job(*, by, progress: Progress, model_kind: str = "auto", seed: int = 0) -> dict[str, Any]:
    model = model_train(by=by, progress=progress, kind=model_kind, seed=seed,
                        job_id=getattr(progress, "job_id", None))
    auc = model.auc
    summary = _("Model No. %(id)s is trained and in use: AUC %(auc)s on %(families)s held-out families.") % {
        "id": model.pk, "auc": f"{auc:.3f}" if auc is not None else "—",
        "families": model.card.get("test_families", 0)}
    return {"model": model.pk, "auc": auc, "families": model.families, "summary": summary}
