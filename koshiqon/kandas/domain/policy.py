"""The two kinds of kandas policy data and their schemas (architecture rule 4: policy is data).

- `kandas.grid`: the criteria grid that scores an application (the `Grid` of koshiqon.kandas.domain.grid);
- `kandas.rules`: the procedure and support parameters (`Rules` below): the quota unit, the deadlines of the
  procedure, the support amounts in MCI, the designated resettlement regions, the deficit occupations of each
  region, the required documents and the priority categories.

Both changed several times between 2007 and 2026 (domain.md §0, §2, §8), so each is a PolicyVersion with its
dates and legal basis, and an application is handled under the version in force on its application date.
Deadlines (Rules of 2013 as amended, M): the local executive body checks the file within 1 working day, the
commission recommends within 3 working days, kandas status is valid for 1 year. The appeal terms are not in
the sources we have (L): 30 calendar days to file and 20 working days to decide are defaults of the data files,
after the general terms of the Administrative Procedural Code, to be checked.

Problems are reported with stable codes (pydantic's error types, or `kandas_*` ones raised here) so that the
Django layer words them in the user's language.
"""

import re
from decimal import Decimal
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator
from pydantic_core import PydanticCustomError

from koshiqon.core.domain.policy import register_schema
from koshiqon.kandas.domain.grid import Grid

GRID_KIND = "kandas.grid"
RULES_KIND = "kandas.rules"

REGION_CODE = re.compile(r"^KZ-\d{2}$")
ISCO_CODE = re.compile(r"^\d{1,4}$")
DOCUMENT_CODE = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
NO_PRIORITY = "none"

Mci = Decimal


def _region(code: str) -> str:
    if not REGION_CODE.match(code):
        raise PydanticCustomError(
            "kandas_region_code", "'{code}' is not an ISO 3166-2:KZ region code such as KZ-55", {"code": code}
        )
    return code


def _unique_regions(codes: list[str]) -> list[str]:
    for code in codes:
        _region(code)
    if len(set(codes)) != len(codes):
        duplicates = sorted({c for c in codes if codes.count(c) > 1})
        raise PydanticCustomError(
            "kandas_duplicate_code", "'{code}' is listed twice", {"code": duplicates[0]}
        )
    return codes


class Label(BaseModel):
    """A name in the three languages of the pages and the decision letters."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    kk: str = Field(min_length=1, max_length=300)
    ru: str = Field(min_length=1, max_length=300)
    en: str = Field(min_length=1, max_length=300)

    def in_language(self, language: str | None) -> str:
        return str(getattr(self, (language or "kk")[:2], "") or self.kk)


class Coded(BaseModel):
    """A document or a priority category: a stable code and its names."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    code: str = Field(pattern=DOCUMENT_CODE.pattern)
    label: Label


class Support(BaseModel):
    """The support a family inside the quota is entitled to, in MCI (domain.md §8, M).

    Rent and utilities are paid within a range per family per month (15 to 30 MCI) for `rent_months`; the acts
    give no rule for choosing within the range, so the entitlement takes the maximum for families of
    `large_family_size` persons or more, where rent is dearest, and the minimum otherwise (see
    koshiqon.kandas.domain.support). The housing certificate covers up to half of a home's price and is capped
    (`housing_certificate_cap_mci`; None when the version has no certificate, as under the Concept, when
    housing came through the Nurly Kosh programme instead).
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    relocation_mci_per_member: Mci = Field(ge=0)
    rent_mci_per_month_min: Mci = Field(ge=0)
    rent_mci_per_month_max: Mci = Field(ge=0)
    rent_months: int = Field(ge=0, le=60)
    employer_mci: Mci = Field(ge=0)
    housing_certificate_cap_mci: Mci | None = Field(default=None, ge=0)
    large_family_size: int = Field(default=5, ge=1, le=30)

    @model_validator(mode="after")
    def _rent_range(self) -> "Support":
        if self.rent_mci_per_month_min > self.rent_mci_per_month_max:
            raise PydanticCustomError(
                "kandas_rent_range", "the monthly rent minimum ({min}) is above the maximum ({max})",
                {"min": str(self.rent_mci_per_month_min), "max": str(self.rent_mci_per_month_max)},
            )
        return self


class Rules(BaseModel):
    """The procedure and support parameters of one `kandas.rules` version."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    quota_unit: Literal["families", "persons"]
    check_working_days: int = Field(default=1, ge=0, le=60)
    commission_working_days: int = Field(default=3, ge=0, le=60)
    # A status "valid for 1 year" (domain.md §2) is counted in months, so that a year with 29 February keeps
    # its extra day; a term in days is used only when no term in months is given.
    status_validity_months: int | None = Field(default=None, ge=1, le=120)
    status_validity_days: int = Field(default=365, ge=1, le=3660)
    appeal_filing_days: int = Field(default=30, ge=1, le=365)
    appeal_decision_working_days: int = Field(default=20, ge=1, le=250)
    support: Support
    resettlement_regions: list[str] = Field(min_length=1)
    settler_regions: list[str] = Field(default_factory=list)
    deficit_occupations: dict[str, list[str]] = Field(default_factory=dict)
    required_documents: list[Coded] = Field(min_length=1)
    priority_categories: list[Coded] = Field(default_factory=list)

    @field_validator("resettlement_regions", "settler_regions")
    @classmethod
    def _regions(cls, codes: list[str]) -> list[str]:
        return _unique_regions(codes)

    @field_validator("deficit_occupations")
    @classmethod
    def _occupations(cls, lists: dict[str, list[str]]) -> dict[str, list[str]]:
        for region, codes in lists.items():
            _region(region)
            for code in codes:
                if not ISCO_CODE.match(code):
                    raise PydanticCustomError(
                        "kandas_isco_code", "'{code}' is not an ISCO-08 code (1 to 4 digits)", {"code": code}
                    )
        return lists

    @field_validator("required_documents", "priority_categories")
    @classmethod
    def _unique_codes(cls, items: list[Coded]) -> list[Coded]:
        codes = [item.code for item in items]
        for code in codes:
            if code == NO_PRIORITY:
                raise PydanticCustomError(
                    "kandas_reserved_code", "'{code}' means no category and cannot be one", {"code": code}
                )
            if codes.count(code) > 1:
                raise PydanticCustomError("kandas_duplicate_code", "'{code}' is listed twice", {"code": code})
        return items

    @property
    def document_codes(self) -> list[str]:
        return [d.code for d in self.required_documents]

    @property
    def priority_codes(self) -> list[str]:
        return [p.code for p in self.priority_categories]

    def is_resettlement_region(self, region_code: str) -> bool:
        return region_code in self.resettlement_regions

    def deficit_list(self, region_code: str) -> list[str]:
        return self.deficit_occupations.get(region_code, [])


def rules_from(parameters: Any) -> Rules:
    """The stored parameters of a `kandas.rules` version, read back as the model (they were validated when
    the version was created, so this only parses)."""
    return Rules.model_validate(dict(parameters))


def grid_from(parameters: Any) -> Grid:
    return Grid.model_validate(dict(parameters))


register_schema(GRID_KIND, Grid)
register_schema(RULES_KIND, Rules)
