"""Input and output shapes of the placement API."""

from datetime import date, datetime
from typing import Any, Literal

from ninja import Schema
from pydantic import ConfigDict, Field

from koshiqon.core.api import PageOut


class Input(Schema):
    model_config = ConfigDict(extra="forbid")


class ReasonIn(Input):
    reason: str = Field(min_length=1, max_length=2000)


class JobOut(Schema):
    job_id: int = Field(validation_alias="id")
    kind: str
    status: str
    done: int
    total: int
    percent: int
    message: str
    created_at: datetime
    finished_at: datetime | None
    result: dict | None = Field(description="When finished: what the job found or made (for an import, rows, "
                                            "families, created, replaced, saved, and errors as [line, column, "
                                            "message]).")


class TrainIn(Input):
    kind: Literal["auto", "logistic", "boosting"] = "auto"
    seed: int = Field(0, ge=0, le=1_000_000, description="Seed of the held-out split.")


class ModelOut(Schema):
    id: int
    created_at: datetime
    trained_by: str = Field(validation_alias="trained_by.username")
    families: int
    auc: float | None
    active: bool
    job_id: int | None


class ModelPage(PageOut):
    items: list[ModelOut]


class ModelDetailOut(ModelOut):
    card: dict[str, Any] = Field(description="The model card: data, features, AUC, calibration bins, per-region "
                                             "error, candidates, libraries, limitations.")
    backtest: dict[str, Any] = Field(description="Actual, optimised, proportional and random placements of the "
                                                 "held-out families (and, on demo data, the truth and the oracle).")


class YearOut(Schema):
    year: int
    families: int


class HistoryOut(Schema):
    families: int
    first_year: int | None
    last_year: int | None
    by_source: dict[str, int] = Field(description="Families per source: system, import, demo.")
    by_year: list[YearOut]


class RefreshOut(Schema):
    families: int
    created: int
    updated: int
    members_with_outcomes: int


class BatchIn(Input):
    year: int = Field(ge=2000, le=2100)
    arrival_date: date
    name: str = Field("", max_length=200)
    preference_weight: float = Field(0.1, ge=0, le=10)
    respect_centre_beds: bool = False


class BatchOut(Schema):
    id: int
    year: int
    name: str
    arrival_date: date
    status: str
    unit: str
    preference_weight: float
    respect_centre_beds: bool
    model_id: int | None
    job_id: int | None
    capacities: list[dict[str, Any]] = Field(description="Per region as solved: quota, used by approved batches, "
                                                         "and the limits in families and persons.")
    method: str
    objective: float | None
    bound: float | None
    seconds: float | None
    summary: dict[str, Any]
    created_at: datetime
    created_by: str = Field(validation_alias="created_by.username")
    approved_by: str | None = Field(None, validation_alias="approved_by.username")
    approved_at: datetime | None


class BatchPage(PageOut):
    items: list[BatchOut]


class BatchFilters(Schema):
    year: int | None = Field(None, ge=2000, le=2100)
    status: Literal["draft", "solving", "proposed", "approved", "failed", "discarded"] | None = None


class AlternativeOut(Schema):
    region: str
    predicted: float


class FamilyOut(Schema):
    id: int
    application_id: int
    number: str = Field(validation_alias="application.number")
    size: int
    needs: list[str]
    preferred_region: str | None = Field(None, validation_alias="preferred_region.code")
    proposed_region: str | None = Field(None, validation_alias="proposed_region.code")
    predicted: float | None
    alternatives: list[AlternativeOut]
    predictions: dict[str, float] = Field(description="The model's prediction in every region the family may go "
                                                      "to (its needs met there).")
    unplaced_reason: str = Field(description="Why the family was placed nowhere: needs, capacity; empty if placed.")
    override_region: str | None = Field(None, validation_alias="override_region.code")
    override_reason: str
    overridden_at: datetime | None


class FamilyPage(PageOut):
    items: list[FamilyOut]


class FamilyFilters(Schema):
    region: str = Field("", max_length=8, pattern=r"^[A-Za-z0-9-]*$", description="Final region, ISO 3166-2:KZ.")
    placed: bool | None = None
    overridden: bool | None = None


class NeedsIn(Input):
    needs: list[str] = Field(max_length=30, description="Service codes of the adaptation catalogue.")


class OverrideIn(Input):
    region: str = Field(max_length=8, pattern=r"^KZ-\d{2}$")
    reason: str = Field(min_length=1, max_length=2000)


class ApproveIn(Input):
    reason: str = Field("", max_length=2000)
