"""A deterministic synthetic population for demonstrations and benchmarks. Pure Python.

The same seed and configuration give the same persons, families and documents, in the same order. The
shares are calibrated on what is known of the kandas who came to Kazakhstan (to 1 January 2016: 957,772
people in 261,104 families, 3.7 per family; origin Uzbekistan 61.6%, China 14.2%, Mongolia 9.2%,
Turkmenistan 6.8%, Russia 4.6%, other 3.6%; settled in South Kazakhstan 21.2%, Almaty region 16.3%,
Mangystau 13%, Zhambyl 9.4%; children under working age 39.9%, pensioners 4.5%; domain.md §2). Citizens of Kazakhstan (internal
settlers, spread like the population) and foreign workers (mostly single, in the cities and oil regions)
complete the registry.

Every IIN is valid and unique within a run; every passport zone is valid ICAO 9303 TD3.
"""

import random
from bisect import bisect
from dataclasses import dataclass, field, replace
from datetime import date
from functools import lru_cache
from itertools import accumulate

from koshiqon.people.domain.iin import make_iin
from koshiqon.people.domain.mrz import make_td3
from koshiqon.people.domain.names import latin_from_cyrillic

Weights = tuple[tuple[str, float], ...]

# South Kazakhstan's 21.2% is split between Turkistan region and Shymkent, which left it in 2018.
KANDAS_REGIONS: Weights = (
    ("KZ-61", 16.2), ("KZ-79", 5.0), ("KZ-19", 16.3), ("KZ-47", 13.0), ("KZ-31", 9.4), ("KZ-11", 4.0),
    ("KZ-15", 4.0), ("KZ-23", 3.0), ("KZ-27", 2.0), ("KZ-35", 3.0), ("KZ-39", 2.5), ("KZ-43", 3.0),
    ("KZ-55", 4.0), ("KZ-59", 2.0), ("KZ-63", 3.0), ("KZ-10", 2.0), ("KZ-33", 3.0), ("KZ-62", 0.6),
    ("KZ-71", 2.0), ("KZ-75", 2.0),
)
# Roughly the resident population of each region (per cent, 2024).
CITIZEN_REGIONS: Weights = (
    ("KZ-75", 11.0), ("KZ-71", 7.5), ("KZ-79", 6.0), ("KZ-61", 11.0), ("KZ-19", 7.5), ("KZ-31", 6.0),
    ("KZ-35", 5.5), ("KZ-63", 3.7), ("KZ-15", 4.7), ("KZ-43", 4.0), ("KZ-47", 4.0), ("KZ-23", 3.5),
    ("KZ-55", 3.8), ("KZ-39", 4.2), ("KZ-11", 3.8), ("KZ-59", 2.7), ("KZ-27", 3.5), ("KZ-10", 3.1),
    ("KZ-33", 3.5), ("KZ-62", 1.1),
)
FOREIGNER_REGIONS: Weights = (
    ("KZ-75", 25.0), ("KZ-71", 20.0), ("KZ-23", 12.0), ("KZ-47", 10.0), ("KZ-79", 10.0), ("KZ-15", 5.0),
    ("KZ-35", 5.0), ("KZ-63", 4.0), ("KZ-55", 4.0), ("KZ-27", 5.0),
)
# "Other" origins (3.6%) spread over the neighbours and the Kazakh diasporas of Afghanistan, Iran, Turkey.
KANDAS_ORIGINS: Weights = (
    ("UZ", 61.6), ("CN", 14.2), ("MN", 9.2), ("TM", 6.8), ("RU", 4.6), ("KG", 1.2), ("TJ", 0.8), ("AF", 0.6),
    ("IR", 0.5), ("TR", 0.5),
)
FOREIGNER_COUNTRIES: Weights = (("UZ", 35.0), ("CN", 15.0), ("RU", 15.0), ("TR", 10.0), ("KG", 15.0), ("TJ", 10.0))
FOREIGN_CULTURE = {"UZ": "uzbek", "KG": "kyrgyz", "TJ": "tajik", "CN": "chinese", "TR": "turkish", "RU": "russian"}

CHILDREN = ((0, 14.0), (1, 24.0), (2, 29.0), (3, 19.0), (4, 9.0), (5, 5.0))
MAX_SERIAL = 9999


@dataclass(frozen=True)
class DemoConfig:
    """What the population is made of. `restricted` drops the codes a database lacks."""

    as_of: date = date(2026, 1, 1)
    segments: Weights = (("kandas", 55.0), ("citizen", 30.0), ("foreigner", 15.0))
    kandas_origins: Weights = KANDAS_ORIGINS
    kandas_regions: Weights = KANDAS_REGIONS
    citizen_regions: Weights = CITIZEN_REGIONS
    foreigner_regions: Weights = FOREIGNER_REGIONS
    foreigner_countries: Weights = FOREIGNER_COUNTRIES
    kandas_citizen_share: float = 0.6
    russian_citizen_share: float = 0.25
    foreigner_single_share: float = 0.8

    def region_codes(self) -> list[str]:
        return sorted({c for w in (self.kandas_regions, self.citizen_regions, self.foreigner_regions) for c, _ in w})

    def country_codes(self) -> list[str]:
        return sorted({"KZ"} | {c for w in (self.kandas_origins, self.foreigner_countries) for c, _ in w})

    def restricted(self, regions: set[str], countries: set[str]) -> "DemoConfig":
        def keep(weights: Weights, codes: set[str]) -> Weights:
            return tuple((c, w) for c, w in weights if c in codes)

        cfg = replace(
            self,
            kandas_origins=keep(self.kandas_origins, countries),
            kandas_regions=keep(self.kandas_regions, regions),
            citizen_regions=keep(self.citizen_regions, regions),
            foreigner_regions=keep(self.foreigner_regions, regions),
            foreigner_countries=keep(self.foreigner_countries, countries),
        )
        usable = {
            "kandas": bool(cfg.kandas_origins and cfg.kandas_regions),
            "citizen": bool("KZ" in countries and cfg.citizen_regions),
            "foreigner": bool(cfg.foreigner_countries and cfg.foreigner_regions),
        }
        cfg = replace(cfg, segments=tuple((s, w) for s, w in cfg.segments if usable[s]))
        if "KZ" not in countries:
            cfg = replace(cfg, kandas_citizen_share=0.0)
        return cfg


@dataclass(slots=True)
class SynthPassport:
    country: str
    issued_on: date
    expires_on: date
    number: str = ""
    mrz: str = ""


@dataclass(slots=True)
class SynthPerson:
    last_name: str
    first_name: str
    patronymic: str
    last_name_latin: str
    first_name_latin: str
    birth_date: date
    sex: str
    citizenship: str
    relation: str
    iin: str | None = None
    passport: SynthPassport | None = None


@dataclass(slots=True)
class SynthFamily:
    region: str
    segment: str
    origin: str
    members: list[SynthPerson] = field(default_factory=list)
    # Single foreign workers are registered as persons, not as households.
    household: bool = True

    @property
    def name(self) -> str:
        return self.members[0].last_name


class Picker:
    """Weighted choice over a fixed table, by bisection on cumulative weights."""

    def __init__(self, weights: Weights | tuple[tuple[int, float], ...]) -> None:
        if not weights:
            raise ValueError("nothing to choose from")
        self.values = [v for v, _ in weights]
        self.cumulative = list(accumulate(w for _, w in weights))

    def __call__(self, rng: random.Random):
        return self.values[bisect(self.cumulative, rng.random() * self.cumulative[-1])]


class IinAllocator:
    """Valid IINs, unique within the run: serials count up per date of birth and sex from a base that
    depends on the seed, so runs with different seeds rarely meet (the database check catches it if they do).
    """

    def __init__(self, seed: int) -> None:
        self.base = 1000 + (seed % 8) * 1000
        self.next_serial: dict[tuple[date, str], int] = {}

    def allocate(self, birth: date, sex: str) -> str:
        key = (birth, sex)
        serial = self.next_serial.get(key, self.base)
        if serial > MAX_SERIAL:
            serial = 0
        iin = make_iin(birth, sex, serial)
        self.next_serial[key] = int(iin[7:11]) + 1
        return iin


class DocumentNumbers:
    """Passport numbers in each country's shape (a letter, then 8 digits: 2 from the seed, 6 counted)."""

    PREFIX = {"KZ": "N", "UZ": "F", "CN": "E", "MN": "E", "TM": "A", "RU": "7", "KG": "A", "TJ": "4", "TR": "U"}

    def __init__(self, seed: int) -> None:
        self.seed_part = f"{seed % 100:02d}"
        self.counter = 0

    def allocate(self, country: str) -> str:
        self.counter += 1
        if self.counter > 999_999:
            raise ValueError("more than 999,999 passports in one demo run")
        return f"{self.PREFIX.get(country, 'P')}{self.seed_part}{self.counter:06d}"


@lru_cache(maxsize=4096)
def _latin(text: str) -> str:
    return latin_from_cyrillic(text)


def passport_mrz(person: SynthPerson, alpha3: str) -> str:
    """The passport's zone; Kazakhstan's passports carry the IIN as the personal number."""
    assert person.passport is not None
    return make_td3(
        surname=person.last_name_latin, given_names=person.first_name_latin,
        document_number=person.passport.number, nationality=alpha3, birth_date=person.birth_date,
        sex=person.sex, expiry_date=person.passport.expires_on,
        personal_number=person.iin if person.passport.country == "KZ" and person.iin else "",
    )


def _add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)
