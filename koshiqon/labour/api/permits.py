"""`/api/v1/labour/permit-applications`, `/permits`, `/permit-extensions` and `/permit-statistics`: work permits
for other systems (an employers' portal, the ministry's reporting).

Thin: each operation calls the same selectors and services as the pages, so the rights (403), the scope (404
for another region's or another employer's record), the validation (422 with fields) and the audit are the
same by construction. Deciding answers 200 whatever the outcome: a refusal ("quota" when the quota is
exhausted) is a decision, with its steps.
"""

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Path, Query, Router, Status

from koshiqon.core.api import ID_MAX, paginate, responses
from koshiqon.core.audit import persons_read
from koshiqon.core.domain.permissions import Perm
from koshiqon.core.permissions import can
from koshiqon.labour import permit_exports
from koshiqon.labour.api.permit_schemas import (
    ApplicationFilters,
    ApplicationIn,
    ApplicationOut,
    ApplicationPage,
    ExtensionDecisionIn,
    ExtensionIn,
    ExtensionOut,
    OptionalReasonIn,
    PermitDetailOut,
    PermitFilters,
    PermitPage,
    ReasonIn,
    StatisticsOut,
)
from koshiqon.labour.selectors import ministry
from koshiqon.labour.selectors import permits as selectors
from koshiqon.labour.selectors.employers import employers_for
from koshiqon.labour.selectors.exchange import vacancy_by_exchange_id
from koshiqon.labour.selectors.quota import utilisation
from koshiqon.labour.services import extensions as extension_services
from koshiqon.labour.services import permit_life
from koshiqon.labour.services.permit_decision import permit_application_decide
from koshiqon.labour.services.permits import permit_application_submit, permit_application_withdraw
from koshiqon.people.selectors import person_queryset
from koshiqon.reference.models import Occupation
from koshiqon.reference.selectors import country_by_code, region_by_code

router = Router(tags=["labour permits"])

APPLICATION_ID = Path(..., ge=1, le=ID_MAX, description="The application's id.")
PERMIT_ID = Path(..., ge=1, le=ID_MAX, description="The permit's id.")
EXTENSION_ID = Path(..., ge=1, le=ID_MAX, description="The extension request's id.")
XLSX_RESPONSE = {200: {"description": "An XLSX workbook", "content": {
    permit_exports.XLSX: {"schema": {"type": "string", "format": "binary"}}}}}


def _xlsx(content: bytes, stem: str) -> HttpResponse:
    response = HttpResponse(content, content_type=permit_exports.XLSX)
    response["Content-Disposition"] = f'attachment; filename="{permit_exports.filename(stem)}"'
    return response


# --- Applications ------------------------------------------------------------------------------------------

@router.get("/permit-applications", response=responses({200: ApplicationPage}, 403, 422),
            operation_id="labour_application_list", summary="Permit applications: the queue and the history")
def application_list(request: HttpRequest, filters: Query[ApplicationFilters]):
    """Submitted ones first, by decision deadline; then the decided ones, newest first. Each worker named on the
    page is logged as read."""
    values = filters.model_dump(exclude={"limit", "offset"})
    page = paginate(selectors.application_list(user=request.auth, filters=values), filters)
    persons_read(request, [a.worker_id for a in page["items"]], channel="api")
    return page


@router.get("/permit-applications.xlsx", response=responses({}, 403, 422),
            operation_id="labour_application_export", summary="Permit applications as an XLSX workbook",
            openapi_extra={"responses": XLSX_RESPONSE})
def application_export(request: HttpRequest, filters: Query[ApplicationFilters]):
    values = filters.model_dump(exclude={"limit", "offset"})
    applications = selectors.application_list(user=request.auth, filters=values)
    return _xlsx(permit_exports.applications_xlsx(applications, user=request.auth, channel="api",
                                                  path=request.get_full_path()), "permit-applications")


@router.get("/permit-applications/{application_id}", response=responses({200: ApplicationOut}, 403, 404, 422),
            operation_id="labour_application_get", summary="One application, with its decision's steps")
def application_get(request: HttpRequest, application_id: int = APPLICATION_ID):
    """The read of the worker's data is logged."""
    return selectors.application_get(user=request.auth, pk=application_id, channel="api", path=request.path)


def _worker(request: HttpRequest, payload: ApplicationIn):
    if payload.worker_id is not None:
        if not can(request.auth, Perm.PEOPLE_VIEW):
            raise ValidationError({"worker_id": [_("Give the worker's passport instead.")]})
        worker = person_queryset(user=request.auth).filter(pk=payload.worker_id).first()
        if worker is None:
            raise ValidationError({"worker_id": [_("There is no such person in your regions.")]})
        return worker
    if payload.worker is None:
        raise ValidationError({"worker": [_("Give the worker's passport.")]})
    values = payload.worker.model_dump()
    code = values.pop("citizenship")
    values["citizenship"] = country_by_code(code)
    return values


@router.post("/permit-applications", response=responses({201: ApplicationOut}, 400, 403, 422),
             operation_id="labour_application_submit", summary="File a permit application")
def application_submit(request: HttpRequest, payload: ApplicationIn):
    """An employer account files for its own employers (by BIN); an officer for employers of its regions. The
    worker is given by passport (a known passport reuses the registered person) or, by officers, by id."""
    errors: dict[str, list[str]] = {}
    employer = employers_for(request.auth).filter(bin=payload.employer).first()
    if employer is None:
        errors["employer"] = [_("There is no such employer among those you act for.")]
    region = region_by_code(payload.region)
    if region is None:
        errors["region"] = [_("Unknown region code: use an ISO 3166-2:KZ code such as KZ-55.")]
    occupation = Occupation.objects.filter(code=payload.occupation).first()
    if occupation is None:
        errors["occupation"] = [_("Unknown occupation: use an ISCO-08 code.")]
    vacancy = None
    if payload.vacancy:
        vacancy = vacancy_by_exchange_id(user=request.auth, exchange_id=payload.vacancy)
        if vacancy is None:
            errors["vacancy"] = [_("There is no such vacancy of yours on the labour exchange.")]
    if errors:
        raise ValidationError(errors)
    application = permit_application_submit(
        employer=employer, region=region, kind=payload.kind, category=payload.category, occupation=occupation,
        worker=_worker(request, payload), applied_on=payload.applied_on, months=payload.months,
        seasonal_days=payload.seasonal_days, vacancy=vacancy,
        employment_body_notified=payload.employment_body_notified, advertised=payload.advertised,
        rejections_justified=payload.rejections_justified, replacement_undertaken=payload.replacement_undertaken,
        registers_clear=payload.registers_clear, by=request.auth,
    )
    return Status(201, application)


@router.post("/permit-applications/{application_id}/decide", response=responses({200: ApplicationOut}, 403, 404, 422),
             operation_id="labour_application_decide", summary="Decide an application under its regime")
def application_decide(request: HttpRequest, application_id: int = APPLICATION_ID):
    """Every step of the regime in force on the application date, in kk/ru/en; when granted, the permit is
    issued and a quota place used. Under many concurrent decisions, exactly the free places are granted and
    the rest refused with the reason "quota"."""
    # By id: the service reads the application once, locked and scoped to the officer's regions (404 outside).
    return permit_application_decide(application=application_id, by=request.auth)


@router.post("/permit-applications/{application_id}/withdraw",
             response=responses({200: ApplicationOut}, 400, 403, 404, 422),
             operation_id="labour_application_withdraw", summary="Withdraw an application before its decision")
def application_withdraw(request: HttpRequest, payload: ReasonIn, application_id: int = APPLICATION_ID):
    application = selectors.application_for_withdrawal(user=request.auth, pk=application_id)
    return permit_application_withdraw(application=application, reason=payload.reason, by=request.auth)


# --- Permits -----------------------------------------------------------------------------------------------

@router.get("/permits", response=responses({200: PermitPage}, 403, 422), operation_id="labour_permit_list",
            summary="Work permits")
def permit_list(request: HttpRequest, filters: Query[PermitFilters]):
    """Each worker named on the page is logged as read."""
    values = filters.model_dump(exclude={"limit", "offset"})
    page = paginate(selectors.permit_list(user=request.auth, filters=values), filters)
    persons_read(request, [p.worker_id for p in page["items"]], channel="api")
    return page


@router.get("/permits.xlsx", response=responses({}, 403, 422), operation_id="labour_permit_export",
            summary="Work permits as an XLSX workbook", openapi_extra={"responses": XLSX_RESPONSE})
def permit_export(request: HttpRequest, filters: Query[PermitFilters]):
    values = filters.model_dump(exclude={"limit", "offset"})
    permits = selectors.permit_list(user=request.auth, filters=values)
    return _xlsx(permit_exports.permits_xlsx(permits, user=request.auth, channel="api",
                                             path=request.get_full_path()), "permits")


@router.get("/permits/{permit_id}", response=responses({200: PermitDetailOut}, 403, 404, 422),
            operation_id="labour_permit_get", summary="One permit, with its extension requests")
def permit_get(request: HttpRequest, permit_id: int = PERMIT_ID):
    return selectors.permit_get(user=request.auth, pk=permit_id, channel="api", path=request.path)


def _permit_change(request: HttpRequest, permit_id: int, service, reason: str):
    permit = selectors.permit_for_decision(user=request.auth, pk=permit_id)
    service(permit=permit, reason=reason, by=request.auth)
    return selectors.permit_list(user=request.auth).get(pk=permit_id)


@router.post("/permits/{permit_id}/suspend", response=responses({200: PermitDetailOut}, 400, 403, 404, 422),
             operation_id="labour_permit_suspend", summary="Suspend a permit")
def permit_suspend(request: HttpRequest, payload: ReasonIn, permit_id: int = PERMIT_ID):
    return _permit_change(request, permit_id, permit_life.permit_suspend, payload.reason)


@router.post("/permits/{permit_id}/resume", response=responses({200: PermitDetailOut}, 400, 403, 404, 422),
             operation_id="labour_permit_resume", summary="Resume a suspended permit")
def permit_resume(request: HttpRequest, payload: OptionalReasonIn, permit_id: int = PERMIT_ID):
    return _permit_change(request, permit_id, permit_life.permit_resume, payload.reason)


@router.post("/permits/{permit_id}/revoke", response=responses({200: PermitDetailOut}, 400, 403, 404, 422),
             operation_id="labour_permit_revoke", summary="Revoke a permit, with the reason")
def permit_revoke(request: HttpRequest, payload: ReasonIn, permit_id: int = PERMIT_ID):
    return _permit_change(request, permit_id, permit_life.permit_revoke, payload.reason)


@router.post("/permits/{permit_id}/extensions", response=responses({201: ExtensionOut}, 400, 403, 404, 422),
             operation_id="labour_extension_request", summary="Ask for a permit's extension")
def extension_request(request: HttpRequest, payload: ExtensionIn, permit_id: int = PERMIT_ID):
    """Asked 60 to 30 days before the permit ends; decided within 3 working days."""
    permit = selectors.permit_for_extension_request(user=request.auth, pk=permit_id)
    extension = extension_services.permit_extension_request(permit=permit, months=payload.months, by=request.auth)
    return Status(201, extension)


@router.post("/permit-extensions/{extension_id}/decide", response=responses({200: ExtensionOut}, 400, 403, 404, 422),
             operation_id="labour_extension_decide", summary="Grant or refuse an extension")
def extension_decide(request: HttpRequest, payload: ExtensionDecisionIn, extension_id: int = EXTENSION_ID):
    extension = selectors.extension_for_decision(user=request.auth, pk=extension_id)
    return extension_services.permit_extension_decide(extension=extension, grant=payload.grant,
                                                      reasons=payload.reasons, by=request.auth)


# --- The ministry's figures --------------------------------------------------------------------------------

@router.get("/permit-statistics/{year}", response=responses({200: StatisticsOut}, 403, 404, 422),
            operation_id="labour_permit_statistics", summary="Quota use, outcomes by region, refusals by reason")
def statistics(request: HttpRequest, year: int = Path(..., ge=2007, le=2100)):
    """National figures (aggregates, no personal data): for the ministry and analysts."""
    ministry.require_figures(request.auth)
    return {
        "year": year,
        "quota": [{"region": r.region.code, "category": r.category, "places": r.places, "used": r.used,
                   "left": r.left, "percent": r.percent} for r in utilisation(user=request.auth, year=year)],
        "outcomes": [{"region": r.region_code, "submitted": r.submitted, "granted": r.granted, "refused": r.refused,
                      "withdrawn": r.withdrawn} for r in ministry.outcomes_by_region(user=request.auth, year=year)],
        "refusals": [{"reason": code, "label": str(ministry.REASON_LABELS.get(code, code)), "count": n}
                     for code, n in ministry.refusals_by_reason(user=request.auth, year=year)],
    }
