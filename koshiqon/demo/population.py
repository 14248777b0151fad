"""Households of the synthetic population: who lives together, their ages, names and documents. Pure Python.

A household is a head, usually a spouse, the children (grown-up ones have often left) and sometimes an elderly
parent. Sizes average about 3.7, as the kandas families counted to 2016 did; pensioners are about 4.5% and
children under working age (16) about 40%.
"""

import random
from collections.abc import Iterator
from datetime import date

from koshiqon.demo import names as pools
from koshiqon.demo.synth import (
    CHILDREN,
    FOREIGN_CULTURE,
    DemoConfig,
    DocumentNumbers,
    IinAllocator,
    Picker,
    SynthFamily,
    SynthPassport,
    SynthPerson,
    _add_years,
    _latin,
)

Names = tuple[str, str, str, str, str]
# Calibrated so that kandas households average about 3.7 persons, 40% of them under 16 (domain.md §2).
SPOUSE_SHARE = 0.92
LEAVE_HOME_SHARE = 0.25
_RUSSIAN_PATRONYMICS = {name: (son, daughter) for name, son, daughter in pools.RUSSIAN_MALE}  # surname, given name, patronymic, surname (Latin), given name (Latin)


class _Lineage:
    """How one household's names are formed, fixed when the household is drawn."""

    def __init__(self, rng: random.Random, culture: str, origin: str) -> None:
        self.rng, self.culture = rng, culture
        choice = rng.choice
        if culture == "kazakh":
            # Kandas from China and Mongolia mostly kept the -ұлы/-қызы form and often have no patronymic.
            eastern = origin in ("CN", "MN")
            self.uly = rng.random() < (0.6 if eastern else 0.15)
            roll = rng.random()
            self.patronymic_style = ("none" if roll < 0.5 else "uly") if eastern else ("uly" if roll < 0.35 else "ov")
            self.root = choice(pools.KAZAKH_ROOTS)
        elif culture == "russian":
            self.surname = choice(pools.RUSSIAN_SURNAMES)
        elif culture in pools.CENTRAL_ASIAN:
            self.male, self.female, surnames = pools.CENTRAL_ASIAN[culture]
            self.surname = choice(surnames)
            self.with_patronymic = rng.random() < 0.6
        else:
            self.male_pairs, self.female_pairs = (
                (pools.CHINESE[1], pools.CHINESE[2]) if culture == "chinese" else (pools.TURKISH[1], pools.TURKISH[2])
            )
            self.surname_pair = choice(pools.CHINESE[0] if culture == "chinese" else pools.TURKISH[0])
            self.latin_given = {"M": dict(self.male_pairs), "F": dict(self.female_pairs)}
        # In the -ұлы form the head's surname names the head's father.
        self.father_of_head = self.root if culture == "kazakh" and self.uly else self.given("M")
        # The children's father when the head is their mother.
        self.other_parent = self.given("M")
        self.given_names_used: set[str] = set()

    def given(self, sex: str) -> str:
        return self._pick_given(sex)

    def unused_given(self, sex: str) -> str:
        """A given name nobody else in the household bears (parents do not give two children one name)."""
        for _ in range(5):
            name = self._pick_given(sex)
            if name not in self.given_names_used:
                break
        self.given_names_used.add(name)
        return name

    def _pick_given(self, sex: str) -> str:
        choice = self.rng.choice
        if self.culture == "kazakh":
            return choice(pools.KAZAKH_MALE if sex == "M" else pools.KAZAKH_FEMALE)
        if self.culture == "russian":
            return choice(pools.RUSSIAN_MALE)[0] if sex == "M" else choice(pools.RUSSIAN_FEMALE)
        if self.culture in pools.CENTRAL_ASIAN:
            return choice(self.male if sex == "M" else self.female)
        return choice(self.male_pairs if sex == "M" else self.female_pairs)[0]

    def _latin_given(self, given: str, sex: str) -> str:
        if self.culture in ("chinese", "turkish"):
            return self.latin_given[sex][given]
        return _latin(given)

    def patronymic(self, father: str, sex: str) -> str:
        if self.culture == "kazakh":
            if self.patronymic_style == "none":
                return ""
            return pools.uly_name(father, sex) if self.patronymic_style == "uly" else pools.russian_style_patronymic(father, sex)
        if self.culture == "russian":
            forms = _RUSSIAN_PATRONYMICS[father]
            return forms[1] if sex == "F" else forms[0]
        if self.culture in pools.CENTRAL_ASIAN:
            return pools.russian_style_patronymic(father, sex) if self.with_patronymic else ""
        return ""

    def person(self, role: str, sex: str, *, head_first: str = "", head_sex: str = "M") -> Names:
        """Names of a member: role is head, spouse (of a male head), child or parent (of the head)."""
        given = self.father_of_head if role == "parent" and sex == "M" else self.unused_given(sex)
        if role == "head":
            father = self.father_of_head
        elif role == "child":
            father = head_first if head_sex == "M" else self.other_parent
        else:
            father = self.given("M")
        if self.culture == "kazakh":
            if self.uly:
                # "Серікұлы" is the son of Серік: the name says who the father is, so no patronymic follows.
                named_after = {"head": self.root, "child": father, "spouse": self.given("M")}.get(role, self.given("M"))
                surname, patronymic = pools.uly_name(named_after, sex), ""
            else:
                root = self.root if role != "spouse" or self.rng.random() < 0.6 else self.rng.choice(pools.KAZAKH_ROOTS)
                surname, patronymic = pools.ov_surname(root, sex), self.patronymic(father, sex)
            return surname, given, patronymic, _latin(surname), _latin(given)
        if self.culture in ("chinese", "turkish"):
            surname_pair = self.surname_pair
            if role == "spouse" and self.culture == "chinese":  # a Chinese wife keeps her own surname
                surname_pair = self.rng.choice(pools.CHINESE[0])
            return surname_pair[0], given, "", surname_pair[1], self._latin_given(given, sex)
        surname = pools.feminine_surname(self.surname) if sex == "F" else self.surname
        return surname, given, self.patronymic(father, sex), _latin(surname), _latin(given)


class Synthesizer:
    """Households drawn one after another from a seeded generator; see koshiqon.demo.synth for the shares."""

    def __init__(self, seed: int, config: DemoConfig) -> None:
        self.config = config
        self.rng = random.Random(seed)
        self.iins = IinAllocator(seed)
        self.numbers = DocumentNumbers(seed)
        self.segment = Picker(config.segments)
        self.origin = Picker(config.kandas_origins) if config.kandas_origins else None
        self.kandas_region = Picker(config.kandas_regions) if config.kandas_regions else None
        self.citizen_region = Picker(config.citizen_regions) if config.citizen_regions else None
        self.foreign_region = Picker(config.foreigner_regions) if config.foreigner_regions else None
        self.foreign_country = Picker(config.foreigner_countries) if config.foreigner_countries else None
        self.children = Picker(CHILDREN)
        self.as_of_ordinal = config.as_of.toordinal()

    def households(self, size: int) -> Iterator[SynthFamily]:
        """Households until exactly `size` persons; the last one is cut short if it would overflow."""
        produced = 0
        while produced < size:
            family = self.household()
            family.members = family.members[: size - produced]
            produced += len(family.members)
            yield family

    def household(self) -> SynthFamily:
        rng, cfg = self.rng, self.config
        segment = self.segment(rng)
        single = False
        if segment == "kandas":
            origin, region = self.origin(rng), self.kandas_region(rng)
            culture = "kazakh"
            citizenship = "KZ" if rng.random() < cfg.kandas_citizen_share else origin
            with_iin = citizenship == "KZ" or rng.random() < 0.8
        elif segment == "citizen":
            origin, region, citizenship, with_iin = "KZ", self.citizen_region(rng), "KZ", True
            culture = "russian" if rng.random() < cfg.russian_citizen_share else "kazakh"
        else:
            origin, region = self.foreign_country(rng), self.foreign_region(rng)
            culture, citizenship = FOREIGN_CULTURE[origin], origin
            with_iin = rng.random() < 0.5
            single = rng.random() < cfg.foreigner_single_share
        lineage = _Lineage(rng, culture, origin)
        family = SynthFamily(region=region, segment=segment, origin=origin, household=not single)
        members = family.members

        if segment == "foreigner":
            head_sex = "M" if rng.random() < 0.7 else "F"
            head_age = int(rng.triangular(20, 56, 32))
        else:
            head_sex = "M" if rng.random() < 0.85 else "F"
            head_age = rng.randint(63, 85) if rng.random() < 0.045 else int(rng.triangular(22, 63, 36))
        head_names = lineage.person("head", head_sex)
        members.append(self._person(head_names, head_sex, head_age, citizenship, "head", with_iin))
        if single:
            return family
        mother_age = head_age if head_sex == "F" else head_age - 3
        if head_sex == "M" and rng.random() < SPOUSE_SHARE:
            wife_age = max(19, head_age - int(rng.triangular(-2, 10, 3)))
            mother_age = wife_age
            members.append(self._person(lineage.person("spouse", "F"), "F", wife_age, citizenship, "spouse", with_iin))
        if head_age < 63:
            for _ in range(self.children(rng)):
                # Born when the mother was 19 to 45; grown-up children have often left the household.
                youngest, oldest = max(0, mother_age - 45), mother_age - 19
                if oldest < youngest:
                    break
                age = rng.randint(youngest, oldest)
                if age >= 18 and (age > 30 or rng.random() < LEAVE_HOME_SHARE):
                    continue
                sex = "M" if rng.random() < 0.51 else "F"
                names = lineage.person("child", sex, head_first=head_names[1], head_sex=head_sex)
                members.append(self._person(names, sex, age, citizenship, "child", with_iin))
        if head_age < 55 and rng.random() < 0.11:
            sex = "F" if rng.random() < 0.65 else "M"
            age = max(head_age + 20, int(rng.triangular(63, 90, 70)))
            members.append(self._person(lineage.person("parent", sex), sex, age, citizenship, "parent", with_iin))
        return family

    def _person(self, names, sex: str, age: int, citizenship: str, relation: str, with_iin: bool) -> SynthPerson:
        rng = self.rng
        birth = date.fromordinal(self.as_of_ordinal - int(age * 365.2425) - rng.randrange(365))
        last, first, patronymic, last_latin, first_latin = names
        person = SynthPerson(last, first, patronymic, last_latin, first_latin, birth, sex, citizenship, relation)
        if with_iin:
            person.iin = self.iins.allocate(birth, sex)
        adult = age >= 16
        share = (0.25 if adult else 0.1) if citizenship == "KZ" else (0.9 if adult else 0.6)
        if age >= 1 and rng.random() < share:
            issued = date.fromordinal(max(birth.toordinal() + 30, self.as_of_ordinal - rng.randrange(30, 3650)))
            expires = _add_years(issued, 10 if issued >= _add_years(birth, 16) else 5)
            person.passport = SynthPassport(citizenship, issued, expires, self.numbers.allocate(citizenship))
        return person
