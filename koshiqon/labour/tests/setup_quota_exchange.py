"""The scene of the quota, employer and exchange tests: the full reference data (all regions with their dates,
ISCO-08 groups, ISCED levels) and, where a test needs them, the shipped quotas. Scene rows are written with the
ORM; the writes under test go through the services."""

from datetime import date

from koshiqon.labour.models import Employer, Jobseeker, Vacancy
from koshiqon.labour.services.quota_data import labour_data_load
from koshiqon.people.domain.iin import make_bin
from koshiqon.reference.models import EducationLevel, Occupation, Region
from koshiqon.reference.services import reference_load


def load_reference() -> None:
    reference_load(by=None)


def load_quotas() -> dict[str, int]:
    return labour_data_load(by="test")


def a_bin(serial: int = 1) -> str:
    return make_bin(date(2015, 3, 1), "4", "0", 7000 + serial)


def employer_in(code: str = "KZ-55", *, serial: int = 1, users=()) -> Employer:
    employer = Employer.objects.create(bin=a_bin(serial), name=f"«Тест {serial}» ЖШС",
                                       region=Region.objects.get(code=code), sector="F")
    employer.users.set(list(users))
    return employer


def vacancy(*, exchange_id: str = "ENBEK-1", region: str = "KZ-55", occupation: str = "214",
            posted_on: date = date(2026, 1, 10), employer: Employer | None = None) -> Vacancy:
    return Vacancy.objects.create(
        exchange_id=exchange_id, employer=employer, employer_bin=employer.bin if employer else a_bin(99),
        title="Инженер", occupation=Occupation.objects.get(code=occupation), region=Region.objects.get(code=region),
        wage=450_000, posted_on=posted_on,
    )


def jobseeker(registration: str, *, region: str = "KZ-55", occupation: str = "214",
              registered_on: date = date(2025, 6, 1), deregistered_on: date | None = None) -> Jobseeker:
    if not Occupation.objects.filter(code=occupation).exists():  # a unit group (4 digits) is not in the reference
        parent = Occupation.objects.get(code=occupation[:3])
        Occupation.objects.create(code=occupation, level=4, parent=parent, name_kk=occupation, name_ru=occupation,
                                  name_en=occupation)
    return Jobseeker.objects.create(
        registration=registration, occupation=Occupation.objects.get(code=occupation),
        region=Region.objects.get(code=region), education=EducationLevel.objects.filter(code="6").first(),
        registered_on=registered_on, deregistered_on=deregistered_on,
    )
