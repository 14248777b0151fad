"""The state support a kandas family included in the quota is entitled to (domain.md §8).

Support applies only inside the quota of the region where the family settles, and every amount is set in MCI
by the rules version in force on the decision date; it is converted to tenge at the MCI in force on that same
date (architecture rule 6), so a decision on 31 Dec 2025 and one on 1 Jan 2026 give different tenge for the
same MCI. The items (M: secondary sources, configurable per rules version):

- relocation subsidy: a fixed number of MCI per family member (70 MCI; 35 MCI in 2019);
- rent and utilities: 15 to 30 MCI per family per month, for 12 months. The acts give a range and no rule
  for choosing within it, so the entitlement uses the top of the range for large families (5 persons or
  more, where rent is dearest) and the bottom otherwise; the threshold is a parameter of the version;
- a one-off payment to an employer who helps the family move (400 MCI): paid to the employer, not the family;
- a housing certificate of up to 50% of the price of a home, capped (1,160 MCI in 2025, 1,625 MCI from 2026):
  the cap is what the family may claim at most, not an amount paid out.

Pure Python: the caller gives the version's support parameters and the tenge value of one MCI.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from koshiqon.core.domain.money import MciAmount, round_tenge, to_mci

RELOCATION = "relocation"
RENT = "rent"
EMPLOYER = "employer"
HOUSING_CERTIFICATE = "housing_certificate"

# Who receives each item, and whether the amount is paid or only a ceiling of what may be claimed.
PAYEE = {RELOCATION: "family", RENT: "family", EMPLOYER: "employer", HOUSING_CERTIFICATE: "family"}
CEILING = frozenset({HOUSING_CERTIFICATE})
LARGE_FAMILY_SIZE = 5


@dataclass(frozen=True)
class SupportParameters:
    """The support amounts of one rules version, in MCI."""

    relocation_mci_per_member: Decimal
    rent_mci_per_month_min: Decimal
    rent_mci_per_month_max: Decimal
    rent_months: int
    employer_mci: Decimal
    housing_certificate_cap_mci: Decimal | None = None
    large_family_size: int = LARGE_FAMILY_SIZE

    def __post_init__(self) -> None:
        if self.rent_mci_per_month_min > self.rent_mci_per_month_max:
            raise ValueError("the monthly rent support has its minimum above its maximum")
        if self.rent_months < 0 or self.large_family_size < 1:
            raise ValueError("rent months must be non-negative and the large-family size positive")

    @classmethod
    def from_mapping(cls, support: Mapping[str, Any]) -> "SupportParameters":
        """Read the `support` object of a kandas.rules version (as stored: JSON numbers or strings)."""

        def mci(name: str) -> Decimal:
            value = support[name]
            return to_mci(str(value) if isinstance(value, float) else value)

        cap = support.get("housing_certificate_cap_mci")
        return cls(
            relocation_mci_per_member=mci("relocation_mci_per_member"),
            rent_mci_per_month_min=mci("rent_mci_per_month_min"),
            rent_mci_per_month_max=mci("rent_mci_per_month_max"),
            rent_months=int(support["rent_months"]),
            employer_mci=mci("employer_mci"),
            housing_certificate_cap_mci=None if cap is None else mci("housing_certificate_cap_mci"),
            large_family_size=int(support.get("large_family_size", LARGE_FAMILY_SIZE)),
        )


@dataclass(frozen=True)
class Entitlement:
    """One item of support: its code, the amount in MCI and how it was reached (`quantity` x `rate`)."""

    code: str
    mci: Decimal
    quantity: int
    rate_mci: Decimal

    @property
    def payee(self) -> str:
        return PAYEE[self.code]

    @property
    def is_ceiling(self) -> bool:
        return self.code in CEILING


@dataclass(frozen=True)
class TengeLine:
    code: str
    mci: Decimal
    tenge: int
    quantity: int
    rate_mci: Decimal
    payee: str
    is_ceiling: bool


def entitlements(params: SupportParameters, *, family_size: int) -> list[Entitlement]:
    """The support items of a family of `family_size` persons under one rules version, in MCI."""
    if family_size < 1:
        raise ValueError("a family has at least one member")
    rent_rate = (
        params.rent_mci_per_month_max if family_size >= params.large_family_size else params.rent_mci_per_month_min
    )
    items = [
        Entitlement(RELOCATION, params.relocation_mci_per_member * family_size, family_size,
                    params.relocation_mci_per_member),
        Entitlement(RENT, rent_rate * params.rent_months, params.rent_months, rent_rate),
        Entitlement(EMPLOYER, params.employer_mci, 1, params.employer_mci),
    ]
    if params.housing_certificate_cap_mci is not None:
        cap = params.housing_certificate_cap_mci
        items.append(Entitlement(HOUSING_CERTIFICATE, cap, 1, cap))
    return [item for item in items if item.mci > 0]


def mci_in_tenge(amount: MciAmount, mci_value: int) -> int:
    """`amount` MCI in whole tenge when one MCI is `mci_value` tenge, rounded half up."""
    if isinstance(mci_value, bool) or not isinstance(mci_value, int) or mci_value <= 0:
        raise ValueError(f"one MCI must be a positive whole number of tenge, got {mci_value!r}")
    return round_tenge(to_mci(amount) * mci_value)


def in_tenge(items: Sequence[Entitlement], mci_value: int) -> list[TengeLine]:
    """Each item with its value in tenge at `mci_value` tenge per MCI."""
    return [
        TengeLine(i.code, i.mci, mci_in_tenge(i.mci, mci_value), i.quantity, i.rate_mci, i.payee, i.is_ceiling)
        for i in items
    ]


def family_total_tenge(lines: Sequence[TengeLine]) -> int:
    """What is paid to the family: the employer's payment and ceilings (the housing certificate) are left out."""
    return sum(line.tenge for line in lines if line.payee == "family" and not line.is_ceiling)
