"""Extensions of a permit: the window of 60 to 30 days before its end, at most 3 extensions in categories 2-3,
the 3-working-day deadline, the decision, and who may ask and decide."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from koshiqon.labour.models import Permit
from koshiqon.labour.services.extensions import permit_extension_decide, permit_extension_request
from koshiqon.labour.services.permit_decision import permit_application_decide
from koshiqon.labour.tests.factories import (
    load_mci,
    make_allocation,
    make_application,
    make_employer,
    make_vacancy,
    occupation,
)

pytestmark = pytest.mark.django_db
END = date(2027, 3, 1)


@pytest.fixture
def company(reference, employer):
    load_mci()
    occupation()
    for category in ("1", "2", "3", "4", "seasonal"):
        make_allocation(year=2026, category=category, places=10)
    return make_employer(users=[employer], staff={c: (95, 0) for c in ("1", "2", "3", "4")})


def permit_of(company, officer, *, category="3", kind="standard", end=END, extensions=0) -> Permit:
    vacancy = make_vacancy(company, posted_on=date(2026, 1, 5), code="9211" if kind == "seasonal" else "2142")
    application = make_application(company, applied_on=date(2026, 3, 2), category=category, kind=kind,
                                   vacancy=vacancy, seasonal_days=90 if kind == "seasonal" else None,
                                   code="9211" if kind == "seasonal" else "2142")
    decided = permit_application_decide(application=application, by=officer, today=date(2026, 3, 4))
    assert decided.status == "granted", decided.reasons
    Permit.objects.filter(pk=decided.permit.pk).update(valid_until=end, extensions=extensions)
    return Permit.objects.get(pk=decided.permit.pk)


@pytest.mark.parametrize(("days_before", "allowed"), [(61, False), (60, True), (30, True), (29, False)])
def test_an_extension_is_asked_60_to_30_days_before_the_end(company, officer, employer, days_before, allowed):
    permit = permit_of(company, officer)
    on = END - timedelta(days=days_before)
    if allowed:
        extension = permit_extension_request(permit=permit, by=employer, today=on)
        assert extension.status == "requested" and extension.months == 12
    else:
        with pytest.raises(ValidationError) as exc:
            permit_extension_request(permit=permit, by=employer, today=on)
        assert "2026-12-31 to 2027-01-30" in exc.value.message_dict["permit"][0]


@pytest.mark.parametrize(("category", "extensions", "allowed"), [
    ("2", 2, True), ("2", 3, False), ("3", 3, False), ("1", 5, True), ("4", 7, True)])
def test_categories_2_and_3_are_extended_at_most_three_times(company, officer, employer, category, extensions,
                                                             allowed):
    permit = permit_of(company, officer, category=category, extensions=extensions)
    on = END - timedelta(days=45)
    if allowed:
        assert permit_extension_request(permit=permit, by=employer, today=on).status == "requested"
    else:
        with pytest.raises(ValidationError) as exc:
            permit_extension_request(permit=permit, by=employer, today=on)
        assert "already extended 3 times" in exc.value.message_dict["permit"][0]


def test_a_granted_extension_runs_on_from_the_day_after_the_end_and_is_due_in_3_working_days(company, officer,
                                                                                            employer):
    permit = permit_of(company, officer, category="2", extensions=2)
    extension = permit_extension_request(permit=permit, by=employer, today=date(2027, 1, 15))  # a Friday
    assert extension.decision_due == date(2027, 1, 20)
    with pytest.raises(ValidationError):
        permit_extension_request(permit=permit, by=employer, today=date(2027, 1, 16))  # one request at a time
    decided = permit_extension_decide(extension=extension, grant=True, by=officer)
    permit.refresh_from_db()
    assert decided.status == "granted" and permit.extensions == 3
    assert permit.valid_until == date(2028, 3, 1)


def test_a_refusal_needs_its_reasons_and_leaves_the_permit_as_it_was(company, officer, employer):
    permit = permit_of(company, officer)
    extension = permit_extension_request(permit=permit, by=employer, today=date(2027, 1, 15))
    with pytest.raises(ValidationError):
        permit_extension_decide(extension=extension, grant=False, reasons="", by=officer)
    decided = permit_extension_decide(extension=extension, grant=False, reasons="Еңбек шарты бұзылған", by=officer)
    permit.refresh_from_db()
    assert decided.status == "refused" and decided.reasons == ["Еңбек шарты бұзылған"]
    assert permit.valid_until == END and permit.extensions == 0


def test_a_seasonal_permit_is_not_extended(company, officer, employer):
    permit = permit_of(company, officer, kind="seasonal", category="seasonal")
    with pytest.raises(ValidationError) as exc:
        permit_extension_request(permit=permit, by=employer, today=END - timedelta(days=40))
    assert "seasonal" in exc.value.message_dict["permit"][0]


def test_another_employer_may_not_ask_and_the_employer_may_not_decide(company, officer, employer):
    from koshiqon.accounts.factories import UserFactory

    permit = permit_of(company, officer)
    stranger = UserFactory(username="stranger", role="employer")
    make_employer(users=[stranger])
    with pytest.raises(PermissionDenied):
        permit_extension_request(permit=permit, by=stranger, today=END - timedelta(days=40))
    extension = permit_extension_request(permit=permit, by=employer, today=END - timedelta(days=40))
    with pytest.raises(PermissionDenied):
        permit_extension_decide(extension=extension, grant=True, by=employer)
