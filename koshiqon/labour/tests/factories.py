"""The scene of the permit tests: MCI values, occupations, employers with staff, quota allocations, vacancies,
jobseekers, foreign workers and submitted applications. Rows are written directly with the ORM (no audit):
they set the scene, they do not test writes, and they do not lean on the quota and exchange services."""

from datetime import date, timedelta
from itertools import count

from koshiqon.core.calendar import work_calendar
from koshiqon.core.models import MciRate
from koshiqon.labour.domain import terms
from koshiqon.labour.models import (
    Employer,
    EmployerStaff,
    Jobseeker,
    LabourQuota,
    PermitApplication,
    QuotaAllocation,
    Vacancy,
)
from koshiqon.people.domain.iin import make_bin
from koshiqon.people.domain.names import name_key
from koshiqon.people.models import DocumentKind, IdentityDocument, Person
from koshiqon.reference.models import Country, Occupation, Region

_serial = count(1)


def _distinct_bins(first: int = 1000):
    """Test BINs that never repeat: a serial whose check digit would be 10 moves make_bin on to the next
    serial, so the next BIN starts after the serial actually used, not after the one asked for."""
    serial = first
    while True:
        value = make_bin(date(2015, 3, 1), "4", "0", serial)
        yield value
        serial = int(value[6:11]) + 1


_bins = _distinct_bins()
MCI = [(date(2008, 1, 1), 1168), (date(2010, 1, 1), 1413), (date(2012, 1, 1), 1618), (date(2024, 1, 1), 3692),
       (date(2025, 1, 1), 3932), (date(2026, 1, 1), 4325)]
OCCUPATIONS = [("2", 1, None), ("21", 2, "2"), ("214", 3, "21"), ("2142", 4, "214"), ("7", 1, None),
               ("71", 2, "7"), ("711", 3, "71"), ("7112", 4, "711"), ("9", 1, None), ("92", 2, "9"),
               ("921", 3, "92"), ("9211", 4, "921")]


def load_mci() -> None:
    for valid_from, tenge in MCI:
        MciRate.objects.get_or_create(valid_from=valid_from, defaults={"tenge": tenge})


def occupation(code: str = "2142") -> Occupation:
    for c, level, parent in OCCUPATIONS:
        Occupation.objects.get_or_create(code=c, defaults={
            "level": level, "parent": Occupation.objects.filter(code=parent).first() if parent else None,
            "name_kk": f"Кәсіп {c}", "name_ru": f"Профессия {c}", "name_en": f"Occupation {c}"})
    return Occupation.objects.get(code=code)


def region(code: str = "KZ-55") -> Region:
    return Region.objects.get(code=code)


def make_employer(*, region_code: str = "KZ-55", users=(), staff: dict[str, tuple[int, int]] | None = None,
                  sector: str = "F", name: str = "") -> Employer:
    """An employer with its staff by category: {"3": (citizens, foreigners)}; default 95 citizens and 4
    foreigners in each of the categories 1 to 4 (room for one more foreigner at 90%)."""
    n = next(_serial)
    employer = Employer.objects.create(
        bin=next(_bins), name=name or f"ЖШС Құрылыс {n}",
        region=region(region_code), sector=sector,
    )
    employer.users.set(list(users))
    staff = {c: (95, 4) for c in ("1", "2", "3", "4")} if staff is None else staff
    for category, (citizens, foreigners) in staff.items():
        EmployerStaff.objects.create(employer=employer, category=category, citizens=citizens, foreigners=foreigners,
                                     as_of=date(2026, 1, 1))
    return employer


def make_allocation(*, year: int, category: str = "3", places: int = 10, used: int = 0,
                    region_code: str = "KZ-55") -> QuotaAllocation:
    quota, _ = LabourQuota.objects.get_or_create(year=year, defaults={"legal_act": "Test order"})
    allocation, _ = QuotaAllocation.objects.update_or_create(
        quota=quota, region=region(region_code), category=category, defaults={"places": places, "used": used})
    return allocation


def make_vacancy(employer: Employer, *, posted_on: date, code: str = "2142", region_code: str = "KZ-55") -> Vacancy:
    n = next(_serial)
    return Vacancy.objects.create(
        exchange_id=f"ENBEK-{n:06d}", employer=employer, employer_bin=employer.bin, title="Инженер-құрылысшы",
        occupation=occupation(code), region=region(region_code), wage=450_000, posted_on=posted_on,
    )


def make_jobseekers(n: int, *, code: str = "2142", region_code: str = "KZ-55",
                    registered_on: date = date(2024, 1, 10)) -> None:
    Jobseeker.objects.bulk_create([
        Jobseeker(registration=f"JS-{next(_serial):07d}", occupation=occupation(code), region=region(region_code),
                  registered_on=registered_on) for _ in range(n)
    ])


def make_worker(*, last_name: str = "KARIMOV", first_name: str = "BAHODIR", country: str = "UZ",
                region_code: str = "KZ-55", passport: str = "") -> Person:
    """A foreign worker with a passport, registered directly."""
    person = Person.objects.create(
        last_name=last_name, first_name=first_name, last_name_latin=last_name, first_name_latin=first_name,
        birth_date=date(1991, 4, 12), sex="M", citizenship=Country.objects.get(alpha2=country),
        region=region(region_code), name_key=name_key(last_name, first_name, "", last_name, first_name),
    )
    IdentityDocument.objects.create(person=person, kind=DocumentKind.PASSPORT, number=passport or f"FA{next(_serial):07d}",
                                    issuing_country=Country.objects.get(alpha2=country))
    return person


def make_application(employer: Employer, *, applied_on: date, category: str = "3", kind: str = "standard",
                     region_code: str = "KZ-55", code: str = "2142", worker: Person | None = None,
                     vacancy: Vacancy | None = None, months: int = 12, seasonal_days: int | None = None,
                     **facts) -> PermitApplication:
    """A submitted application written directly (numbered from 500001, clear of the services' numbers)."""
    n = next(_serial)
    return PermitApplication.objects.create(
        number=f"WPA-{applied_on.year}-{500000 + n:06d}", employer=employer, region=region(region_code), kind=kind, category=category,
        occupation=occupation(code), worker=worker or make_worker(last_name=f"KARIMOV{chr(65 + n % 26)}"),
        months=months, seasonal_days=seasonal_days, applied_on=applied_on, vacancy=vacancy,
        decision_due=terms.decision_due(applied_on, work_calendar()), **facts,
    )


def passport(**overrides) -> dict:
    """A new worker's passport data as the filing services take it."""
    values = {"last_name_latin": "RAKHIMOV", "first_name_latin": "SARDOR", "birth_date": date(1993, 2, 3),
              "sex": "M", "citizenship": Country.objects.get(alpha2="UZ"), "passport_number": "FA1234567",
              "passport_expires_on": date(2031, 5, 1)}
    return values | overrides


def days_before(d: date, n: int) -> date:
    return d - timedelta(days=n)
