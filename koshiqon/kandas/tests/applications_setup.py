"""The scene of the application tests: the full reference data, the shipped kandas data, and families of the
person registry. Persons and families are written directly (no audit): this sets the scene, it does not test
writes; applications go through the service under test."""

from datetime import date, datetime
from itertools import count
from zoneinfo import ZoneInfo

from koshiqon.kandas.services.applications import kandas_application_submit
from koshiqon.kandas.services.quotas import kandas_data_load
from koshiqon.people.factories import PersonFactory
from koshiqon.people.models import Family, FamilyMember
from koshiqon.reference.models import Country, Region
from koshiqon.reference.services import reference_load

ALMATY = ZoneInfo("Asia/Almaty")
_names = count(1)

# (relation, birth date, sex)
HOUSEHOLD = [
    ("head", date(1984, 4, 2), "M"),
    ("spouse", date(1987, 9, 14), "F"),
    ("child", date(2012, 1, 20), "F"),
    ("child", date(2016, 6, 5), "M"),
]


def load_kandas_data() -> None:
    reference_load(by=None)
    kandas_data_load(by="test")


def make_family(*, region: str = "KZ-55", citizenship: str = "CN", household=HOUSEHOLD, name: str = "") -> Family:
    n = next(_names)
    where = Region.objects.get(code=region)
    country = Country.objects.get(alpha2=citizenship)
    family = Family.objects.create(region=where, name=name or f"Отбасы {n}")
    for i, (relation, birth, sex) in enumerate(household):
        person = PersonFactory(
            last_name=f"Сейітқали{n}", first_name=f"Мүше{i}", last_name_latin=f"SEIITKALI{n}",
            first_name_latin=f"MUSHE{i}", birth_date=birth, sex=sex, region=where, citizenship=country, iin=None,
        )
        FamilyMember.objects.create(family=family, person=person, relation=relation)
    return family


def member_rows(family: Family, **head_overrides) -> list[dict]:
    """The members of a family as the service takes them: a qualified head, a qualified spouse, children."""
    rows = []
    for m in family.members.select_related("person").order_by("id"):
        if m.relation == "head":
            row = {"person": m.person, "relation": "head", "education": "6", "occupation": "214",
                   "experience_years": 12, "kazakh": "fluent", "russian": "basic"} | head_overrides
        elif m.relation == "spouse":
            row = {"person": m.person, "relation": "spouse", "education": "4", "occupation": "222",
                   "experience_years": 6, "kazakh": "fluent", "russian": "none"}
        else:
            row = {"person": m.person, "relation": m.relation}
        rows.append(row)
    return rows


def submit(by, family: Family, *, region: str = "KZ-55", applied_at: datetime | None = None, **changes):
    values = {
        "family": family, "region": Region.objects.get(code=region), "channel": "in_person",
        "applied_at": applied_at or datetime(2026, 3, 20, 10, 30, tzinfo=ALMATY),
        "members": member_rows(family), "checklist": {"application": True, "identity_document": True},
        "priority": "", "by": by,
    } | changes
    return kandas_application_submit(**values)
