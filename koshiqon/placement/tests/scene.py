"""The scene of the placement tests: the service catalogue, centres with beds and services, a kandas quota plan
and admitted families with their members, a trained model. Rows are written directly (no audit) except where
a test's subject is the write: this sets the scene, it does not test writes."""

from datetime import date, datetime, timedelta
from itertools import count
from zoneinfo import ZoneInfo

from koshiqon.adaptation.models import Centre, CentreService, Outcome, Plan, Service
from koshiqon.adaptation.services.catalogue import adaptation_catalogue_load
from koshiqon.kandas.models import ApplicantMember, Application, QuotaPlan, RegionalQuota
from koshiqon.people.factories import PersonFactory
from koshiqon.people.models import Family, FamilyMember
from koshiqon.reference.models import Country, EducationLevel, Occupation, Region

ALMATY = ZoneInfo("Asia/Almaty")
YEAR = date.today().year
TODAY = date.today()
ARRIVAL = TODAY + timedelta(days=7)
_n = count(1)

# (relation, birth date, sex, ISCED, ISCO-08, years of experience, Kazakh, Russian)
ENGINEERS = [
    ("head", date(1985, 3, 1), "M", "6", "2142", 12, "fluent", "fluent"),
    ("spouse", date(1988, 6, 1), "F", "6", "2261", 8, "fluent", "fluent"),
    ("child", date(2016, 1, 5), "F", "", "", 0, "basic", "none"),
]
FARMERS = [
    ("head", date(1979, 2, 1), "M", "3", "6111", 20, "fluent", "none"),
    ("spouse", date(1982, 9, 1), "F", "2", "", 0, "fluent", "none"),
    ("child", date(2008, 4, 1), "M", "3", "", 0, "fluent", "none"),
    ("child", date(2021, 4, 1), "F", "", "", 0, "none", "none"),
]


def reference_codes() -> None:
    for code in ("1", "2", "3", "4", "6"):
        EducationLevel.objects.get_or_create(code=code, defaults={"name_kk": code, "name_ru": code, "name_en": code})
    for code in ("2142", "2261", "6111", "2341", "8332"):
        Occupation.objects.get_or_create(code=code, defaults={"level": 4, "name_kk": code, "name_ru": code,
                                                              "name_en": code})


def make_application(*, region: str = "KZ-55", members=ENGINEERS, status: str = "included", year: int = YEAR,
                     origin: str = "CN", last_name: str = "Серікбаев") -> Application:
    reference_codes()
    n = next(_n)
    where = Region.objects.get(code=region)
    country = Country.objects.get(alpha2=origin)
    family = Family.objects.create(region=where, name=f"{last_name} {n}")
    app = None
    for i, (relation, birth, sex, education, occupation, experience, kazakh, russian) in enumerate(members):
        person = PersonFactory(last_name=last_name, first_name=f"Мүше{i}", birth_date=birth, sex=sex, region=where,
                               citizenship=country, iin=None)
        FamilyMember.objects.create(family=family, person=person, relation=relation)
        if app is None:
            app = Application.objects.create(
                number=f"P-{year}-{n:05d}", year=year, family=family, head=person, region=where,
                channel="in_person", applied_at=datetime(year, 2, 1, 10, 0, tzinfo=ALMATY), status=status)
        ApplicantMember.objects.create(
            application=app, person=person, relation=relation,
            education=EducationLevel.objects.get(code=education) if education else None,
            occupation=Occupation.objects.get(code=occupation) if occupation else None,
            experience_years=experience, kazakh=kazakh, russian=russian)
    assert app is not None
    return app


def make_quota(quotas: dict[str, int], *, unit: str = "families", year: int = YEAR) -> QuotaPlan:
    plan = QuotaPlan.objects.create(year=year, category="kandas", unit=unit, legal_act="Test order")
    for code, amount in quotas.items():
        RegionalQuota.objects.create(plan=plan, region=Region.objects.get(code=code), amount=amount)
    return plan


def load_catalogue() -> None:
    if not Service.objects.exists():
        adaptation_catalogue_load(by="test")


def make_centre(region: str, *, beds: int = 20, services=("information", "employment_help")) -> Centre:
    load_catalogue()
    centre = Centre.objects.create(name=f"Centre {region}", region=Region.objects.get(code=region),
                                   address="Test street 1", beds=beds, opened_on=date(2020, 1, 1))
    for code in services:
        CentreService.objects.create(centre=centre, service=Service.objects.get(code=code))
    return centre


def adaptation_history_scene() -> dict:
    """One family that settled in Pavlodar last year through a plan, with its head's outcomes recorded."""
    arrival = date(2025, 3, 10)
    app = make_application(members=[("head", date(1985, 3, 1), "M", "6", "2341", 10, "fluent", "basic"),
                                    ("child", date(2015, 3, 1), "F", "1", "", 0, "basic", "none")],
                           status="status_granted", year=2025)
    centre = make_centre("KZ-55")
    plan = Plan.objects.create(number=f"AP-T-{next(_n)}", family=app.family, application=app, centre=centre,
                               arrival_date=arrival, transport="rail", family_size=2, work="search",
                               housing="centre")
    head = app.head
    for months, employed in ((3, "no"), (6, "yes"), (12, "yes")):
        Outcome.objects.create(plan=plan, person=head, months=months, employed=employed,
                               stayed_in_region="yes" if months == 12 else "")
    return {"application": app, "plan": plan, "arrival": arrival}
