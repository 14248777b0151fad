"""The synthetic population, without a database."""

from collections import Counter
from datetime import date

import pytest

from koshiqon.demo.population import Synthesizer
from koshiqon.demo.synth import DemoConfig, passport_mrz
from koshiqon.people.domain.iin import iin_birth_date, iin_sex, is_valid_iin
from koshiqon.people.domain.mrz import parse_mrz
from koshiqon.people.domain.names import latin_from_cyrillic

CONFIG = DemoConfig()
ALPHA3 = {"KZ": "KAZ", "UZ": "UZB", "CN": "CHN", "MN": "MNG", "TM": "TKM", "RU": "RUS", "KG": "KGZ", "TJ": "TJK",
          "AF": "AFG", "IR": "IRN", "TR": "TUR"}


def households(size: int, seed: int = 1, config: DemoConfig = CONFIG):
    return list(Synthesizer(seed, config).households(size))


def persons(families):
    return [p for f in families for p in f.members]


@pytest.fixture(scope="module")
def sample():
    return households(40_000, seed=11)


def test_the_same_seed_gives_the_same_households_and_another_seed_other_ones():
    assert households(3000, seed=4) == households(3000, seed=4)
    assert persons(households(3000, seed=4)) != persons(households(3000, seed=5))


def test_it_produces_exactly_the_number_of_persons_asked_for():
    for size in (1, 2, 7, 999):
        assert len(persons(households(size))) == size


def test_every_iin_is_valid_unique_and_agrees_with_the_birth_date_and_sex(sample):
    people = [p for p in persons(sample) if p.iin]
    assert len(people) > 30_000
    assert all(is_valid_iin(p.iin) for p in people)
    assert len({p.iin for p in people}) == len(people)
    assert all(iin_birth_date(p.iin) == p.birth_date and iin_sex(p.iin) == p.sex for p in people)


def test_every_passport_has_a_valid_zone_that_agrees_with_its_holder(sample):
    holders = [p for p in persons(sample)[:5000] if p.passport]
    assert len(holders) > 1000
    assert len({p.passport.number for p in holders}) == len(holders)
    for p in holders:
        mrz = parse_mrz(passport_mrz(p, ALPHA3[p.passport.country]), today=date(2026, 1, 1))
        assert mrz.is_valid, (p, mrz.problems)
        assert (mrz.document_number, mrz.birth_date, mrz.sex, mrz.expiry_date) == (
            p.passport.number, p.birth_date, p.sex, p.passport.expires_on)
        assert mrz.nationality == ALPHA3[p.citizenship]
        assert p.passport.issued_on >= p.birth_date and p.passport.expires_on > p.passport.issued_on


def test_kandas_origins_follow_the_shares_counted_to_2016(sample):
    kandas = [f for f in sample if f.segment == "kandas"]
    shares = {k: v / len(kandas) * 100 for k, v in Counter(f.origin for f in kandas).items()}
    for origin, expected in (("UZ", 61.6), ("CN", 14.2), ("MN", 9.2), ("TM", 6.8), ("RU", 4.6)):
        assert shares[origin] == pytest.approx(expected, abs=1.5), origin
    other = sum(v for k, v in shares.items() if k not in ("UZ", "CN", "MN", "TM", "RU"))
    assert other == pytest.approx(3.6, abs=1.0)


def test_kandas_households_have_the_size_and_ages_counted_to_2016(sample):
    kandas = [f for f in sample if f.segment == "kandas"]
    people = persons(kandas)
    assert len(people) / len(kandas) == pytest.approx(3.67, abs=0.15)
    ages = [(date(2026, 1, 1) - p.birth_date).days / 365.2425 for p in people]
    # Children are those below working age (16), as Kazakhstan's statistics count them.
    children = sum(a < 16 for a in ages) / len(ages) * 100
    pensioners = sum(a >= 63 for a in ages) / len(ages) * 100
    assert children == pytest.approx(39.9, abs=2)
    assert pensioners == pytest.approx(4.5, abs=1)


def test_kandas_settle_mostly_in_the_south_and_west_as_counted_to_2016(sample):
    kandas = [f for f in sample if f.segment == "kandas"]
    regions = Counter(f.region for f in kandas)
    south = (regions["KZ-61"] + regions["KZ-79"]) / len(kandas) * 100  # South Kazakhstan before 2018
    assert south == pytest.approx(21.2, abs=1.5)
    assert regions["KZ-47"] / len(kandas) * 100 == pytest.approx(13.0, abs=1.5)


def test_surnames_and_patronymics_take_the_form_of_the_person_s_sex(sample):
    for p in persons(sample):
        if p.citizenship in ("CN", "TR"):  # no suffixes: "Шахин" is a Turkish surname, not a Russian form
            continue
        if p.last_name.endswith("ұлы") or p.patronymic.endswith(("ұлы", "вич", "ич")):
            assert p.sex == "M", p
        if p.last_name.endswith("қызы") or p.patronymic.endswith(("қызы", "вна", "чна")):
            assert p.sex == "F", p
        if p.last_name.endswith(("ов", "ев", "ёв", "ин")):
            assert p.sex == "M", p
        if p.last_name.endswith(("ова", "ева", "ёва", "ина")):
            assert p.sex == "F", p


def test_a_wife_who_took_her_husband_s_name_has_its_female_form():
    for family in households(5000, seed=3):
        head, *others = family.members
        for member in others:
            if member.relation == "spouse" and head.last_name.endswith(("ов", "ев")) and member.last_name.startswith(head.last_name):
                assert member.last_name == head.last_name + "а"


def test_latin_names_are_the_passport_spelling_except_for_names_from_latin_script_countries(sample):
    for p in persons(sample[:3000]):
        if p.citizenship in ("CN", "TR"):
            assert p.last_name_latin.isascii() and p.last_name_latin.isupper()
        else:
            assert p.last_name_latin == latin_from_cyrillic(p.last_name)
            assert p.first_name_latin == latin_from_cyrillic(p.first_name)


def test_every_household_has_one_head_first_and_lives_in_one_region(sample):
    for family in sample:
        relations = [m.relation for m in family.members]
        assert relations[0] == "head" and relations.count("head") == 1
    assert {f.region for f in sample} <= set(CONFIG.region_codes())


def test_a_database_without_some_regions_and_countries_gets_a_population_without_them():
    config = CONFIG.restricted({"KZ-55", "KZ-75"}, {"KZ", "UZ", "CN"})
    people = households(2000, config=config)
    assert {f.region for f in people} <= {"KZ-55", "KZ-75"}
    assert {p.citizenship for p in persons(people)} <= {"KZ", "UZ", "CN"}
    assert {f.origin for f in people if f.segment == "kandas"} <= {"UZ", "CN"}


def test_without_kazakhstan_in_the_countries_there_are_no_citizens():
    config = CONFIG.restricted({"KZ-55"}, {"UZ"})
    assert [s for s, _ in config.segments] == ["kandas", "foreigner"]
    assert {p.citizenship for p in persons(households(500, config=config))} == {"UZ"}
