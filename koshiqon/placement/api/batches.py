"""`/api/v1/placement/batches`: batches of families, their proposal, the officers' overrides and the approval.

Thin: the same selectors and services as the pages. Batches are national; the families of a batch are
personal data scoped like the pages: a regional officer gets only the families whose preferred, proposed or
chosen region is one of theirs (404 for any other). The API gives application ids and numbers, never names.
Errors: 403 without the right (making, solving, overriding need `placement.run`, approving
`placement.approve`), 404 outside the user's scope, 422 with the fields for a refused override (a region
without the needed services or without room, no reason) or a batch in the wrong status."""

from django.http import HttpRequest
from ninja import Path, Query, Router, Status

from koshiqon.core.api import ID_MAX, PageParams, paginate, responses
from koshiqon.core.domain.permissions import Perm
from koshiqon.core.permissions import require
from koshiqon.placement.api.schemas import (
    ApproveIn,
    BatchFilters,
    BatchIn,
    BatchOut,
    BatchPage,
    FamilyFilters,
    FamilyOut,
    FamilyPage,
    NeedsIn,
    OverrideIn,
    ReasonIn,
)
from koshiqon.placement.selectors import batches as selectors
from koshiqon.placement.services import batches as services
from koshiqon.placement.services.solve import batch_solve_start

router = Router()
TAGS = ["placement batches"]
BATCH_ID = Path(..., ge=1, le=ID_MAX, description="The batch's id.")
FAMILY_ID = Path(..., ge=1, le=ID_MAX, description="The family's id in the batch (not the application's).")


def _family(request, batch_id: int, family_id: int, *, perm: Perm | None = None):
    batch = (selectors.batch_for_run(user=request.auth, pk=batch_id) if perm == Perm.PLACEMENT_RUN
             else selectors.batch_get(user=request.auth, pk=batch_id))
    return selectors.batch_family_get(user=request.auth, batch=batch, pk=family_id)


@router.get("/batches", response=responses({200: BatchPage}, 403, 422), operation_id="placement_batch_list",
            summary="Batches, newest first", tags=TAGS)
def batch_list(request: HttpRequest, filters: Query[BatchFilters], page: Query[PageParams]):
    return paginate(selectors.batch_list(user=request.auth, year=filters.year, status=filters.status or ""), page)


@router.post("/batches", response=responses({201: BatchOut}, 400, 403, 422), operation_id="placement_batch_create",
             summary="Make a batch of the year's admitted families not yet placed", tags=TAGS)
def batch_create(request: HttpRequest, payload: BatchIn):
    require(request.auth, Perm.PLACEMENT_RUN)
    batch = services.batch_create(by=request.auth, **payload.dict())
    return Status(201, selectors.batch_get(user=request.auth, pk=batch.pk))


@router.get("/batches/{batch_id}", response=responses({200: BatchOut}, 403, 404, 422),
            operation_id="placement_batch_get", summary="A batch with its room per region and its summary", tags=TAGS)
def batch_get(request: HttpRequest, batch_id: int = BATCH_ID):
    return selectors.batch_get(user=request.auth, pk=batch_id)


@router.get("/batches/{batch_id}/families", response=responses({200: FamilyPage}, 403, 404, 422),
            operation_id="placement_batch_families", summary="The batch's families you may see", tags=TAGS)
def batch_families(request: HttpRequest, filters: Query[FamilyFilters], page: Query[PageParams],
                   batch_id: int = BATCH_ID):
    batch = selectors.batch_get(user=request.auth, pk=batch_id)
    qs = selectors.batch_families(user=request.auth, batch=batch, filters={
        "region": filters.region, "placed": filters.placed, "overridden": filters.overridden})
    return paginate(qs, page)


@router.get("/batches/{batch_id}/families/{family_id}", response=responses({200: FamilyOut}, 403, 404, 422),
            operation_id="placement_batch_family_get", summary="One family of a batch", tags=TAGS)
def family_get(request: HttpRequest, batch_id: int = BATCH_ID, family_id: int = FAMILY_ID):
    return _family(request, batch_id, family_id)


@router.put("/batches/{batch_id}/families/{family_id}/needs", response=responses({200: FamilyOut}, 400, 403, 404, 422),
            operation_id="placement_batch_family_needs", summary="Set the services a family needs", tags=TAGS)
def family_needs(request: HttpRequest, payload: NeedsIn, batch_id: int = BATCH_ID, family_id: int = FAMILY_ID):
    """On a proposed batch the batch goes back to draft and must be solved again."""
    family = _family(request, batch_id, family_id, perm=Perm.PLACEMENT_RUN)
    services.batch_family_needs_set(family=family, needs=payload.needs, by=request.auth)
    return _family(request, batch_id, family_id)


@router.post("/batches/{batch_id}/solve", response=responses({202: BatchOut}, 400, 403, 404, 422),
             operation_id="placement_batch_solve", summary="Solve the batch, as a long job", tags=TAGS)
def batch_solve(request: HttpRequest, batch_id: int = BATCH_ID):
    """Follow the job at `/placement/jobs/{job_id}`; the batch is then `proposed`. 422 when no model is in
    use or the batch cannot be solved in its status."""
    batch = selectors.batch_for_run(user=request.auth, pk=batch_id)
    batch_solve_start(batch=batch, by=request.auth)
    return Status(202, selectors.batch_get(user=request.auth, pk=batch_id))


@router.post("/batches/{batch_id}/families/{family_id}/override",
             response=responses({200: FamilyOut}, 400, 403, 404, 422), operation_id="placement_batch_family_override",
             summary="Send a family to another region than proposed, with the reason", tags=TAGS)
def family_override(request: HttpRequest, payload: OverrideIn, batch_id: int = BATCH_ID,
                    family_id: int = FAMILY_ID):
    """422 `region` when no centre there gives a service the family needs, when the region has no room left or
    has no quota; 422 `reason` without a reason. Audited with the region before and after."""
    family = _family(request, batch_id, family_id, perm=Perm.PLACEMENT_RUN)
    services.batch_family_override(family=family, region=payload.region, reason=payload.reason, by=request.auth)
    return _family(request, batch_id, family_id)


@router.post("/batches/{batch_id}/approve", response=responses({200: BatchOut}, 400, 403, 404, 422),
             operation_id="placement_batch_approve", summary="Approve a proposed batch", tags=TAGS)
def batch_approve(request: HttpRequest, payload: ApproveIn, batch_id: int = BATCH_ID):
    """Fixes each family's region and opens its adaptation plan; `summary.approved.plans` lists the plans
    that could not be opened, with the reason."""
    batch = selectors.batch_for_approve(user=request.auth, pk=batch_id)
    services.batch_approve(batch=batch, by=request.auth, reason=payload.reason)
    return selectors.batch_get(user=request.auth, pk=batch_id)


@router.post("/batches/{batch_id}/discard", response=responses({200: BatchOut}, 400, 403, 404, 422),
             operation_id="placement_batch_discard", summary="Discard a batch that is not approved", tags=TAGS)
def batch_discard(request: HttpRequest, payload: ReasonIn, batch_id: int = BATCH_ID):
    batch = selectors.batch_for_run(user=request.auth, pk=batch_id)
    services.batch_discard(batch=batch, by=request.auth, reason=payload.reason)
    return selectors.batch_get(user=request.auth, pk=batch_id)
