"""The scene of the adaptation tests: families of the person registry and plans made through the service.
Persons and families are written directly (no audit): this sets the scene, it does not test writes."""

from datetime import date
from itertools import count

from koshiqon.accounts.factories import UserFactory
from koshiqon.adaptation.models import Centre, CentreService, Service
from koshiqon.adaptation.services.plans import plan_create
from koshiqon.people.factories import PersonFactory
from koshiqon.people.models import Family, FamilyMember
from koshiqon.reference.models import Country, Region

_names = count(1)
TODAY = date(2026, 6, 15)

# (relation, birth date, sex)
HOUSEHOLD = (
    ("head", date(1984, 4, 2), "M"),
    ("spouse", date(1987, 9, 14), "F"),
    ("child", date(2012, 1, 20), "F"),
)


def make_family(*, region: str = "KZ-55", household=HOUSEHOLD, name: str = "") -> Family:
    n = next(_names)
    where = Region.objects.get(code=region)
    country = Country.objects.get(alpha2="CN")
    family = Family.objects.create(region=where, name=name or f"Сейітқалиев {n}")
    for i, (relation, birth, sex) in enumerate(household):
        person = PersonFactory(
            last_name=f"Сейітқали{n}", first_name=f"Мүше{i}", last_name_latin=f"SEIITKALI{n}",
            first_name_latin=f"MUSHE{i}", birth_date=birth, sex=sex, region=where, citizenship=country, iin=None,
        )
        FamilyMember.objects.create(family=family, person=person, relation=relation)
    return family


def members(family: Family):
    return [m.person for m in family.members.select_related("person").order_by("id")]


def make_plan(by, centre: Centre, family: Family | None = None, *, arrival: date = date(2026, 6, 1),
              services=("information", "state_language", "psychologist"), today: date = TODAY, **changes):
    values = {"family": family or make_family(region=centre.region.code), "centre": centre, "arrival_date": arrival,
              "transport": "rail", "work": "search", "housing": "centre", "services": list(services),
              "today": today, "by": by} | changes
    return plan_create(**values)


def make_centre(*, region: str = "KZ-55", beds: int = 20, name: str = "", staff=None) -> Centre:
    centre = Centre.objects.create(name=name or f"Орталық {next(_names)}", region=Region.objects.get(code=region),
                                   address="көше, 1", beds=beds, opened_on=date(2014, 1, 1))
    CentreService.objects.bulk_create([CentreService(centre=centre, service=s, places=20 if s.is_course else None)
                                       for s in Service.objects.all()])
    if staff is not None:
        centre.staff.add(staff)
    return centre


def other_staff(username: str = "centre75"):
    return UserFactory(username=username, role="centre_staff", region_codes=["KZ-75"])
