"""Demo data of the labour app: employers with their staff, vacancies on the labour exchange and registered
local jobseekers, deterministic for a seed.

- Employers in several regions and sectors, one of them in Pavlodar (KZ-55) linked to the demo employer
  account "employer" (koshiqon.demo.accounts), so that the employer's pages show its own records.
- Staff by category 1 to 4, mostly within the citizen-share rules (70% of categories 1-2, 90% of 3-4), a few
  right at the edge, so that the permit decision has something to say.
- Vacancies posted over the last months, always including two of the linked employer posted exactly 14 and
  15 days before today (a permit application today passes the 15-day rule with the older one only).
- Registered jobseekers in the same regions and occupations, some deregistered since.

Dates are relative to `today`, so the demo reads the same whenever it is loaded. Written in bulk (not through
the services: a few queries for the whole set) with one audit event, "labour.demo", holding the seed and the
counts; a second run with the same seed does nothing. The permits demo calls this first.
"""

import random
from datetime import date, timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from koshiqon.core.audit import audit_record
from koshiqon.core.domain.permissions import Role
from koshiqon.core.models import AuditEvent
from koshiqon.labour.models import Employer, EmployerStaff, Jobseeker, Vacancy, VacancyStatus
from koshiqon.people.domain.iin import make_bin
from koshiqon.reference.models import EducationLevel, Occupation, Region

DEMO_ACTION = "labour.demo"
DEMO_ACCOUNT = "employer"

# (name, region, sector): the first is the one the demo employer account acts for.
EMPLOYERS = (
    ("«Ертіс Құрылыс Инвест» ЖШС", "KZ-55", "F"),
    ("«Павлодар Мұнай Химия» АҚ", "KZ-55", "C"),
    ("«Екібастұз Энерго Сервис» ЖШС", "KZ-55", "D"),
    ("«Алатау Софт» ЖШС", "KZ-75", "J"),
    ("«Медеу Тамақ» ЖШС", "KZ-75", "I"),
    ("«Астана Көпір Құрылыс» ЖШС", "KZ-71", "F"),
    ("«Есіл Инжиниринг» ЖШС", "KZ-71", "M"),
    ("«Атырау Теңіз Сервис» ЖШС", "KZ-23", "B"),
    ("«Маңғыстау Бұрғылау» ЖШС", "KZ-47", "B"),
    ("«Қарағанды Көмір Машина» АҚ", "KZ-35", "C"),
    ("«Шығыс Агро» ЖШС", "KZ-63", "A"),
    ("«Жетісу Логистика» ЖШС", "KZ-19", "H"),
)
# Occupations (ISCO-08 minor groups) by sector, with a monthly wage range in tenge and an ISCED level.
JOBS = {
    "F": (("214", "Инженер-құрылысшы", 450, 750), ("711", "Монолитші", 300, 450), ("712", "Дәнекерлеуші", 320, 480),
          ("132", "Құрылыс учаскесінің басшысы", 700, 1100)),
    "C": (("215", "Электр инженері", 450, 700), ("721", "Металл құрастырушы", 300, 420), ("311", "Технолог", 350, 500)),
    "D": (("215", "Энергетик инженер", 480, 720), ("741", "Электр монтері", 280, 400)),
    "J": (("251", "Бағдарламашы", 600, 1200), ("121", "Жоба жетекшісі", 800, 1300)),
    "I": (("512", "Аспаз", 200, 300), ("962", "Көмекші жұмысшы", 150, 220)),
    "M": (("214", "Жобалаушы инженер", 500, 800), ("331", "Сметашы", 300, 420)),
    "B": (("214", "Бұрғылау инженері", 700, 1100), ("811", "Бұрғылау қондырғысының машинисі", 450, 650),
          ("315", "Технолог-инспектор", 400, 600)),
    "A": (("611", "Көкөніс өсіруші", 160, 230), ("921", "Ауыл шаруашылығы жұмысшысы", 140, 200)),
    "H": (("832", "Жүргізуші", 250, 380), ("833", "Жүк көлігінің жүргізушісі", 300, 450)),
}
CITIES = {"KZ-55": "Павлодар", "KZ-75": "Алматы", "KZ-71": "Астана", "KZ-23": "Атырау", "KZ-47": "Ақтау",
          "KZ-35": "Қарағанды", "KZ-63": "Өскемен", "KZ-19": "Қонаев"}
STREETS = ("Абай", "Сәтбаев", "Толстой", "Қабанбай батыр", "Желтоқсан", "Достық", "Тәуелсіздік", "Бұқар жырау")
EDUCATION = {"1": "6", "2": "6", "3": "5", "7": "4", "8": "3", "9": "2", "5": "3", "6": "3"}
JOBSEEKER_OCCUPATIONS = ("214", "711", "712", "721", "741", "833", "931", "522", "611", "921", "251", "215", "311")


class LabourDemoError(Exception):
    """The demo data cannot be made (the reference data it needs is missing)."""


def _staff(rng: random.Random) -> dict[str, tuple[int, int]]:
    """Citizens and foreigners of categories 1 to 4: within the citizen-share rules, a few at the edge."""
    out = {}
    for category, floor in (("1", 70), ("2", 70), ("3", 90), ("4", 90)):
        citizens = rng.randint(8, 30) if category in ("1", "2") else rng.randint(40, 220)
        # The most foreigners that still leaves room for one more hire at the minimum share, sometimes all of it.
        room = max(0, (citizens * 100 // floor) - citizens - 1)
        foreigners = room if rng.random() < 0.25 else rng.randint(0, room)
        out[category] = (citizens, foreigners)
    return out


def _done(seed: int) -> dict[str, Any] | None:
    event = AuditEvent.objects.filter(action=DEMO_ACTION, after__seed=seed).first()
    return {**event.after, "created": False} if event else None


def labour_demo(*, seed: int, by, today: date | None = None) -> dict[str, Any]:
    """Create the labour demo data of `seed` once; return the counts (and "created": False on a second run)."""
    if done := _done(seed):
        return done
    today = today or timezone.localdate()
    regions = {r.code: r for r in Region.objects.all()}
    occupations = {o.code: o for o in Occupation.objects.filter(level__gte=3)}
    education = {e.code: e for e in EducationLevel.objects.all()}
    needed = {code for _n, code, _s in EMPLOYERS}
    if not needed <= set(regions) or not occupations or not education:
        raise LabourDemoError("the reference data is not loaded: run load_reference first")
    rng = random.Random(f"labour-demo-{seed}")
    with transaction.atomic():
        employers = _employers(rng, seed, regions)
        vacancies = _vacancies(rng, seed, employers, occupations, today)
        jobseekers = _jobseekers(rng, seed, vacancies, regions, occupations, education, today)
        account = get_user_model().objects.filter(username=DEMO_ACCOUNT, role=Role.EMPLOYER).first()
        if account is not None:
            employers[0].users.add(account)
        counts = {
            "seed": seed, "employers": len(employers), "vacancies": len(vacancies), "jobseekers": len(jobseekers),
            "linked_account": account.username if account else "",
            "employer_of_account": employers[0].bin,
        }
        audit_record(by=by, action=DEMO_ACTION, object_type="labour.employer", after=counts)
    return {**counts, "created": True}


def _employers(rng: random.Random, seed: int, regions: dict[str, Region]) -> list[Employer]:
    taken = set(Employer.objects.values_list("bin", flat=True))
    employers = []
    for i, (name, code, sector) in enumerate(EMPLOYERS):
        registered = date(2004 + rng.randint(0, 16), rng.randint(1, 12), 1)
        serial = 50_000 + (seed % 400) * 120 + i * 10
        number = make_bin(registered, "4", "0", serial)
        while number in taken:  # another seed's or a real employer's number: take the next free one
            serial += 10
            number = make_bin(registered, "4", "0", serial)
        taken.add(number)
        employers.append(Employer(bin=number, name=name if seed == 1 else f"{name} ({seed})", region=regions[code],
                                  sector=sector, address=f"{CITIES[code]} қ., {rng.choice(STREETS)} к-сі, {rng.randint(1, 120)}"))
    Employer.objects.bulk_create(employers)
    by_bin = {e.bin: e for e in Employer.objects.filter(bin__in=[e.bin for e in employers]).select_related("region")}
    ordered = [by_bin[e.bin] for e in employers]
    as_of = date(timezone.localdate().year, 1, 1)
    EmployerStaff.objects.bulk_create([
        EmployerStaff(employer=e, category=category, citizens=citizens, foreigners=foreigners, as_of=as_of)
        for e in ordered for category, (citizens, foreigners) in _staff(rng).items()
    ])
    return ordered


def _vacancies(rng: random.Random, seed: int, employers: list[Employer], occupations: dict[str, Occupation],
               today: date) -> list[Vacancy]:
    rows, n = [], 0

    def add(employer: Employer, job: tuple, days_ago: int, status: str = VacancyStatus.OPEN) -> None:
        nonlocal n
        n += 1
        code, title, low, high = job
        rows.append(Vacancy(
            exchange_id=f"ENBEK-{seed}-{n:05d}", employer=employer, employer_bin=employer.bin, title=title,
            occupation=occupations[code], region=employer.region, wage=rng.randint(low, high) * 1000,
            posted_on=today - timedelta(days=days_ago), status=status,
        ))

    first = employers[0]
    # The linked employer's two vacancies at the edge of the 15-day rule, in the occupation of its engineers.
    add(first, JOBS[first.sector][0], 15)
    add(first, JOBS[first.sector][0], 14)
    for employer in employers:
        for _i in range(rng.randint(2, 4)):
            days = rng.randint(1, 150)
            status = VacancyStatus.OPEN if days < 60 or rng.random() < 0.5 else rng.choice(
                (VacancyStatus.FILLED, VacancyStatus.CLOSED))
            add(employer, rng.choice(JOBS[employer.sector]), days, status)
    Vacancy.objects.bulk_create(rows)
    return rows


def _jobseekers(rng: random.Random, seed: int, vacancies: list[Vacancy], regions: dict[str, Region],
                occupations: dict[str, Occupation], education: dict[str, EducationLevel], today: date) -> list[Jobseeker]:
    rows = []
    places = [(v.region, v.occupation.code) for v in vacancies]
    for n in range(1, 121):
        if n <= 60:  # half of them where the vacancies are, so the labour-market test finds someone
            region, code = rng.choice(places)
        else:
            region, code = regions[rng.choice(("KZ-55", "KZ-75", "KZ-71", "KZ-61", "KZ-31"))], rng.choice(
                JOBSEEKER_OCCUPATIONS)
        registered = today - timedelta(days=rng.randint(20, 700))
        deregistered = None
        if rng.random() < 0.2:
            deregistered = min(today, registered + timedelta(days=rng.randint(30, 300)))
        level = EDUCATION.get(code[0], "3")
        rows.append(Jobseeker(
            registration=f"JS-{seed}-{n:05d}", occupation=occupations[code], region=region,
            education=education.get(level), registered_on=registered, deregistered_on=deregistered,
        ))
    Jobseeker.objects.bulk_create(rows)
    return rows
