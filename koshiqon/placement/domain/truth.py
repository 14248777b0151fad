"""The known ground truth behind the demo history: how likely a working-age kandas is to be employed 12 months
after settling in a region, and a generator of past arrivals and their outcomes under that truth.

ILLUSTRATIVE. Every coefficient here is made up to be plausible, not estimated from data. It exists so that
the demo can show what the outcome model learns and how close the optimised placement comes to the best
possible: the backtest compares against this truth, which real life never gives.

The truth (a logistic model, one member in one region):

    logit p = OFFSET + base[region]
              + education (none -0.5, general 0, specialised +0.35, higher +0.55, not recorded -0.2)
              + 0.3 if higher education and the region is a city
              + 0.035 per year of experience, up to 20 years
              - 0.002 * (age - 35)^2, and -0.8 more at 16-17 (most are still at school)
              - 0.3 for a woman, and -0.35 more per child under 7 (at most two)
              + language: w[region] * L[Russian] + (1 - w[region]) * L[Kazakh], L = (none -0.8, basic 0, fluent
                +0.4); w is the weight of Russian in the region's labour market (0.05 in Turkistan, 0.9 in
                North Kazakhstan)
              + fit[region sector][ISCO-08 major group]: agriculture in the south rewards farmers, the northern
                farms machine operators and teachers, the industrial north and the oil west trades and
                operators, the cities professionals and services
              + origin (China -0.35, Mongolia -0.2, Turkmenistan -0.1, Russia +0.15, Uzbekistan 0, other -0.1)

OFFSET is set so that about 45% of working-age arrivals are employed at 12 months under the historical
pattern of settlement, as in 2025 (1,041 of 2,307, domain.md §3). Employment at 3 and 6 months is drawn nested
inside it (45% and 75% of the 12-month probability); staying in the region depends on the family's work and on
the region.
"""

import csv
import math
import random
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import numpy as np

from koshiqon.placement.domain.demography import draw_families
from koshiqon.placement.domain.features import (
    FamilyFacts,
    FloatArray,
    MemberTable,
    Outcome,
    WorkingAge,
    member_table,
    region_codes,
    sum_by_family,
)

REGIONS_CSV = Path(__file__).resolve().parents[2] / "reference" / "data" / "regions.csv"

OFFSET = 0.287  # calibrated: see calibrated_offset() and the tests
EDUCATION = np.array([-0.5, 0.0, 0.35, 0.55, -0.2])  # by features.EDUCATION_GROUPS
LANGUAGE = np.array([-0.8, 0.0, 0.4])  # by features.LANGUAGE_LEVELS
ORIGIN = {"CN": -0.35, "MN": -0.2, "TM": -0.1, "RU": 0.15, "UZ": 0.0}
OTHER_ORIGIN = -0.1
SHARE_3M, SHARE_6M = 0.45, 0.75
# Fit of an ISCO-08 major group (0-9, then "no occupation") to a region's economy.
SECTORS: dict[str, tuple[float, ...]] = {
    #              0     1     2     3     4     5     6     7     8     9   none
    "agri_south": (0.0, -0.3, -0.2, -0.1, -0.2, 0.0, 0.6, 0.0, 0.0, 0.2, -0.2),
    "agri_north": (0.0, -0.1, 0.3, 0.2, -0.1, -0.1, 0.7, 0.3, 0.5, 0.0, -0.2),
    "industrial": (0.0, 0.0, 0.3, 0.5, 0.0, 0.0, -0.4, 0.7, 0.8, 0.1, -0.3),
    "oil": (0.0, 0.0, 0.2, 0.4, 0.0, 0.1, -0.6, 0.5, 0.6, -0.1, -0.3),
    "city": (0.0, 0.4, 0.7, 0.5, 0.4, 0.4, -1.0, 0.2, 0.1, -0.1, -0.2),
}


@dataclass(frozen=True)
class RegionProfile:
    """What the truth knows of a region (illustrative): its sector, demand for newcomers (`base`), the weight
    of Russian at work, whether it is a city, its pull on staying, and its historical share of kandas
    arrivals (domain.md §2: South Kazakhstan 21.2%, Almaty region 16.3%, Mangystau 13%, Zhambyl 9.4%; the
    rest spread by illustrative weights)."""

    code: str
    sector: str
    base: float
    russian: float
    stay: float
    share: float
    city: bool = False


PROFILES: dict[str, RegionProfile] = {p.code: p for p in (
    RegionProfile("KZ-10", "agri_north", 0.2, 0.5, 0.0, 2.0),  # Abai
    RegionProfile("KZ-11", "agri_north", 0.3, 0.7, -0.3, 1.5),  # Akmola
    RegionProfile("KZ-15", "oil", 0.0, 0.4, 0.0, 3.0),  # Aktobe
    RegionProfile("KZ-19", "agri_south", -0.3, 0.2, 0.4, 16.3),  # Almaty region
    RegionProfile("KZ-23", "oil", 0.1, 0.2, 0.1, 3.0),  # Atyrau
    RegionProfile("KZ-27", "oil", 0.1, 0.5, -0.2, 1.5),  # West Kazakhstan
    RegionProfile("KZ-31", "agri_south", -0.4, 0.2, 0.4, 9.4),  # Zhambyl
    RegionProfile("KZ-33", "agri_south", -0.2, 0.3, 0.3, 3.0),  # Zhetisu
    RegionProfile("KZ-35", "industrial", 0.3, 0.8, -0.2, 2.5),  # Karaganda
    RegionProfile("KZ-39", "agri_north", 0.4, 0.8, -0.4, 1.0),  # Kostanay
    RegionProfile("KZ-43", "agri_south", -0.5, 0.1, 0.3, 4.0),  # Kyzylorda
    RegionProfile("KZ-47", "oil", -0.4, 0.2, 0.3, 13.0),  # Mangystau
    RegionProfile("KZ-55", "industrial", 0.5, 0.8, -0.4, 1.5),  # Pavlodar
    RegionProfile("KZ-59", "agri_north", 0.4, 0.9, -0.5, 1.0),  # North Kazakhstan
    RegionProfile("KZ-61", "agri_south", -0.7, 0.05, 0.5, 21.2),  # Turkistan
    RegionProfile("KZ-62", "industrial", 0.3, 0.5, -0.5, 0.6),  # Ulytau
    RegionProfile("KZ-63", "industrial", 0.3, 0.8, -0.3, 2.5),  # East Kazakhstan
    RegionProfile("KZ-71", "city", 0.4, 0.6, 0.5, 3.0, city=True),  # Astana
    RegionProfile("KZ-75", "city", 0.3, 0.8, 0.5, 5.0, city=True),  # Almaty city
    RegionProfile("KZ-79", "city", -0.3, 0.3, 0.5, 5.0, city=True),  # Shymkent
)}
# Where relatives already live pulls families of an origin to some regions (illustrative multipliers).
RELATIVES: dict[str, dict[str, float]] = {
    "UZ": {"KZ-61": 2.0, "KZ-79": 2.0, "KZ-31": 1.5, "KZ-43": 1.5},
    "CN": {"KZ-19": 3.0, "KZ-33": 3.0, "KZ-10": 3.0, "KZ-63": 2.0},
    "MN": {"KZ-10": 4.0, "KZ-63": 3.0, "KZ-11": 2.0, "KZ-35": 2.0},
    "TM": {"KZ-47": 4.0},
    "RU": {"KZ-39": 4.0, "KZ-59": 4.0, "KZ-55": 4.0, "KZ-27": 4.0, "KZ-11": 3.0},
}


class UnknownRegionError(KeyError):
    """The truth has no profile for a region code."""


def current_region_codes(on: date | None = None) -> tuple[str, ...]:
    """The region codes in force on `on` (today when None), read from the reference data file."""
    day = (on or date.today()).isoformat()
    with REGIONS_CSV.open(encoding="utf-8", newline="") as handle:
        return tuple(
            row["code"] for row in csv.DictReader(handle)
            if (not row["valid_from"] or row["valid_from"] <= day) and (not row["valid_to"] or day < row["valid_to"])
        )


def _profiles(regions: Sequence[str]) -> list[RegionProfile]:
    missing = [r for r in regions if r not in PROFILES]
    if missing:
        raise UnknownRegionError(f"no ground-truth profile for {', '.join(missing)}")
    return [PROFILES[r] for r in regions]


def _member_part(table: MemberTable) -> FloatArray:
    """The part of the logit that does not depend on the region."""
    age = table.age
    origin = np.array([ORIGIN.get(o, OTHER_ORIGIN) for o in table.origin], dtype=np.float64)
    return (
        OFFSET + EDUCATION[table.education] + 0.035 * np.minimum(table.experience, 20.0)
        - 0.002 * (age - 35.0) ** 2 - 0.8 * (age < 18)
        - table.female * (0.3 + 0.35 * np.minimum(table.young_children, 2.0)) + origin
    )


def true_logits(table: MemberTable, regions: Sequence[str]) -> FloatArray:
    """Members x regions: the true log-odds of each working-age member being employed at 12 months in each
    region."""
    profiles = _profiles(regions)
    base = np.array([p.base for p in profiles])
    w = np.array([p.russian for p in profiles])
    city = np.array([p.city for p in profiles], dtype=np.float64)
    fit = np.array([SECTORS[p.sector] for p in profiles])  # regions x occupation groups
    higher = (table.education == 3).astype(np.float64)
    out: FloatArray = (
        _member_part(table)[:, None] + base[None, :]
        + w[None, :] * LANGUAGE[table.russian][:, None] + (1 - w[None, :]) * LANGUAGE[table.kazakh][:, None]
        + fit[:, table.occupation].T + 0.3 * higher[:, None] * city[None, :]
    )
    return out


def _sigmoid(x: FloatArray) -> FloatArray:
    out: FloatArray = 1.0 / (1.0 + np.exp(-x))
    return out


def true_member_probabilities(
    families: Sequence[FamilyFacts], regions: Sequence[str], working_age: WorkingAge | None = None,
) -> FloatArray:
    """The true probability of each working-age member (in `member_table` order) being employed at 12 months
    in their family's region, `regions[i]` being family i's region."""
    table = member_table(families, working_age)
    known = sorted(set(regions))
    logits = true_logits(table, known)
    column = region_codes((regions[int(f)] for f in table.family_index), known)
    return _sigmoid(logits[np.arange(table.n), column])


def true_expected_employment(
    families: Sequence[FamilyFacts], regions: Sequence[str], working_age: WorkingAge | None = None,
) -> FloatArray:
    """Families x regions: the true expected number of the family's working-age members employed at 12
    months if it settled in that region."""
    table = member_table(families, working_age)
    return sum_by_family(table.family_index, len(families), _sigmoid(true_logits(table, regions)))


Policy = Callable[[FamilyFacts, Sequence[str], random.Random], str]


def historical_policy(family: FamilyFacts, regions: Sequence[str], rng: random.Random) -> str:
    """Where kandas families settled before placement was optimised: mostly the south and the west, where
    relatives live; professionals somewhat more often in the cities (illustrative)."""
    pull = RELATIVES.get(family.origin, {})
    higher = any(m.education in ("6", "7", "8") for m in family.members)
    weights = [
        PROFILES[r].share * pull.get(r, 1.0) * (2.0 if higher and PROFILES[r].city else 1.0) for r in regions
    ]
    return rng.choices(list(regions), weights=weights)[0]


def uniform_policy(family: FamilyFacts, regions: Sequence[str], rng: random.Random) -> str:
    """Every region equally likely: the history an experiment would give."""
    return rng.choice(list(regions))


POLICIES: Mapping[str, Policy] = {"historical": historical_policy, "uniform": uniform_policy}


@dataclass(frozen=True)
class History:
    """Past arrivals: the families, where each settled, and the outcomes of their working-age members."""

    families: tuple[FamilyFacts, ...]
    regions: dict[str, str]  # family id -> region
    outcomes: tuple[Outcome, ...]


def generate_history(
    n_families: int, regions: Sequence[str], seed: int, assignment_policy: str | Policy = "historical",
    working_age: WorkingAge | None = None,
) -> History:
    """`n_families` past arrivals settled in `regions` by `assignment_policy` ("historical", "uniform" or a
    function), with outcomes drawn from the truth. Deterministic in `seed`."""
    policy = POLICIES[assignment_policy] if isinstance(assignment_policy, str) else assignment_policy
    _profiles(regions)
    families = draw_families(n_families, seed=seed, prefix="H")
    rng = random.Random(seed * 7919 + 1)
    settled = [policy(f, regions, rng) for f in families]
    table = member_table(families, working_age)
    known = list(regions)
    logits = true_logits(table, known)
    column = region_codes((settled[int(f)] for f in table.family_index), known)
    p12 = _sigmoid(logits[np.arange(table.n), column])
    draws = np.random.default_rng(seed).random(table.n)
    employed = draws < p12
    anyone = np.bincount(table.family_index, weights=employed.astype(np.float64), minlength=len(families)) > 0
    outcomes: list[Outcome] = []
    stays: dict[int, bool] = {}
    for row in range(table.n):
        f_i = int(table.family_index[row])
        if f_i not in stays:
            # A family stays or leaves together; work holds it, and so do relatives and the climate.
            pull = PROFILES[settled[f_i]].stay + (0.3 if families[f_i].origin == "RU" else 0.0)
            stays[f_i] = rng.random() < 1 / (1 + math.exp(-(1.0 + 1.2 * bool(anyone[f_i]) + pull)))
        u = float(draws[row])
        outcomes.append(Outcome(
            family_id=families[f_i].id, member_index=int(table.member_index[row]), region=settled[f_i],
            employed_3m=bool(u < SHARE_3M * p12[row]), employed_6m=bool(u < SHARE_6M * p12[row]),
            employed_12m=bool(employed[row]), stayed_12m=stays[f_i],
        ))
    return History(
        families=families, regions={f.id: r for f, r in zip(families, settled, strict=True)},
        outcomes=tuple(outcomes),
    )


def calibrated_offset(
    target: float = 0.45, *, n_families: int = 20000, seed: int = 1, regions: Sequence[str] | None = None,
) -> float:
    """The OFFSET that gives `target` employment at 12 months under the historical policy (how OFFSET was
    chosen; kept to redo it when a coefficient changes)."""
    codes = list(regions or PROFILES)
    families = draw_families(n_families, seed=seed, prefix="C")
    rng = random.Random(seed)
    settled = [historical_policy(f, codes, rng) for f in families]
    table = member_table(families)
    logits = true_logits(table, codes) - OFFSET
    column = region_codes((settled[int(f)] for f in table.family_index), codes)
    z = logits[np.arange(table.n), column]
    low, high = -5.0, 5.0
    for _ in range(60):
        mid = (low + high) / 2
        low, high = (mid, high) if float(_sigmoid(z + mid).mean()) < target else (low, mid)
    return round((low + high) / 2, 3)
