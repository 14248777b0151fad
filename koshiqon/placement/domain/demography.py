"""Synthetic kandas families for the demo history and the benchmarks: who arrives, not where they do well.

The shares follow what is known of the kandas who came to 2016 (domain.md §2): origin Uzbekistan 61.6%, China
14.2%, Mongolia 9.2%, Turkmenistan 6.8%, Russia 4.6%, other 3.6%; 3.67 persons per family (957,772 people in
261,104 families); of the working-age adults, higher education 8.8%, specialised secondary 20.6%, general
secondary 60.8%, none 9.8%. Languages by origin and occupations by education mirror the kandas demo
(koshiqon/kandas/demo.py) so that the demo applications and the demo history look alike. The family shapes
(spouse, children, an elderly parent) are illustrative.

Deterministic: the same seed gives the same families (Python's `random.Random`, which is stable across
versions for the calls used here).
"""

import random
from collections.abc import Sequence
from typing import TypeVar

from koshiqon.placement.domain.features import FamilyFacts, MemberFacts

ORIGINS: tuple[tuple[str, float], ...] = (("UZ", 61.6), ("CN", 14.2), ("MN", 9.2), ("TM", 6.8), ("RU", 4.6), ("KG", 1.4), ("AF", 0.8),
           ("IR", 0.7), ("TR", 0.4), ("TJ", 0.3))
# ISCED 2011 levels of working-age adults (domain.md §2, as the kandas demo splits them).
ADULT_EDUCATION: tuple[tuple[str, float], ...] = (("6", 7.3), ("7", 1.5), ("4", 15.6), ("5", 5.0), ("3", 60.8), ("2", 7.8), ("1", 2.0))
OCCUPATIONS = {
    "higher": ("214", "215", "221", "222", "226", "231", "233", "234", "241", "242", "251", "261", "263", "112",
               "134"),
    "specialised": ("311", "313", "321", "322", "331", "334", "411", "431", "711", "721", "723", "741", "751",
                    "833", "834"),
    "general": ("522", "524", "611", "612", "613", "711", "712", "721", "751", "833", "911", "921", "931", "932",
                "962"),
    "none": ("611", "612", "613", "911", "921", "931", "962"),
}
GROUP = {"8": "higher", "7": "higher", "6": "higher", "5": "specialised", "4": "specialised", "3": "general"}
# Kazakh and Russian of the adults by country of origin: (none, basic, fluent) weights.
KAZAKH = {"CN": (3, 12, 85), "MN": (2, 8, 90), "UZ": (5, 25, 70), "TM": (5, 30, 65), "RU": (25, 45, 30)}
RUSSIAN = {"CN": (80, 17, 3), "MN": (50, 40, 10), "UZ": (25, 50, 25), "TM": (30, 50, 20), "RU": (0, 5, 95)}
DEFAULT_LANGUAGES = (10, 40, 50)
HEAD_AGES: tuple[tuple[tuple[int, int], float], ...] = (((20, 29), 25), ((30, 39), 30), ((40, 49), 22), ((50, 59), 14), ((60, 70), 9))
CHILDREN: tuple[tuple[int, float], ...] = ((0, 17), (1, 22), (2, 28), (3, 19), (4, 9), (5, 5))
LEVELS = ("none", "basic", "fluent")
T = TypeVar("T")


def _pick(rng: random.Random, weights: Sequence[tuple[T, float]]) -> T:
    values = [v for v, _w in weights]
    shares = [w for _v, w in weights]
    return rng.choices(values, weights=shares)[0]


def _language(rng: random.Random, table: dict[str, tuple[int, int, int]], origin: str, age: int) -> str:
    if age < 4:
        return "none"
    return rng.choices(LEVELS, weights=table.get(origin, DEFAULT_LANGUAGES))[0]


def draw_member(rng: random.Random, *, age: int, sex: str, origin: str) -> MemberFacts:
    """A member's education, occupation, experience and languages for their age, sex and origin."""
    education, occupation, experience = "", "", 0.0
    if 7 <= age < 11:
        education = "1"
    elif 11 <= age < 16:
        education = "2"
    elif 16 <= age < 18:
        education = "3" if rng.random() < 0.5 else "2"
    elif age >= 18:
        education = _pick(rng, ADULT_EDUCATION)
        # Some adults keep house or never worked in a recorded occupation, women more often.
        works = 0.9 if sex == "M" else 0.72
        if rng.random() < works:
            occupation = rng.choice(OCCUPATIONS[GROUP.get(education, "none")])
            most = max(min(age - 18, 40), 0)
            experience = rng.randint(0, most * 10) / 10 if most else 0.0
    return MemberFacts(
        age=age, sex=sex, education=education, occupation=occupation, experience_years=experience,
        kazakh=_language(rng, KAZAKH, origin, age), russian=_language(rng, RUSSIAN, origin, age),
    )


def draw_family(rng: random.Random, family_id: str) -> FamilyFacts:
    """One family: a head, most often a spouse, children by the head's age, sometimes an elderly parent."""
    origin = _pick(rng, ORIGINS)
    low, high = _pick(rng, HEAD_AGES)
    head_age = rng.randint(low, high)
    head_sex = "M" if rng.random() < 0.8 else "F"
    people: list[tuple[int, str]] = [(head_age, head_sex)]
    if head_sex == "M" and rng.random() < 0.85 or head_sex == "F" and rng.random() < 0.25:
        spouse_age = max(18, min(85, round(head_age + rng.gauss(-3 if head_sex == "M" else 3, 3))))
        people.append((spouse_age, "F" if head_sex == "M" else "M"))
    if head_age < 55:
        children = _pick(rng, CHILDREN)
        oldest = max(0, min(head_age - 19, 26))
        for _ in range(children):
            people.append((rng.randint(0, oldest), rng.choice("MF")))
    if head_age < 50 and rng.random() < 0.10:
        people.append((rng.randint(63, 85), "F" if rng.random() < 0.65 else "M"))
    members = tuple(draw_member(rng, age=age, sex=sex, origin=origin) for age, sex in people)
    return FamilyFacts(id=family_id, origin=origin, size=len(members), members=members)


def draw_families(n: int, *, seed: int, prefix: str = "F") -> tuple[FamilyFacts, ...]:
    """`n` families with ids prefix000001, prefix000002..."""
    rng = random.Random(seed)
    return tuple(draw_family(rng, f"{prefix}{i:06d}") for i in range(1, n + 1))
