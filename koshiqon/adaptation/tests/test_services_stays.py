"""Check-in and check-out: a centre never holds more persons than its beds, on any night; a person stays in
one place at a time; all members of a check-in or none."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from koshiqon.adaptation.models import Stay
from koshiqon.adaptation.services.centres import centre_update
from koshiqon.adaptation.services.stays import stay_check_in, stay_check_out
from koshiqon.adaptation.tests.plans_setup import TODAY, make_centre, make_family, make_plan, members
from koshiqon.core.models import AuditEvent

pytestmark = pytest.mark.django_db

ONE = (("head", date(1980, 1, 1), "M"),)


def test_it_refuses_a_stay_when_the_centre_is_full(reference, centre_staff):
    from koshiqon.adaptation.services.catalogue import adaptation_catalogue_load

    adaptation_catalogue_load(by="test")
    centre = make_centre(beds=4, staff=centre_staff)
    first = make_plan(centre_staff, centre)  # three persons
    stay_check_in(plan=first, persons=members(first.family), on=date(2026, 6, 2), by=centre_staff, today=TODAY)
    second = make_plan(centre_staff, centre)
    with pytest.raises(ValidationError) as caught:
        stay_check_in(plan=second, persons=members(second.family)[:2], on=TODAY, by=centre_staff, today=TODAY)
    assert "The centre is full: 1 bed is free from that day; persons checking in: 2." in (
        caught.value.message_dict["persons"])
    assert Stay.objects.filter(plan=second).count() == 0  # all or none
    stay_check_in(plan=second, persons=members(second.family)[:1], on=TODAY, by=centre_staff, today=TODAY)
    assert Stay.objects.filter(centre=centre, check_out__isnull=True).count() == 4


def test_a_bed_freed_on_a_day_takes_an_arrival_of_that_day(reference, centre_staff):
    from koshiqon.adaptation.services.catalogue import adaptation_catalogue_load

    adaptation_catalogue_load(by="test")
    centre = make_centre(beds=1, staff=centre_staff)
    first = make_plan(centre_staff, centre, make_family(household=ONE))
    second = make_plan(centre_staff, centre, make_family(household=ONE))
    stays = stay_check_in(plan=first, persons=members(first.family), on=date(2026, 6, 2), by=centre_staff,
                          today=TODAY)
    with pytest.raises(ValidationError):
        stay_check_in(plan=second, persons=members(second.family), on=date(2026, 6, 10), by=centre_staff, today=TODAY)
    stay_check_out(stays=stays, on=date(2026, 6, 10), by=centre_staff, today=TODAY)
    # A late record of a check-in on the 9th would overlap the first stay's last night: refused.
    with pytest.raises(ValidationError):
        stay_check_in(plan=second, persons=members(second.family), on=date(2026, 6, 9), by=centre_staff, today=TODAY)
    stay_check_in(plan=second, persons=members(second.family), on=date(2026, 6, 10), by=centre_staff, today=TODAY)


def test_check_in_and_out_are_audited_and_dated_within_the_stay(centre, centre_staff):
    plan = make_plan(centre_staff, centre)
    people = members(plan.family)
    stays = stay_check_in(plan=plan, persons=people[:2], on=date(2026, 6, 3), by=centre_staff, today=TODAY)
    events = AuditEvent.objects.filter(action="adaptation.stay.check_in")
    assert events.count() == 2 and {e.after["person_id"] for e in events} == {p.pk for p in people[:2]}
    with pytest.raises(ValidationError) as caught:
        stay_check_out(stays=stays, on=date(2026, 6, 2), by=centre_staff, today=TODAY)
    assert "before the check-in" in caught.value.message_dict["on"][0]
    with pytest.raises(ValidationError):
        stay_check_out(stays=stays, on=date(2026, 6, 16), by=centre_staff, today=TODAY)
    stay_check_out(stays=stays, on=date(2026, 6, 12), by=centre_staff, today=TODAY)
    out = AuditEvent.objects.filter(action="adaptation.stay.check_out")
    assert out.count() == 2 and all(e.before["check_out"] is None for e in out)
    with pytest.raises(ValidationError) as caught:
        stay_check_out(stays=stays, by=centre_staff, today=TODAY)
    assert "already checked out" in caught.value.message_dict["stays"][0]


@pytest.mark.parametrize(("on", "field", "words"), [
    (date(2026, 6, 16), "on", "cannot be in the future"),
    (date(2026, 5, 30), "on", "nobody checks in before that"),
])
def test_a_check_in_lies_between_the_arrival_and_today(centre, centre_staff, on, field, words):
    plan = make_plan(centre_staff, centre, arrival=date(2026, 6, 1))
    with pytest.raises(ValidationError) as caught:
        stay_check_in(plan=plan, persons=members(plan.family), on=on, by=centre_staff, today=TODAY)
    assert words in caught.value.message_dict[field][0]


def test_a_person_stays_in_one_place_at_a_time_and_only_with_their_family(centre, centre_staff):
    plan = make_plan(centre_staff, centre)
    head = members(plan.family)[0]
    stay_check_in(plan=plan, persons=[head], on=date(2026, 6, 2), by=centre_staff, today=TODAY)
    with pytest.raises(ValidationError) as caught:
        stay_check_in(plan=plan, persons=[head], on=TODAY, by=centre_staff, today=TODAY)
    assert "Already staying" in caught.value.message_dict["persons"][0]
    stranger = members(make_family())[0]
    with pytest.raises(ValidationError) as caught:
        stay_check_in(plan=plan, persons=[stranger], on=TODAY, by=centre_staff, today=TODAY)
    assert "not a member of the family" in caught.value.message_dict["persons"][0]


def test_a_regional_officer_checks_nobody_in(centre, centre_staff, officer):
    plan = make_plan(centre_staff, centre)
    with pytest.raises(PermissionDenied):
        stay_check_in(plan=plan, persons=members(plan.family), by=officer, today=TODAY)


def test_the_beds_cannot_be_cut_below_the_persons_staying(centre, centre_staff, national):
    plan = make_plan(centre_staff, centre)
    stay_check_in(plan=plan, persons=members(plan.family), on=date(2026, 6, 2), by=centre_staff, today=TODAY)
    with pytest.raises(ValidationError) as caught:
        centre_update(centre=centre, beds=2, by=national, today=TODAY)
    assert "Persons staying in the centre from today on: 3." in caught.value.message_dict["beds"][0]
    centre_update(centre=centre, beds=3, by=national, today=TODAY, reason="Бір бөлме жөндеуде")
    with pytest.raises(ValidationError) as caught:
        stay_check_in(plan=make_plan(centre_staff, centre), persons=[], by=centre_staff, today=TODAY)
    assert "Choose who checks in" in caught.value.message_dict["persons"][0]
