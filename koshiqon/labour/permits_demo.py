"""Demo work permits on top of the labour demo (employers, staff, vacancies, jobseekers: koshiqon.labour.demo).

Through the services, acting as the demo accounts (koshiqon.demo.accounts: "employer" files, "officer55"
decides in Pavlodar, "national" elsewhere), so that every record has its audit trail and its decision steps:

- applications in every state: waiting (one of them past its 7 working days), granted, refused (the 15-day
  rule missed by a day; an application of August 2025 under the notification regime, refused for the quota
  since no 2025 quota is loaded), withdrawn; an intra-corporate transfer and a seasonal worker; one of 2009
  under the 2008-2011 regime (advertisement and justified rejections), decided on its own dates;
- permits valid, suspended, revoked and expired; short ones ending within the extension window, with one
  extension waiting and one granted;
- household labour migrants: one private employer at the limit of 5, another with a revoked permit.

Dates are relative to today. One audit event, "labour.permits_demo", holds the seed and the counts; a second
run with the same seed does nothing.
"""

from datetime import date, timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from koshiqon.core.audit import audit_record
from koshiqon.core.models import AuditEvent
from koshiqon.labour.demo import LabourDemoError, labour_demo
from koshiqon.labour.domain.status import ApplicationStatus
from koshiqon.labour.models import Employer, LabourQuota, PermitApplication, Vacancy
from koshiqon.labour.services.extensions import permit_extension_decide, permit_extension_request
from koshiqon.labour.services.household import household_permit_issue, household_permit_revoke
from koshiqon.labour.services.permit_decision import permit_application_decide
from koshiqon.labour.services.permit_life import permit_revoke, permit_suspend, permits_expire
from koshiqon.labour.services.permits import permit_application_submit, permit_application_withdraw
from koshiqon.labour.services.quota_data import LabourDataError, labour_data_load
from koshiqon.people.domain.iin import make_iin
from koshiqon.people.models import Person
from koshiqon.people.services import person_create
from koshiqon.reference.models import Country, Occupation, Region

DEMO_ACTION = "labour.permits_demo"
# (surname, given name, sex, country) of the foreign workers, as printed in their passports.
WORKERS = (
    ("KARIMOV", "BAHODIR", "M", "UZ"), ("WANG", "LEI", "M", "CN"), ("YILMAZ", "MEHMET", "M", "TR"),
    ("SHARMA", "RAHUL", "M", "IN"), ("TURSUNOV", "FARRUKH", "M", "TJ"), ("IVANOV", "SERGEI", "M", "RU"),
    ("NAZAROVA", "DILNOZA", "F", "UZ"), ("LI", "NA", "F", "CN"), ("ABDULLAEV", "SANJAR", "M", "UZ"),
    ("KIM", "DMITRIY", "M", "KR"), ("DEMIR", "AYSE", "F", "TR"), ("SULTONOV", "JAMSHID", "M", "TJ"),
    ("MUELLER", "JONAS", "M", "DE"), ("RAHIMOVA", "MALIKA", "F", "UZ"), ("ZHANG", "WEI", "M", "CN"),
    ("RASULOV", "AZIZ", "M", "UZ"), ("HASANOV", "ELDOR", "M", "UZ"), ("BATBAYAR", "GANBOLD", "M", "MN"),
    ("ORTIKOVA", "ZARINA", "F", "UZ"), ("SAIDOV", "RUSTAM", "M", "TJ"),
)


class PermitsDemoError(LabourDemoError):
    """The permits demo cannot be made (the demo accounts or the reference data are missing)."""


class _Scene:
    def __init__(self, seed: int, today: date) -> None:
        self.seed, self.today, self.n = seed, today, 0
        users = {u.username: u for u in get_user_model().objects.filter(username__in=("employer", "officer55",
                                                                                       "national"))}
        if len(users) < 3:
            raise PermitsDemoError("the demo accounts are missing: run `koshiqon setup` (demo_accounts) first")
        self.employer_account, self.officer, self.national = users["employer"], users["officer55"], users["national"]
        self.countries = {c.alpha2: c for c in Country.objects.filter(alpha2__in={w[3] for w in WORKERS})}
        self.region = Region.objects.get(code="KZ-55")

    def passport(self) -> dict[str, Any]:
        surname, given, sex, country = WORKERS[self.n % len(WORKERS)]
        self.n += 1
        return {"last_name_latin": surname, "first_name_latin": given, "sex": sex,
                "birth_date": date(1975 + (self.seed * 7 + self.n * 3) % 25, 1 + self.n % 12, 1 + self.n % 27),
                "citizenship": self.countries.get(country) or self.countries["UZ"],
                "passport_number": f"D{self.seed % 100:02d}{self.n:06d}", "passport_expires_on": date(2032, 1, 1)}


def _done(seed: int) -> dict[str, Any] | None:
    event = AuditEvent.objects.filter(action=DEMO_ACTION, after__seed=seed).first()
    return {**event.after, "created": False} if event else None


def _vacancy(employer: Employer, *, posted_by: date, at_least_days: int = 15) -> Vacancy | None:
    """The employer's vacancy posted at least `at_least_days` before `posted_by`."""
    return (Vacancy.objects.filter(employer=employer, posted_on__lte=posted_by - timedelta(days=at_least_days))
            .select_related("occupation", "region").order_by("-posted_on", "id").first())


def _file(scene: _Scene, employer: Employer, *, applied_on: date, by=None, **kwargs) -> PermitApplication:
    values = {"region": employer.region, "kind": "standard", "category": "3", "months": 12} | kwargs
    if "occupation" not in values:
        vacancy = values.get("vacancy")
        values["occupation"] = vacancy.occupation if vacancy else Occupation.objects.filter(code="214").first()
    return permit_application_submit(employer=employer, worker=scene.passport(), applied_on=applied_on,
                                     by=by or scene.employer_account, today=scene.today, **values)


def _decide(application: PermitApplication, by, on: date) -> PermitApplication:
    return permit_application_decide(application=application, by=by, today=on)


def _ensure_quotas(by) -> None:
    if not LabourQuota.objects.filter(year__in=(2009, timezone.localdate().year)).exists():
        try:
            labour_data_load(by=by)
        except LabourDataError as exc:
            raise PermitsDemoError(f"the labour quotas cannot be loaded: {exc}") from exc


def _applications(scene: _Scene, counts: dict[str, int]) -> list:
    today, officer = scene.today, scene.officer
    own = Employer.objects.filter(users=scene.employer_account).select_related("region").order_by("id").first()
    if own is None:
        raise PermitsDemoError("the labour demo linked no employer to the demo employer account")
    permits = []
    # Waiting: filed yesterday quoting the vacancy posted 15 days before today (16 before the application).
    fresh = _vacancy(own, posted_by=today - timedelta(days=1))
    if fresh is not None:
        _file(scene, own, applied_on=today - timedelta(days=1), vacancy=fresh, occupation=fresh.occupation)
    # Waiting past the 7 working days.
    late_day = today - timedelta(days=16)
    late = _vacancy(own, posted_by=late_day)
    if late is not None:
        _file(scene, own, applied_on=late_day, vacancy=late, occupation=late.occupation)
    # Refused: the vacancy posted 14 days before the application (the 15-day rule missed by a day).
    edge = Vacancy.objects.filter(employer=own, posted_on=today - timedelta(days=14)).first()
    if edge is not None:
        counts["refused"] += _decide(_file(scene, own, applied_on=today, vacancy=edge, occupation=edge.occupation),
                                     officer, today).status == ApplicationStatus.REFUSED
    # Granted: hires of the current regime, in several categories; a seasonal worker; a transfer.
    for category, months in (("3", 12), ("4", 12), ("2", 12), ("3", 2), ("3", 2), ("3", 2)):
        applied = today - timedelta(days=20 if months == 2 else 5)
        vacancy = _vacancy(own, posted_by=applied)
        if vacancy is None:
            continue
        decided = _decide(_file(scene, own, applied_on=applied, vacancy=vacancy, occupation=vacancy.occupation,
                                category=category, months=months), officer, applied + timedelta(days=2))
        if decided.status == ApplicationStatus.GRANTED:
            permits.append(decided.permit)
    seasonal_vacancy = _vacancy(own, posted_by=today - timedelta(days=3))
    if seasonal_vacancy is not None:
        _decide(_file(scene, own, applied_on=today - timedelta(days=3), kind="seasonal", category="",
                      seasonal_days=120, vacancy=seasonal_vacancy, occupation=seasonal_vacancy.occupation),
                officer, today)
        _decide(_file(scene, own, applied_on=today - timedelta(days=3), kind="ict", category="2", months=24,
                      vacancy=seasonal_vacancy, occupation=seasonal_vacancy.occupation), officer, today)
    # Withdrawn by the employer.
    if fresh is not None:
        withdrawn = _file(scene, own, applied_on=today - timedelta(days=1), vacancy=fresh, occupation=fresh.occupation)
        permit_application_withdraw(application=withdrawn, reason="Жұмысшы келуден бас тартты.",
                                    by=scene.employer_account)
    # The notification regime (August 2025): no 2025 quota is loaded, so the quota refuses it.
    _decide(_file(scene, own, applied_on=date(2025, 8, 28), employment_body_notified=True), officer, date(2025, 9, 3))
    # The 2008-2011 regime, on its own dates: a 2009 hire of a specialist (categories 1+2) in Almaty.
    almaty = Employer.objects.filter(region__code="KZ-75").order_by("id").first()
    if almaty is not None:
        old = _file(scene, almaty, applied_on=date(2009, 6, 15), category="1+2", advertised=True,
                    rejections_justified=True, replacement_undertaken=True, by=scene.national)
        _decide(old, scene.national, date(2009, 6, 22))
    return permits


def _life(scene: _Scene, permits: list, counts: dict[str, int]) -> None:
    long_ones = [p for p in permits if (p.valid_until - p.valid_from).days > 100]
    short_ones = [p for p in permits if (p.valid_until - p.valid_from).days <= 100]
    if len(long_ones) >= 3:
        permit_suspend(permit=long_ones[1], reason="Еңбек инспекциясының тексеруі жүріп жатыр.", by=scene.officer)
        permit_revoke(permit=long_ones[2], reason="Жұмыс беруші еңбек шартын бұзды.", by=scene.officer)
    for i, permit in enumerate(short_ones[:2]):
        try:
            extension = permit_extension_request(permit=permit, by=scene.employer_account, today=scene.today)
        except ValidationError:
            continue  # outside the window on this day of the year
        counts["extensions"] += 1
        if i == 0:
            permit_extension_decide(extension=extension, grant=True, by=scene.officer)
    counts["expired"] = permits_expire(on=scene.today, by="koshiqon demo")


def _private_employers(scene: _Scene, count: int) -> list[Person]:
    found = list(Person.objects.filter(region=scene.region, citizenship__alpha2="KZ", iin__isnull=False,
                                       birth_date__lte=date(1990, 1, 1)).order_by("id")[:count])
    n = 0
    while len(found) < count:
        n += 1
        birth = date(1968, 3, n)
        iin = make_iin(birth, "F", 9000 + scene.seed * 10 + n)
        known = Person.objects.filter(iin=iin).first()
        found.append(known or person_create(
            last_name="Сапарова", first_name=("Әйгерім", "Мәдина", "Салтанат")[n % 3], birth_date=birth, sex="F",
            region=scene.region, citizenship=Country.objects.get(alpha2="KZ"), iin=iin, by=scene.officer,
            confirmed_new=True, today=scene.today))
    return found


def _household(scene: _Scene, counts: dict[str, int]) -> None:
    at_limit, other = _private_employers(scene, 2)
    for months in (12, 6, 3, 12, 9):
        household_permit_issue(employer_person=at_limit, worker=scene.passport(), region=scene.region, months=months,
                               by=scene.officer, today=scene.today)
        counts["household"] += 1
    revoked = household_permit_issue(employer_person=other, worker=scene.passport(), region=scene.region, months=4,
                                     by=scene.officer, today=scene.today)
    household_permit_revoke(permit=revoked, reason="Жұмысшы елге оралды.", by=scene.officer)
    household_permit_issue(employer_person=other, worker=scene.passport(), region=scene.region, months=1,
                           by=scene.officer, today=scene.today)
    counts["household"] += 2


def permits_demo(*, seed: int, by, today: date | None = None) -> dict[str, Any]:
    """The labour demo, then the permits of `seed` once; returns the counts ("created": False on a second run).
    All or nothing: a demo that fails half-way leaves nothing behind, and the next run starts again."""
    labour = labour_demo(seed=seed, by=by)
    if done := _done(seed):
        return {**done, "labour": labour}
    today = today or timezone.localdate()
    _ensure_quotas(by)
    with transaction.atomic():
        scene = _Scene(seed, today)
        before = PermitApplication.objects.count()
        counts = {"refused": 0, "extensions": 0, "expired": 0, "household": 0}
        try:
            permits = _applications(scene, counts)
            _life(scene, permits, counts)
        except ValidationError as exc:
            raise PermitsDemoError(f"a demo application was refused: {exc.messages}") from exc
        try:
            with transaction.atomic():
                _household(scene, counts)
        except ValidationError as exc:  # e.g. no advance-tax rate configured for this year
            counts["household"] = 0
            counts["household_skipped"] = " ".join(exc.messages)
        counts |= {"seed": seed, "applications": PermitApplication.objects.count() - before}
        audit_record(by=by, action=DEMO_ACTION, object_type="labour.permitapplication", after=counts)
    return {**counts, "created": True, "labour": labour}
