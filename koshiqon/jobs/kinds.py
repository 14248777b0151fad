"""The kinds of long job, what runs each, and who may start it.

A handler is a module-level function `handler(*, by, progress, **params) -> dict`: `by` is the user who
started the job, `progress(done, total, message)` reports how far it got, the params are those given to
`job_start` (JSON values only: they travel through the task queue), and the returned dict, also JSON, is
kept as the job's result. Handlers are named by dotted path so that this module imports no other app.
"""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _

from koshiqon.core.domain.permissions import Perm


@dataclass(frozen=True)
class JobKind:
    handler: str
    perm: Perm
    label: str | Promise
    # The template that shows a finished job's result; "" shows its summary only.
    result_template: str = ""


JOB_KINDS: dict[str, JobKind] = {
    "people.import_csv": JobKind(
        "koshiqon.people.imports.person_import_job", Perm.PEOPLE_IMPORT, _("Import of persons"),
        "jobs/results/person_import.html",
    ),
    "kandas.selection": JobKind(
        "koshiqon.kandas.services.selection.selection_run_job", Perm.KANDAS_SELECT,
        _("Selection of the kandas quota"), "kandas/job_selection_result.html",
    ),
    "kandas.approval": JobKind(
        "koshiqon.kandas.services.selection.selection_run_approval_job", Perm.KANDAS_APPROVE,
        _("Approval of a kandas selection"), "kandas/job_approval_result.html",
    ),
    "labour.exchange_import": JobKind(
        "koshiqon.labour.services.imports.exchange_import_job", Perm.LABOUR_EXCHANGE,
        _("Import into the labour exchange"), "labour/exchange_import_result.html",
    ),
    "adaptation.import_outcomes": JobKind(
        "koshiqon.adaptation.services.imports.outcomes_import_job", Perm.ADAPTATION_CHANGE,
        _("Import of adaptation outcomes"), "adaptation/job_outcomes_import_result.html",
    ),
    "placement.history_import": JobKind(
        "koshiqon.placement.tasks.history_import_job", Perm.PLACEMENT_RUN, _("Import of past arrivals"),
        "placement/job_history_import_result.html",
    ),
    "placement.train": JobKind(
        "koshiqon.placement.tasks.train_job", Perm.PLACEMENT_RUN, _("Training of the placement outcome model"),
        "placement/job_train_result.html",
    ),
    "placement.solve": JobKind(
        "koshiqon.placement.tasks.batch_solve_job", Perm.PLACEMENT_RUN, _("Placement of a batch of families"),
        "placement/job_solve_result.html",
    ),
}


def job_kind(kind: str) -> JobKind:
    try:
        return JOB_KINDS[kind]
    except KeyError:
        raise ValueError(f"unknown job kind {kind!r}") from None


def job_handler(kind: str):
    return import_string(job_kind(kind).handler)


def job_kind_label(kind: str) -> str:
    spec = JOB_KINDS.get(kind)
    return str(spec.label) if spec else kind
