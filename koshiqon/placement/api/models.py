"""`/api/v1/placement/`: trained outcome models with their cards, their training, and the training history.

Thin: each operation calls the same selectors and services as the pages, so rights (training and the choice
of the model in use need `placement.run`: 403 for anyone else), validation and audit are the same by
construction. Cards and the history are aggregates, not personal data."""

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from ninja import File, Path, Query, Router, Status
from ninja.files import UploadedFile

from koshiqon.core.api import ID_MAX, PageParams, paginate, responses
from koshiqon.core.domain.permissions import Perm
from koshiqon.core.permissions import require
from koshiqon.core.tables import too_large
from koshiqon.jobs.selectors import job_get
from koshiqon.placement.api.schemas import (
    HistoryOut,
    JobOut,
    ModelDetailOut,
    ModelOut,
    ModelPage,
    ReasonIn,
    RefreshOut,
    TrainIn,
)
from koshiqon.placement.selectors.history import history_summary
from koshiqon.placement.selectors.models import model_get, model_list
from koshiqon.placement.services.history import (
    IMPORT_JOB,
    placement_history_import_start,
    placement_history_refresh,
)
from koshiqon.placement.services.history_format import MAX_BYTES
from koshiqon.placement.services.training import JOB_KIND, model_activate, model_train_start

router = Router()
TAGS = ["placement models"]
MODEL_ID = Path(..., ge=1, le=ID_MAX, description="The model's id.")
JOB_ID = Path(..., ge=1, le=ID_MAX, description="The job's id.")
FILE = File(..., description="A CSV (UTF-8 or Windows-1251) or XLSX file of past arrivals, one row per member "
                             "(docs/placement-history-import-format.md).")


@router.get("/models", response=responses({200: ModelPage}, 403, 422), operation_id="placement_model_list",
            summary="Trained outcome models, newest first", tags=TAGS)
def models(request: HttpRequest, page: Query[PageParams]):
    return paginate(model_list(user=request.auth), page)


@router.get("/models/{model_id}", response=responses({200: ModelDetailOut}, 403, 404, 422),
            operation_id="placement_model_get", summary="A model with its card and backtest", tags=TAGS)
def model(request: HttpRequest, model_id: int = MODEL_ID):
    return model_get(user=request.auth, pk=model_id)


@router.post("/models", response=responses({202: JobOut}, 400, 403, 422), operation_id="placement_model_train",
             summary="Train a model on the history, as a long job", tags=TAGS)
def train(request: HttpRequest, payload: TrainIn):
    """The new model is put in use when the job ends; follow the job at `/placement/jobs/{job_id}`. 422 when
    the history is empty."""
    require(request.auth, Perm.PLACEMENT_RUN)
    return Status(202, model_train_start(by=request.auth, kind=payload.kind, seed=payload.seed))


@router.post("/models/{model_id}/activate", response=responses({200: ModelOut}, 400, 403, 404, 422),
             operation_id="placement_model_activate", summary="Put a model in use, with the reason", tags=TAGS)
def activate(request: HttpRequest, payload: ReasonIn, model_id: int = MODEL_ID):
    require(request.auth, Perm.PLACEMENT_RUN)
    return model_activate(model=model_get(user=request.auth, pk=model_id), by=request.auth, reason=payload.reason)


@router.get("/jobs/{job_id}", response=responses({200: JobOut}, 403, 404, 422), operation_id="placement_job_get",
            summary="A placement job's progress and, when finished, its result", tags=TAGS)
def job(request: HttpRequest, job_id: int = JOB_ID):
    """Training, solving a batch, or importing history; other kinds of job answer 404."""
    require(request.auth, Perm.PLACEMENT_VIEW)
    found = job_get(user=request.auth, pk=job_id)
    if found.kind not in (JOB_KIND, IMPORT_JOB, "placement.solve"):
        raise Http404
    return found


@router.get("/history", response=responses({200: HistoryOut}, 403), operation_id="placement_history_get",
            summary="What the training history holds", tags=TAGS)
def history(request: HttpRequest):
    summary = history_summary(user=request.auth)
    return {"families": summary.families, "first_year": summary.first_year, "last_year": summary.last_year,
            "by_source": summary.by_source, "by_year": [{"year": y, "families": n} for y, n in summary.by_year]}


@router.post("/history/imports", response=responses({202: JobOut}, 400, 403, 422),
             operation_id="placement_history_import", summary="Import past arrivals from a file, as a long job",
             tags=TAGS)
def history_import(request: HttpRequest, file: UploadedFile = FILE):
    """All families or none: the job's result lists every bad row with its line, column and reason."""
    require(request.auth, Perm.PLACEMENT_RUN)
    if file.size > MAX_BYTES:
        raise ValidationError({"file": [too_large(MAX_BYTES)]})
    job = placement_history_import_start(data=file.read(), filename=(file.name or "upload")[:200], by=request.auth)
    return Status(202, job)


@router.post("/history/refresh", response=responses({200: RefreshOut}, 403), operation_id="placement_history_refresh",
             summary="Add this system's families with recorded outcomes to the history", tags=TAGS)
def history_refresh(request: HttpRequest):
    require(request.auth, Perm.PLACEMENT_RUN)
    return placement_history_refresh(by=request.auth)
