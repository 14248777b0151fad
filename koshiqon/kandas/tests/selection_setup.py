"""The scene of the selection tests: MCI values, the shipped kandas rules of 2025 and 2026, a small grid, a
quota plan and recommended applications with their families. Rows are written directly (no audit): this
sets the scene, it does not test writes."""

import json
import os
from datetime import date, datetime
from itertools import count
from pathlib import Path
from zoneinfo import ZoneInfo

from koshiqon.core.models import MciRate, PolicyVersion
from koshiqon.kandas.domain.policy import GRID_KIND, RULES_KIND, Grid, Rules
from koshiqon.kandas.models import ApplicantMember, Application, QuotaPlan, RegionalQuota
from koshiqon.people.factories import PersonFactory
from koshiqon.people.models import Family, FamilyMember
from koshiqon.reference.models import Country, EducationLevel, Region

DATA = Path(__file__).resolve().parents[1] / "data"
ALMATY = ZoneInfo("Asia/Almaty")
LABEL = {"education": ("Білімі", "Образование", "Education"), "experience_years": ("Өтілі", "Стаж", "Experience")}

GRID = {
    "name": "Test grid", "valid_from": "2025-01-01", "legal_basis": "Test basis", "pass_mark": 20,
    "criteria": [
        {"field": "education", "kind": "map", "points": {"3": 10, "5": 20, "6": 30},
         "label": dict(zip(("kk", "ru", "en"), LABEL["education"], strict=True))},
        {"field": "experience_years", "kind": "bands", "bands": [{"min": 5, "points": 10}],
         "label": dict(zip(("kk", "ru", "en"), LABEL["experience_years"], strict=True))},
    ],
}
EDUCATION = {"3": "Жалпы орта", "5": "Қысқа циклды жоғары", "6": "Бакалавр"}
_numbers = count(1)


def weasyprint_or_skip() -> None:
    """Skip a test that makes a PDF where WeasyPrint's system libraries are missing, except under CI."""
    import pytest

    try:
        from weasyprint import HTML  # noqa: F401
    except (ImportError, OSError) as exc:
        if os.environ.get("CI") == "true":
            pytest.fail(f"WeasyPrint cannot run under CI: {exc}")
        pytest.skip(f"WeasyPrint's system libraries are missing: {exc}")


def load_mci() -> None:
    for valid_from, tenge in [(date(2024, 1, 1), 3692), (date(2025, 1, 1), 3932), (date(2026, 1, 1), 4325)]:
        MciRate.objects.get_or_create(valid_from=valid_from, defaults={"tenge": tenge})


def load_rules() -> tuple[PolicyVersion, PolicyVersion]:
    versions = []
    for code, start, end in (("rules-2025", date(2025, 1, 1), date(2025, 12, 31)), ("rules-2026", date(2026, 1, 1), None)):
        params = json.loads((DATA / f"rules_{code[-4:]}.json").read_text())
        Rules.model_validate(params)
        versions.append(PolicyVersion.objects.create(
            kind=RULES_KIND, code=code, title_en=code, valid_from=start, valid_to=end, legal_act_en="Test act",
            parameters=params,
        ))
    return versions[0], versions[1]


def load_grid(params: dict | None = None, *, code: str = "grid-test", valid_from: date = date(2025, 1, 1),
              valid_to: date | None = None) -> PolicyVersion:
    params = params or GRID
    Grid.model_validate(params)
    return PolicyVersion.objects.create(kind=GRID_KIND, code=code, title_en=code, valid_from=valid_from,
                                        valid_to=valid_to, legal_act_en="Test act", parameters=params)


def load_education() -> None:
    for code, name in EDUCATION.items():
        EducationLevel.objects.get_or_create(code=code, defaults={"name_kk": name, "name_ru": name, "name_en": name})


def make_plan(year: int, quotas: dict[str, int], unit: str = "persons") -> QuotaPlan:
    plan = QuotaPlan.objects.create(year=year, category="kandas", unit=unit, legal_act="Test order")
    for code, amount in quotas.items():
        RegionalQuota.objects.create(plan=plan, region=Region.objects.get(code=code), amount=amount)
    return plan


def selection_scene() -> dict:
    """MCI, rules, grid and education levels: what every selection test needs."""
    load_mci()
    load_education()
    rules_2025, rules_2026 = load_rules()
    return {"grid": load_grid(), "rules_2025": rules_2025, "rules_2026": rules_2026}


def make_application(
    *, year: int = 2026, region: str = "KZ-55", status: str = "recommended", education: str = "6",
    experience: int = 0, size: int = 1, applied_at: datetime | None = None, last_name: str = "Серікбаев",
    origin: str = "CN",
) -> Application:
    """An application of a family of `size` persons whose head has the given education and experience."""
    n = next(_numbers)
    region_obj = Region.objects.get(code=region)
    head = PersonFactory(last_name=last_name, first_name="Нұрлан", patronymic="Асқарұлы", region=region_obj,
                         birth_date=date(1985, 1, 1), citizenship=Country.objects.get(alpha2=origin), iin=None)
    family = Family.objects.create(region=region_obj, name=f"{last_name} {n}")
    FamilyMember.objects.create(family=family, person=head, relation="head")
    app = Application.objects.create(
        number=f"T-{year}-{n:05d}", year=year, family=family, head=head, region=region_obj, channel="in_person",
        applied_at=applied_at or datetime(year, 1, 10, 10, 0, tzinfo=ALMATY), status=status,
    )
    ApplicantMember.objects.create(application=app, person=head, relation="head",
                                   education=EducationLevel.objects.get(code=education) if education else None,
                                   experience_years=experience, kazakh="fluent")
    for k in range(1, size):
        child = PersonFactory(last_name=last_name, first_name=f"Бала{k}", region=region_obj,
                              birth_date=date(2015, 1, k), iin=None)
        FamilyMember.objects.create(family=family, person=child, relation="child")
        ApplicantMember.objects.create(application=app, person=child, relation="child")
    return app
