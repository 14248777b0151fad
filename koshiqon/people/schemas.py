"""The API's input and output shapes for persons and identity documents.

Regions are referenced by their ISO 3166-2:KZ code ("KZ-55") and countries by their ISO 3166-1 alpha-2 code
("KZ"), in input and output, so that other systems need none of our internal ids for reference data.
"""

from datetime import date, datetime
from typing import Any, Literal

from ninja import Schema
from pydantic import ConfigDict, Field

from koshiqon.core.api import ID_MAX, PageOut, PageParams
from koshiqon.people.models import DocumentKind
from koshiqon.people.selectors import person_documents

Sex = Literal["M", "F"]
# Built from the model's choices so that a new kind of document needs no change here.
DocumentKindCode = Literal[tuple(DocumentKind.values)]  # type: ignore[valid-type]
DuplicateReason = Literal["iin", "document", "name_and_birth_date"]

# Search text: no control characters (they are never part of a name or a number, and PostgreSQL refuses NUL).
TEXT = r"^[^\x00-\x1f\x7f]*$"
REGION_CODE = Field(description="ISO 3166-2:KZ code of the region, e.g. KZ-55.", max_length=8)
NAME = {"max_length": 100, "pattern": TEXT}


class Input(Schema):
    # A misspelt field in a PATCH must not be silently ignored.
    model_config = ConfigDict(extra="forbid")


# --- Persons --------------------------------------------------------------------------------------------

class PersonFilters(PageParams):
    q: str = Field("", max_length=100, pattern=TEXT,
                   description="Name in any script (Cyrillic, passport Latin, 2021 Latin), IIN or document number.")
    region: str = Field("", max_length=8, pattern=TEXT, description="ISO 3166-2:KZ code, e.g. KZ-55.")
    citizenship: str = Field("", max_length=2, pattern=TEXT, description="ISO 3166-1 alpha-2 code, e.g. KZ.")
    sex: Sex | None = None
    born_from: date | None = None
    born_to: date | None = None


class PersonIn(Input):
    last_name: str = Field(**NAME)
    first_name: str = Field(**NAME)
    patronymic: str = Field("", **NAME)
    last_name_latin: str = Field("", description="As printed in the passport.", **NAME)
    first_name_latin: str = Field("", description="As printed in the passport.", **NAME)
    birth_date: date
    sex: Sex
    citizenship: str | None = Field(None, max_length=2, description="ISO 3166-1 alpha-2 code, e.g. KZ.")
    iin: str | None = Field(None, max_length=20, description="Individual identification number, 12 digits.")
    region: str = REGION_CODE
    confirmed_new: bool = Field(
        False, description="Register even though possible duplicates were shown (409). Never for the same IIN."
    )


class PersonPatch(Input):
    """Only the fields sent are changed; `reason` goes to the audit trail."""

    last_name: str | None = Field(None, **NAME)
    first_name: str | None = Field(None, **NAME)
    patronymic: str | None = Field(None, **NAME)
    last_name_latin: str | None = Field(None, **NAME)
    first_name_latin: str | None = Field(None, **NAME)
    birth_date: date | None = None
    sex: Sex | None = None
    citizenship: str | None = Field(None, max_length=2)
    iin: str | None = Field(None, max_length=20)
    region: str | None = Field(None, max_length=8)
    reason: str = Field("", max_length=500)


class PersonOut(Schema):
    id: int
    last_name: str
    first_name: str
    patronymic: str
    last_name_latin: str
    first_name_latin: str
    birth_date: date
    sex: Sex
    citizenship: str | None = Field(description="ISO 3166-1 alpha-2 code.")
    iin: str | None
    region: str = Field(description="ISO 3166-2:KZ code.")
    created_at: datetime
    updated_at: datetime

    @staticmethod
    def resolve_citizenship(obj) -> str | None:
        return obj.citizenship.alpha2 if obj.citizenship_id else None

    @staticmethod
    def resolve_region(obj) -> str:
        return obj.region.code


class DocumentOut(Schema):
    id: int
    person_id: int
    kind: DocumentKindCode
    number: str
    issuing_country: str = Field(description="ISO 3166-1 alpha-2 code.")
    issued_on: date | None
    expires_on: date | None
    mrz: str
    created_at: datetime

    @staticmethod
    def resolve_issuing_country(obj) -> str:
        return obj.issuing_country.alpha2


class PersonDetailOut(PersonOut):
    documents: list[DocumentOut]

    @staticmethod
    def resolve_documents(obj) -> list:
        return list(person_documents(person=obj))


class PersonPage(PageOut):
    items: list[PersonOut]


class CandidateOut(Schema):
    """A registered person who may be the one being registered, as the officer compares them side by side."""

    id: int
    last_name: str
    first_name: str
    patronymic: str
    last_name_latin: str
    first_name_latin: str
    birth_date: date
    region: str
    reasons: list[DuplicateReason]
    score: float = Field(description="Name similarity, 0 to 100; 100 for the same IIN or document number.")


class DuplicatesOut(Schema):
    detail: str
    candidates: list[CandidateOut]
    hidden: int = Field(description="Matches in regions you may not see: counted, never shown.")


class MergeIn(Input):
    duplicate_id: int = Field(ge=1, le=ID_MAX, description="The record to merge into this one and archive.")
    reason: str = Field(max_length=500)


class AuditEventOut(Schema):
    seq: int
    occurred_at: datetime
    actor: str
    action: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None
    reason: str

    @staticmethod
    def resolve_actor(obj) -> str:
        return obj.actor_label


class AuditPage(PageOut):
    items: list[AuditEventOut]


# --- Documents ------------------------------------------------------------------------------------------

class DocumentFilters(PageParams):
    number: str = Field("", max_length=40, pattern=TEXT)
    person_id: int | None = Field(None, ge=1, le=ID_MAX)


class DocumentIn(Input):
    kind: DocumentKindCode
    number: str = Field("", max_length=40, pattern=TEXT, description="May be left empty when `mrz` is given.")
    issuing_country: str | None = Field(None, max_length=2, description="ISO 3166-1 alpha-2 code, e.g. CN.")
    issued_on: date | None = None
    expires_on: date | None = None
    mrz: str = Field("", max_length=200, description="The machine-readable zone, lines separated by newlines.")


class DocumentPage(PageOut):
    items: list[DocumentOut]
