"""The permit decision's hand-written statements (ADR 0014) read and write what the ORM would: the locked
application with its records, the local jobseekers by the exchange's own rule, and the rows it inserts and
updates (`koshiqon.core.rows`). Run on SQLite and on PostgreSQL."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import transaction
from django.utils import timezone

from koshiqon.core.rows import insert, update
from koshiqon.labour.models import Jobseeker, Permit, PermitApplication
from koshiqon.labour.selectors.exchange import local_jobseekers_count
from koshiqon.labour.services.permit_decision import _locked, permit_application_decide
from koshiqon.labour.tests.factories import (
    load_mci,
    make_allocation,
    make_application,
    make_employer,
    make_vacancy,
    occupation,
    region,
)

pytestmark = pytest.mark.django_db
TODAY = date(2026, 11, 20)


def values(obj) -> dict:
    return {f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields}


def locked(pk, scope=None):
    with transaction.atomic():
        return _locked(pk, scope)


@pytest.fixture
def scene(reference):
    load_mci()
    occupation()
    make_allocation(year=2026, category="3", places=10)


def test_the_locked_application_is_the_one_the_orm_reads_with_each_of_its_records(scene, national):
    employer = make_employer()
    application = make_application(employer, applied_on=date(2026, 11, 2),
                                   vacancy=make_vacancy(employer, posted_on=date(2026, 10, 1)))
    permit_application_decide(application=application, by=national, today=TODAY)  # JSON, decimal, time
    read = locked(application.pk)
    orm = PermitApplication.objects.select_related("employer", "region", "occupation", "vacancy", "worker").get(
        pk=application.pk)
    assert values(read) == values(orm)
    assert read.fee_mci == orm.fee_mci and isinstance(read.fee_mci, Decimal)
    assert read.steps == orm.steps and read.steps[0]["code"] == "category"
    assert read.decided_at == orm.decided_at and timezone.is_aware(read.decided_at)
    for name in ("employer", "region", "occupation", "vacancy", "worker"):
        assert values(getattr(read, name)) == values(getattr(orm, name)), name
    assert read.worker.full_name == orm.worker.full_name


def test_an_application_quoting_no_vacancy_is_read_without_one(scene):
    application = make_application(make_employer(), applied_on=date(2020, 5, 4), employment_body_notified=True)
    read = locked(application.pk)
    assert read.vacancy is None and read.vacancy_id is None
    assert read.region.code == "KZ-55"


def test_an_application_outside_the_officers_regions_is_not_read(scene):
    application = make_application(make_employer(), applied_on=date(2026, 11, 2))
    kz55, kz75 = region("KZ-55").pk, region("KZ-75").pk
    assert locked(application.pk, {kz75}) is None
    assert locked(application.pk, set()) is None
    assert locked(application.pk, {kz75, kz55}).pk == application.pk
    assert locked(application.pk + 1000) is None


def test_the_decision_counts_local_jobseekers_by_the_exchange_rule(scene):
    for code in ("21", "214", "2142", "711"):
        occupation(code)
    on = date(2026, 3, 1)
    seekers = [  # (occupation, region, registered on, deregistered on)
        ("214", "KZ-55", date(2025, 1, 1), None), ("2142", "KZ-55", date(2025, 1, 1), None),
        ("2142", "KZ-55", on, None), ("2142", "KZ-55", on + timedelta(days=1), None),
        ("2142", "KZ-55", date(2025, 1, 1), on - timedelta(days=1)), ("2142", "KZ-55", date(2025, 1, 1), on),
        ("2142", "KZ-55", date(2025, 1, 1), on + timedelta(days=1)), ("2142", "KZ-75", date(2025, 1, 1), None),
        ("711", "KZ-55", date(2025, 1, 1), None), ("21", "KZ-55", date(2025, 1, 1), None),
    ]
    Jobseeker.objects.bulk_create([
        Jobseeker(registration=f"JS-{i}", occupation=occupation(code), region=region(where), registered_on=since,
                  deregistered_on=until) for i, (code, where, since, until) in enumerate(seekers)])
    employer = make_employer()
    counted = {}
    for code in ("21", "214", "2142", "711"):
        for applied_on in (on - timedelta(days=1), on, on + timedelta(days=1)):
            for where in ("KZ-55", "KZ-75"):
                application = make_application(employer, applied_on=applied_on, code=code, region_code=where)
                expected = local_jobseekers_count(region=where, occupation=code, on=applied_on)
                assert locked(application.pk).jobseekers_then == expected, (code, applied_on, where)
                counted[(code, applied_on, where)] = expected
    assert counted[("2142", on, "KZ-55")] == 3 and counted[("214", on, "KZ-55")] == 4
    assert counted[("21", on, "KZ-55")] == 5 and counted[("2142", on, "KZ-75")] == 1


def test_a_row_inserted_by_hand_is_the_one_save_would_write(scene):
    application = make_application(make_employer(), applied_on=date(2026, 11, 2))
    before = timezone.now()
    with transaction.atomic():
        permit = insert(Permit(number="WP-55-2026-000001", application=application, employer=application.employer,
                               worker=application.worker, region=application.region, kind="standard", category="3",
                               valid_from=TODAY, valid_until=date(2027, 11, 19)))
    stored = Permit.objects.get(pk=permit.pk)
    assert values(stored) == values(permit)
    assert (stored.status, stored.extensions, stored.status_reason, stored.allocation_id) == ("issued", 0, "", None)
    assert stored.created_at >= before and stored.updated_at >= before
    assert not permit._state.adding


def test_an_update_by_hand_writes_only_the_named_fields_and_the_update_time(scene):
    application = make_application(make_employer(), applied_on=date(2026, 11, 2))
    stamped = PermitApplication.objects.get(pk=application.pk).updated_at
    application.regime, application.fee_mci, application.steps = "exchange", Decimal("12.50"), [{"code": "x"}]
    application.months = 3  # changed in memory, not named: stays 12 in the database
    with transaction.atomic():
        update(application, ["regime", "fee_mci", "steps", "updated_at"])
    stored = PermitApplication.objects.get(pk=application.pk)
    assert (stored.regime, stored.fee_mci, stored.steps, stored.months) == ("exchange", Decimal("12.50"),
                                                                             [{"code": "x"}], 12)
    assert stored.updated_at > stamped
    application.pk = application.pk + 1000
    with pytest.raises(PermitApplication.DoesNotExist):
        update(application, ["regime"])
