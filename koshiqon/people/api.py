"""`/api/v1/persons` and `/api/v1/documents`: the person registry for other systems.

Thin: each operation calls the same selectors and services as the pages, so the permissions, the region
scoping (404 outside the user's regions), the validation and the audit are the same by construction.
"""

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Path, Query, Router, Status

from koshiqon.core.api import ID_MAX, PageParams, paginate, responses
from koshiqon.core.audit import persons_read
from koshiqon.core.domain.permissions import Perm
from koshiqon.core.permissions import require
from koshiqon.people import selectors, services
from koshiqon.people.schemas import (
    AuditPage,
    DocumentFilters,
    DocumentIn,
    DocumentOut,
    DocumentPage,
    DuplicatesOut,
    MergeIn,
    PersonDetailOut,
    PersonFilters,
    PersonIn,
    PersonOut,
    PersonPage,
    PersonPatch,
)
from koshiqon.reference.selectors import country_by_code, region_by_code

router = Router()

PERSON_ID = Path(..., ge=1, le=ID_MAX, description="The person's id.")
DOCUMENT_ID = Path(..., ge=1, le=ID_MAX, description="The document's id.")
REASON = Query("", max_length=500, description="Why the record is archived (required).")


def _references(values: dict) -> dict:
    """Region and country codes from the input, as the records the services take."""
    found, errors = {}, {}
    if values.get("region") is not None:
        found["region"] = region_by_code(values["region"])
        if found["region"] is None:
            errors["region"] = [_("Unknown region code: use an ISO 3166-2:KZ code such as KZ-55.")]
    for name in ("citizenship", "issuing_country"):
        if name in values:
            code = (values[name] or "").strip().upper()
            found[name] = country_by_code(code) if code else None
            if code and found[name] is None:
                errors[name] = [_("Unknown country code: use an ISO 3166-1 alpha-2 code such as KZ.")]
    if errors:
        raise ValidationError(errors)
    return found


def _renamed(exc: ValidationError, rename: dict[str, str]) -> ValidationError:
    return ValidationError({rename.get(name, name): messages for name, messages in exc.message_dict.items()})


def _duplicates(exc: services.PossibleDuplicates) -> dict:
    return {
        "detail": _("This person may already be registered. Compare the candidates; to register a different "
                    "person anyway, send the same request with \"confirmed_new\": true."),
        "candidates": [
            {
                "id": c.person.pk,
                "last_name": c.person.last_name,
                "first_name": c.person.first_name,
                "patronymic": c.person.patronymic,
                "last_name_latin": c.person.last_name_latin,
                "first_name_latin": c.person.first_name_latin,
                "birth_date": c.person.birth_date,
                "region": c.person.region.code,
                "reasons": list(c.reasons),
                "score": c.score,
            }
            for c in exc.candidates
        ],
        "hidden": exc.hidden,
    }


# --- Persons --------------------------------------------------------------------------------------------

@router.get("/persons", response=responses({200: PersonPage}, 403, 422), operation_id="person_list",
            summary="Search persons", tags=["persons"])
def person_list(request: HttpRequest, filters: Query[PersonFilters]):
    """Each person on the page is logged as read."""
    queryset = selectors.person_list(
        user=request.auth, q=filters.q, region=filters.region.strip().upper(), citizenship=filters.citizenship,
        sex=filters.sex or "", born_from=filters.born_from, born_to=filters.born_to,
    )
    page = paginate(queryset, filters)
    persons_read(request, [p.pk for p in page["items"]], channel="api")
    return page


@router.post("/persons", response=responses({201: PersonOut, 409: DuplicatesOut}, 400, 403, 422),
             operation_id="person_create", summary="Register a person", tags=["persons"])
def person_create(request: HttpRequest, payload: PersonIn):
    """Answers 409 with the possible duplicates the caller may see; send `confirmed_new: true` to register
    a different person anyway. The same IIN is refused (422) whatever `confirmed_new` says."""
    require(request.auth, Perm.PEOPLE_CHANGE)  # 403 before any lookup, as for the pages
    values = payload.model_dump()
    confirmed_new = values.pop("confirmed_new")
    values.update(_references(values))
    try:
        person = services.person_create(**values, by=request.auth, confirmed_new=confirmed_new)
    except services.PossibleDuplicates as exc:
        if exc.errors:
            raise ValidationError(exc.errors)
        persons_read(request, [c.person.pk for c in exc.candidates], channel="api")  # the candidates' data is in the answer
        return Status(409, _duplicates(exc))
    return Status(201, person)


@router.get("/persons/{person_id}", response=responses({200: PersonDetailOut}, 403, 404, 422),
            operation_id="person_get", summary="One person, with documents", tags=["persons"])
def person_get(request: HttpRequest, person_id: int = PERSON_ID):
    """The read is logged (who, when, which record, through the API)."""
    return selectors.person_get(user=request.auth, pk=person_id, channel="api", path=request.path)


@router.patch("/persons/{person_id}", response=responses({200: PersonOut}, 400, 403, 404, 422),
              operation_id="person_update", summary="Change a person's details", tags=["persons"])
def person_update(request: HttpRequest, payload: PersonPatch, person_id: int = PERSON_ID):
    person = selectors.person_for_update(user=request.auth, pk=person_id)
    changes = payload.model_dump(exclude_unset=True)
    reason = changes.pop("reason", "")
    changes.update(_references(changes))
    return services.person_update(person=person, by=request.auth, reason=reason, **changes)


@router.delete("/persons/{person_id}", response=responses({204: None}, 403, 404, 422),
               operation_id="person_archive", summary="Archive a person", tags=["persons"])
def person_archive(request: HttpRequest, person_id: int = PERSON_ID, reason: str = REASON):
    """Case data is never deleted: the record is archived with who and why."""
    require(request.auth, Perm.PEOPLE_DELETE)  # 403 before any lookup, as for the pages
    person = selectors.person_for_update(user=request.auth, pk=person_id)
    services.person_archive(person=person, by=request.auth, reason=reason)
    return Status(204, None)


@router.get("/persons/{person_id}/audit", response=responses({200: AuditPage}, 403, 404, 422),
            operation_id="person_audit", summary="A person's audit trail", tags=["persons"])
def person_audit(request: HttpRequest, page: Query[PageParams], person_id: int = PERSON_ID):
    person = selectors.person_get(user=request.auth, pk=person_id, channel="api", path=request.path)
    return paginate(selectors.person_audit_trail(user=request.auth, person=person), page)


@router.post("/persons/{person_id}/merge", response=responses({200: PersonOut}, 400, 403, 404, 422),
             operation_id="person_merge", summary="Merge a duplicate into this person", tags=["persons"])
def person_merge(request: HttpRequest, payload: MergeIn, person_id: int = PERSON_ID):
    """The duplicate's documents and families move to this person; the duplicate is archived."""
    require(request.auth, Perm.PEOPLE_MERGE)
    keep = selectors.person_for_update(user=request.auth, pk=person_id)
    try:
        duplicate = selectors.person_for_update(user=request.auth, pk=payload.duplicate_id)
    except Http404:
        raise ValidationError({"duplicate_id": [_("There is no such person in your regions.")]})
    try:
        return services.person_merge(keep=keep, duplicate=duplicate, by=request.auth, reason=payload.reason)
    except ValidationError as exc:
        raise _renamed(exc, {"duplicate": "duplicate_id"})


# --- Documents ------------------------------------------------------------------------------------------

@router.get("/documents", response=responses({200: DocumentPage}, 403, 422), operation_id="document_list",
            summary="Find identity documents", tags=["documents"])
def document_list(request: HttpRequest, filters: Query[DocumentFilters]):
    """A document names its holder (its number, its machine-readable zone): each holder on the page is logged
    as read."""
    queryset = selectors.document_list(user=request.auth, number=filters.number, person_id=filters.person_id)
    page = paginate(queryset, filters)
    persons_read(request, [d.person_id for d in page["items"]], channel="api")
    return page


@router.post("/persons/{person_id}/documents", response=responses({201: DocumentOut}, 400, 403, 404, 422),
             operation_id="document_create", summary="Add an identity document", tags=["documents"])
def document_create(request: HttpRequest, payload: DocumentIn, person_id: int = PERSON_ID):
    """A machine-readable zone, when sent, is parsed and its check digits verified (ICAO 9303); what it
    carries fills the empty fields and must agree with the rest."""
    person = selectors.person_for_update(user=request.auth, pk=person_id)
    values = payload.model_dump()
    values.update(_references(values))
    return Status(201, services.document_add(person=person, by=request.auth, **values))


@router.get("/documents/{document_id}", response=responses({200: DocumentOut}, 403, 404, 422),
            operation_id="document_get", summary="One identity document", tags=["documents"])
def document_get(request: HttpRequest, document_id: int = DOCUMENT_ID):
    return selectors.document_read(user=request.auth, pk=document_id, channel="api", path=request.path)


@router.delete("/documents/{document_id}", response=responses({204: None}, 403, 404, 422),
               operation_id="document_archive", summary="Archive an identity document", tags=["documents"])
def document_archive(request: HttpRequest, document_id: int = DOCUMENT_ID, reason: str = REASON):
    require(request.auth, Perm.PEOPLE_CHANGE)  # 403 before any lookup, as for the pages
    document = selectors.document_get(user=request.auth, pk=document_id)
    services.document_archive(document=document, by=request.auth, reason=reason)
    return Status(204, None)
