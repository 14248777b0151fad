"""The state fee for a work permit, in MCI, by the rules in force on the application date (domain.md §4).

- Intra-corporate transfers (ICT) are free of fees (Rules of 2012, M).
- Seasonal workers from 2021: 12 / 24 / 36 / 48 MCI for a permit of up to 90 / 180 / 270 / 365 days (M,
  `terms.seasonal_fee_mci`).
- Every other permit: the general table by category and sector (Gov. Decree No. 157 of 2018). That decree was
  not retrieved, so the table is a configurable policy version of kind `labour.permit_fees`; when no version
  is in force the shipped default below applies, marked L (unverified), from 1 Jan 2017, when the fee replaced
  the employer's bank guarantee. Before that no fee was charged (also L).

A version's parameters: `{"by_category": {"1": 137, ...}, "by_sector": {"B": {"1": 250}}, "seasonal": 75}`:
a sector's own rate (OKED section letter) wins over the category's; `seasonal` is the rate for seasonal workers
before the 2021 scale.

The fee is also one informative step of the decision, worded in kk/ru/en like the others.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from pydantic import BaseModel, ConfigDict, Field

from koshiqon.core.domain.policy import register_schema
from koshiqon.labour.domain import policy_data, terms
from koshiqon.labour.domain.policy_data import Confidence, DatedFact
from koshiqon.labour.domain.regimes import ICT
from koshiqon.labour.domain.status import PermitKind

FEE_KIND = "labour.permit_fees"
_MCI = Field(ge=0, le=10_000)


class FeeTable(BaseModel):
    """The general fee table: MCI per permit by category, optionally by OKED sector and category."""

    model_config = ConfigDict(extra="forbid")

    by_category: dict[str, Decimal] = Field(default_factory=dict)
    by_sector: dict[str, dict[str, Decimal]] = Field(default_factory=dict)
    seasonal: Decimal | None = Field(None, ge=0, le=10_000)

    def rate(self, category: str, sector: str) -> Decimal | None:
        sector_rates = self.by_sector.get(sector.upper(), {})
        if category in sector_rates:
            return sector_rates[category]
        return self.by_category.get(category)


register_schema(FEE_KIND, FeeTable)

# L: Decree 157 of 2018 was not retrieved; these are placeholders of the right order of magnitude, to be
# replaced by a policy version of kind `labour.permit_fees` carrying the decree's table.
DEFAULT_FEE_TABLE = DatedFact(
    date(2017, 1, 1), None,
    FeeTable(by_category={"1": Decimal(137), "2": Decimal(137), "3": Decimal(122), "4": Decimal(75)},
             seasonal=Decimal(75)),
    "L", "Gov. Decree No. 157 of 2018, not retrieved: configurable default (domain.md §4)",
)


@dataclass(frozen=True)
class Fee:
    """The fee of one permit: its amount in MCI, how it was found (`basis`), and the confidence of the rate."""

    mci: Decimal
    basis: str  # "ict" | "seasonal_scale" | "table" | "none"
    confidence: Confidence
    source: str


def default_table_on(on: date) -> FeeTable | None:
    """The shipped default table when it covers `on` (None before 2017: no fee was charged)."""
    return DEFAULT_FEE_TABLE.value if DEFAULT_FEE_TABLE.covers(on) else None


def permit_fee(*, kind: str, category: str, sector: str, seasonal_days: int | None, on: date,
               table: FeeTable | None, table_source: str = "", table_confidence: Confidence = "M") -> Fee:
    """The fee of a permit applied for on `on`. `table` is the general table in force that day (a policy
    version, or the default from `default_table_on`); None: no general fee was charged then."""
    if kind == PermitKind.ICT or category == ICT:
        return Fee(Decimal(0), "ict", "M", "Rules of 2012: intra-corporate transfers are free of fees")
    if kind == PermitKind.SEASONAL and policy_data.SEASONAL_FEE_SCALE.covers(on):
        days = seasonal_days or 0
        return Fee(Decimal(terms.seasonal_fee_mci(days, on)), "seasonal_scale",
                   policy_data.SEASONAL_FEE_SCALE.confidence, policy_data.SEASONAL_FEE_SCALE.source)
    if table is None:
        return Fee(Decimal(0), "none", "L", "No permit fee before 2017 (domain.md §4, L)")
    rate = table.seasonal if kind == PermitKind.SEASONAL else table.rate(category, sector)
    if rate is None:
        return Fee(Decimal(0), "none", table_confidence, table_source)
    return Fee(rate, "table", table_confidence, table_source)


TEMPLATES: dict[str, dict[str, str]] = {
    "kk": {
        "ict": "Корпоративішілік ауыстыру алымнан босатылады.",
        "seasonal_scale": "Алым: {mci} АЕК ({days} күнге дейінгі маусымдық жұмыс), {date} күнгі АЕК бойынша "
                          "{tenge} теңге.",
        "table": "Алым: {mci} АЕК ({category} санаты), {date} күнгі АЕК бойынша {tenge} теңге.",
        "none": "Өтініш берілген күні рұқсат үшін алым белгіленбеген.",
    },
    "ru": {
        "ict": "Внутрикорпоративный перевод освобождён от сбора.",
        "seasonal_scale": "Сбор: {mci} МРП (сезонная работа до {days} дн.), {tenge} тенге по МРП на {date}.",
        "table": "Сбор: {mci} МРП (категория {category}), {tenge} тенге по МРП на {date}.",
        "none": "На дату заявления сбор за разрешение не взимался.",
    },
    "en": {
        "ict": "An intra-corporate transfer is free of fees.",
        "seasonal_scale": "Fee: {mci} MCI (seasonal work of up to {days} days), {tenge} tenge at the MCI of "
                          "{date}.",
        "table": "Fee: {mci} MCI (category {category}), {tenge} tenge at the MCI of {date}.",
        "none": "No permit fee was charged on the application date.",
    },
}


def _amount(value: Decimal | int | None) -> str:
    if value is None:
        return "—"
    text = f"{Decimal(value):,f}".replace(",", "\u00a0")
    return text.removesuffix(".00").removesuffix(".0") if "." in text else text


def fee_words(fee: Fee, *, category: str, seasonal_days: int | None, tenge: int | None, on: date) -> dict[str, str]:
    """The fee step's wording in kk/ru/en; `tenge` converted at the MCI in force `on` (None: not known)."""
    upper = None
    if fee.basis == "seasonal_scale":
        upper = next(limit for limit, _mci in policy_data.SEASONAL_FEE_SCALE.value if (seasonal_days or 0) <= limit)
    params = {"mci": _amount(fee.mci), "tenge": _amount(tenge), "date": on.isoformat(), "category": category,
              "days": upper}
    return {lang: TEMPLATES[lang][fee.basis].format(**params) for lang in TEMPLATES}
