"""Input and output shapes of the work-permit operations. Regions are ISO 3166-2:KZ codes, countries ISO 3166-1
alpha-2 codes, occupations ISCO-08 codes, employers their BIN; a decision's steps carry their wording in
Kazakh, Russian and English, and `text` in the language of the request."""

from datetime import date, datetime
from decimal import Decimal
from typing import Literal

from django.utils import timezone
from django.utils.translation import get_language
from ninja import Schema
from pydantic import ConfigDict, Field

from koshiqon.core.api import ID_MAX, PageOut, PageParams
from koshiqon.labour.domain.status import ApplicationStatus, ExtensionStatus, PermitKind, PermitStatus
from koshiqon.labour.models import Permit

TEXT = r"^[^\x00-\x1f\x7f]*$"
AppStatusCode = Literal[tuple(s.value for s in ApplicationStatus)]  # type: ignore[valid-type]
PermitStatusCode = Literal[tuple(s.value for s in PermitStatus)]  # type: ignore[valid-type]
ExtensionStatusCode = Literal[tuple(s.value for s in ExtensionStatus)]  # type: ignore[valid-type]
KindCode = Literal[tuple(k.value for k in PermitKind)]  # type: ignore[valid-type]
CATEGORY = {"max_length": 12, "pattern": r"^[0-9a-z+\-]*$"}


class Input(Schema):
    model_config = ConfigDict(extra="forbid")


class EmployerRef(Schema):
    id: int
    bin: str
    name: str


class StepOut(Schema):
    code: str = Field(description="category, lmt_advertise, lmt_notify, lmt_exchange, automatic_checks, "
                                  "staff_share, ict_share, quota, local_jobseekers or fee.")
    passed: bool
    text: str = Field(description="The step's explanation in the language of the request.")
    kk: str
    ru: str
    en: str

    @staticmethod
    def resolve_text(obj) -> str:
        lang = (get_language() or "kk")[:2]
        return obj.get(lang) or obj.get("en", "")


class PassportIn(Input):
    last_name_latin: str = Field(max_length=100, pattern=TEXT, description="As printed in the passport.")
    first_name_latin: str = Field(max_length=100, pattern=TEXT)
    birth_date: date
    sex: Literal["M", "F"]
    citizenship: str = Field(max_length=2, description="ISO 3166-1 alpha-2 code of the passport's country.")
    passport_number: str = Field(max_length=20, pattern=TEXT)
    passport_expires_on: date | None = None


class ApplicationFilters(PageParams):
    status: AppStatusCode | None = None
    region: str = Field("", max_length=8, pattern=TEXT, description="ISO 3166-2:KZ code, e.g. KZ-55.")
    kind: KindCode | None = None
    category: str = Field("", **CATEGORY)
    employer: str = Field("", max_length=100, pattern=TEXT, description="BIN, or part of the employer's name.")
    overdue: bool | None = Field(None, description="true: only submitted applications past their decision date.")
    year: int | None = Field(None, ge=2007, le=2100, description="Year of the application date.")
    reason: str = Field("", max_length=30, pattern=r"^[a-z_]*$", description="A failed step of refused ones.")
    q: str = Field("", max_length=100, pattern=TEXT, description="An application number or the worker's name.")


class ApplicationIn(Input):
    employer: str = Field(max_length=12, pattern=r"^\d{12}$", description="The employer's BIN.")
    region: str = Field(max_length=8, pattern=TEXT, description="Region of work: the permit is valid there only.")
    kind: KindCode = "standard"
    category: str = Field("", description="1-4 (from 12 Mar 2012), 1+2 or 3 (2007-2012); seasonal is implied "
                                         "by kind=seasonal.", **CATEGORY)
    occupation: str = Field(max_length=4, pattern=r"^\d{1,4}$", description="ISCO-08 code.")
    months: int | None = Field(None, ge=1, le=36, description="Months of the permit (not for seasonal work).")
    seasonal_days: int | None = Field(None, ge=1, le=365, description="Days of seasonal work (kind=seasonal).")
    applied_on: date
    vacancy: str = Field("", max_length=40, pattern=TEXT,
                         description="Exchange id of the vacancy posted on the labour exchange (from 1 Sep 2025).")
    employment_body_notified: bool = False
    advertised: bool = False
    rejections_justified: bool = False
    replacement_undertaken: bool = False
    registers_clear: bool = True
    worker_id: int | None = Field(None, ge=1, le=ID_MAX, description="A person of the registry (officers only).")
    worker: PassportIn | None = Field(None, description="A new worker's passport (reused when already registered).")


class ApplicationOut(Schema):
    id: int
    number: str = Field(description="WPA-<year>-<six digits>.")
    employer: EmployerRef
    region: str
    kind: KindCode
    category: str
    occupation: str
    worker_id: int
    worker_name: str
    months: int
    seasonal_days: int | None
    applied_on: date
    vacancy: str | None
    employment_body_notified: bool
    advertised: bool
    rejections_justified: bool
    replacement_undertaken: bool
    registers_clear: bool
    status: AppStatusCode
    decision_due: date = Field(description="7 working days after the application date.")
    is_overdue: bool
    decided_at: datetime | None
    regime: str = Field(description="advertise (2008-2012), notify (2012-Aug 2025), exchange (from Sep 2025).")
    steps: list[StepOut]
    reasons: list[str] = Field(description="The codes of the failed steps; 'quota' when the quota is exhausted.")
    local_jobseekers: int | None
    quota_left: int | None
    fee_mci: Decimal | None
    fee_tenge: int | None
    permit: str | None = Field(description="Number of the permit issued, when granted.")
    permit_id: int | None

    @staticmethod
    def resolve_region(obj) -> str:
        return obj.region.code

    @staticmethod
    def resolve_occupation(obj) -> str:
        return obj.occupation.code

    @staticmethod
    def resolve_worker_name(obj) -> str:
        return obj.worker.full_name

    @staticmethod
    def resolve_vacancy(obj) -> str | None:
        return obj.vacancy.exchange_id if obj.vacancy_id else None

    @staticmethod
    def resolve_is_overdue(obj) -> bool:
        if hasattr(obj, "is_overdue"):
            return bool(obj.is_overdue)
        return obj.status == ApplicationStatus.SUBMITTED and obj.decision_due < timezone.localdate()

    @staticmethod
    def _permit(obj) -> Permit | None:
        if obj.status != ApplicationStatus.GRANTED:
            return None
        try:
            return obj.permit
        except Permit.DoesNotExist:
            return None

    @staticmethod
    def resolve_permit(obj) -> str | None:
        permit = ApplicationOut._permit(obj)
        return permit.number if permit else None

    @staticmethod
    def resolve_permit_id(obj) -> int | None:
        permit = ApplicationOut._permit(obj)
        return permit.pk if permit else None


class ApplicationPage(PageOut):
    items: list[ApplicationOut]


class ReasonIn(Input):
    reason: str = Field(max_length=1000, pattern=r"^[^\x00]*$")


class OptionalReasonIn(Input):
    reason: str = Field("", max_length=1000, pattern=r"^[^\x00]*$")


class PermitFilters(PageParams):
    status: PermitStatusCode | None = None
    region: str = Field("", max_length=8, pattern=TEXT)
    kind: KindCode | None = None
    category: str = Field("", **CATEGORY)
    employer: str = Field("", max_length=100, pattern=TEXT)
    expiring: bool | None = Field(None, description="true: in force and ending within 60 days.")
    year: int | None = Field(None, ge=2007, le=2100, description="Year the permit started.")
    q: str = Field("", max_length=100, pattern=TEXT, description="A permit number or the worker's name.")


class ExtensionOut(Schema):
    id: int
    permit_id: int
    requested_on: date
    months: int
    decision_due: date = Field(description="3 working days after the request.")
    status: ExtensionStatusCode
    reasons: list[str]
    decided_at: datetime | None


class PermitOut(Schema):
    id: int
    number: str = Field(description="WP-<region digits>-<year>-<six digits>.")
    application_id: int
    employer: EmployerRef
    worker_id: int
    worker_name: str
    region: str = Field(description="The one region where the permit is valid.")
    kind: KindCode
    category: str
    valid_from: date
    valid_until: date
    extensions: int
    status: PermitStatusCode
    status_reason: str
    lapsed: bool = Field(description="Its last day has passed; the nightly run will mark it expired.")

    @staticmethod
    def resolve_worker_name(obj) -> str:
        return obj.worker.full_name

    @staticmethod
    def resolve_region(obj) -> str:
        return obj.region.code

    @staticmethod
    def resolve_lapsed(obj) -> bool:
        if hasattr(obj, "lapsed"):
            return bool(obj.lapsed)
        return obj.status in (PermitStatus.ISSUED, PermitStatus.SUSPENDED) and obj.valid_until < timezone.localdate()


class PermitDetailOut(PermitOut):
    extension_requests: list[ExtensionOut]

    @staticmethod
    def resolve_extension_requests(obj) -> list:
        return list(obj.extension_requests.order_by("-requested_on", "-id"))


class PermitPage(PageOut):
    items: list[PermitOut]


class ExtensionIn(Input):
    months: int | None = Field(None, ge=1, le=12, description="Default: the longest extension of the category.")


class ExtensionDecisionIn(Input):
    grant: bool
    reasons: list[str] = Field(default_factory=list, max_length=20, description="Required when refusing.")


class QuotaUseOut(Schema):
    region: str
    category: str
    places: int
    used: int
    left: int
    percent: Decimal


class RegionOutcomeOut(Schema):
    region: str
    submitted: int
    granted: int
    refused: int
    withdrawn: int


class ReasonCountOut(Schema):
    reason: str
    label: str
    count: int


class StatisticsOut(Schema):
    year: int
    quota: list[QuotaUseOut]
    outcomes: list[RegionOutcomeOut]
    refusals: list[ReasonCountOut]
