"""Demo kandas applications made from the demo population."""

import random

import pytest

from koshiqon.core.calendar import work_calendar
from koshiqon.core.models import AuditEvent
from koshiqon.demo.generator import demo_generate
from koshiqon.kandas.demo import KandasDemoError, draw_member, kandas_demo
from koshiqon.kandas.domain.policy import rules_from
from koshiqon.kandas.models import ApplicantMember, Application
from koshiqon.kandas.tests.applications_setup import load_kandas_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def population(reference):
    load_kandas_data()
    demo_generate(size=600, seed=7)


def test_the_demo_files_applications_for_foreign_families_across_the_procedure(population):
    outcome = kandas_demo(year=2026, size=60, seed=1)

    applications = list(Application.objects.select_related("head__citizenship", "region", "rules_version"))
    assert outcome["created"] and len(applications) == outcome["applications"] > 0
    assert all(a.head.citizenship.alpha2 != "KZ" for a in applications)
    rules = rules_from(applications[0].rules_version.parameters)
    assert {a.region.code for a in applications} <= set(rules.resettlement_regions)
    numbers = sorted(a.number for a in applications)
    assert numbers == [f"KQ-2026-{n:06d}" for n in range(1, len(applications) + 1)]
    assert len({a.status for a in applications}) >= 3
    calendar = work_calendar()
    assert all(calendar.is_working_day(a.check_due) for a in applications)
    assert ApplicantMember.objects.count() == outcome["members"]
    heads = ApplicantMember.objects.filter(relation="head")
    assert heads.count() == len(applications)
    assert heads.filter(education__isnull=False).count() == len(applications)


def test_a_second_run_with_the_same_seed_and_year_does_nothing(population):
    first = kandas_demo(year=2026, size=20, seed=3)
    again = kandas_demo(year=2026, size=20, seed=3)
    assert again["created"] is False and again["applications"] == first["applications"]
    assert Application.objects.count() == first["applications"]
    assert AuditEvent.objects.filter(action="kandas.demo").count() == 1


def test_another_seed_takes_families_that_have_not_applied_yet(population):
    first = kandas_demo(year=2026, size=15, seed=3)
    second = kandas_demo(year=2026, size=15, seed=4)
    assert Application.objects.count() == first["applications"] + second["applications"]
    assert Application.objects.values("family_id").distinct().count() == Application.objects.count()


def test_the_demo_needs_the_kandas_rules(reference):
    with pytest.raises(KandasDemoError):
        kandas_demo(year=2026, size=5, seed=1)


def test_members_education_follows_the_shares_of_the_kandas_who_came_to_2016():
    rng = random.Random(1)
    adults = [draw_member(rng, age=35, origin="UZ") for _ in range(20_000)]
    share = {level: sum(1 for a in adults if a["education"] == level) / len(adults) for level in "1234567"}
    assert abs(share["3"] - 0.608) < 0.02  # general secondary
    assert abs(share["6"] + share["7"] - 0.088) < 0.01  # higher
    assert abs(share["4"] + share["5"] - 0.206) < 0.015  # specialised secondary
    assert all(a["experience_years"] <= 17 for a in adults)


def test_children_have_school_levels_and_no_occupation():
    rng = random.Random(2)
    child = draw_member(rng, age=9, origin="CN")
    assert (child["education"], child["occupation"], child["experience_years"]) == ("1", None, 0)
    assert draw_member(rng, age=2, origin="CN")["kazakh"] == "none"
