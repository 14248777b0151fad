"""Plans and referrals: who may make them, what is checked, defaults from the kandas application, delivery
and progress, closing; each write audited in its transaction."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from koshiqon.adaptation.models import Plan, Referral
from koshiqon.adaptation.selectors.plans import plan_view
from koshiqon.adaptation.services.plans import plan_close, referral_add, referral_deliver
from koshiqon.adaptation.services.stays import stay_check_in
from koshiqon.adaptation.tests.plans_setup import (
    TODAY,
    make_centre,
    make_family,
    make_plan,
    members,
    other_staff,
)
from koshiqon.core.audit import audit_verify
from koshiqon.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_staff_make_a_plan_with_referrals_due_on_the_services_terms(centre, centre_staff):
    plan = make_plan(centre_staff, centre, arrival=date(2026, 6, 1))
    assert plan.number == "AP-2026-000001" and plan.family_size == 3 and plan.financial_aid_tenge == 0
    due = {r.service.code: r.due_on for r in plan.referrals.select_related("service")}
    assert due == {"information": date(2026, 6, 16), "state_language": date(2026, 7, 15),
                   "psychologist": date(2026, 6, 29)}  # counted from the referral (15 June), made after arrival
    events = AuditEvent.objects.filter(action__startswith="adaptation.").exclude(action__startswith="adaptation.cat")
    assert [e.action for e in events] == ["adaptation.plan.create"] + ["adaptation.referral.add"] * 3
    assert events[0].actor == centre_staff and events[0].region_code == "KZ-55"
    assert events[0].after["number"] == plan.number
    assert audit_verify() is None


def test_a_plan_takes_its_size_and_aid_from_the_families_kandas_application(centre, centre_staff, officer):
    from koshiqon.kandas.tests.applications_setup import load_kandas_data, submit

    load_kandas_data()
    family = make_family()
    application = submit(officer, family)
    application.support = {"family_total_tenge": 1_234_500}
    application.save()
    application.members.filter(relation="child").delete()  # the child stays behind
    plan = make_plan(centre_staff, centre, family)
    assert plan.application == application and plan.family_size == 2 and plan.financial_aid_tenge == 1_234_500


def test_a_plan_is_refused_with_every_problem_named(centre, centre_staff):
    family = make_family()
    make_plan(centre_staff, centre, family)
    with pytest.raises(ValidationError) as caught:
        make_plan(centre_staff, centre, family, arrival=date(1980, 1, 1), transport="camel", family_size=0,
                  services=["no_such_service"])
    errors = caught.value.message_dict
    assert set(errors) == {"family", "arrival_date", "transport", "family_size", "services"}
    assert "already has an active plan" in errors["family"][0]


def test_a_family_settling_elsewhere_gets_no_plan_here(centre, centre_staff):
    with pytest.raises(ValidationError) as caught:
        make_plan(centre_staff, centre, make_family(region="KZ-75"))
    assert "does not settle in the centre's region" in caught.value.message_dict["family"][0]


def test_only_staff_of_the_centre_make_plans_there(centre, officer, national, reference):
    stranger = other_staff()
    with pytest.raises(PermissionDenied):
        make_plan(stranger, centre)
    with pytest.raises(PermissionDenied):
        make_plan(officer, centre)  # a regional officer reads plans but never writes them
    with pytest.raises(PermissionDenied):
        make_plan(national, centre)
    assert not Plan.objects.exists()


def test_delivering_services_moves_the_progress(centre, centre_staff):
    plan = make_plan(centre_staff, centre)
    referrals = list(plan.referrals.order_by("id"))
    assert plan_view(plan=plan, today=TODAY).progress.percent == 0
    referral_deliver(referral=referrals[0], delivered_on=TODAY, note="Кеңес берілді", by=centre_staff, today=TODAY)
    progress = plan_view(plan=plan, today=TODAY).progress
    assert (progress.delivered, progress.referred, progress.percent) == (1, 3, 33)
    delivered = Referral.objects.get(pk=referrals[0].pk)
    assert delivered.delivered_by == centre_staff and delivered.delivery_note == "Кеңес берілді"
    event = AuditEvent.objects.get(action="adaptation.referral.deliver")
    assert event.before["delivered_on"] is None and event.after["delivered_on"] == TODAY.isoformat()


def test_a_delivery_is_recorded_once_and_never_in_the_future(centre, centre_staff):
    plan = make_plan(centre_staff, centre)
    referral = plan.referrals.first()
    with pytest.raises(ValidationError) as caught:
        referral_deliver(referral=referral, delivered_on=date(2026, 6, 16), by=centre_staff, today=TODAY)
    assert "cannot be in the future" in caught.value.message_dict["delivered_on"][0]
    referral_deliver(referral=referral, by=centre_staff, today=TODAY)
    with pytest.raises(ValidationError) as caught:
        referral_deliver(referral=referral, by=centre_staff, today=TODAY)
    assert "already recorded" in caught.value.message_dict["delivered_on"][0]


def test_a_referral_goes_to_a_service_the_centre_gives_for_a_member_of_the_family(centre, centre_staff):
    plan = make_plan(centre_staff, centre)
    spouse = members(plan.family)[1]
    referral = referral_add(plan=plan, service="vocational_training", person=spouse, by=centre_staff, today=TODAY)
    assert referral.due_on == date(2026, 8, 14) and referral.person == spouse
    stranger = members(make_family())[0]
    with pytest.raises(ValidationError) as caught:
        referral_add(plan=plan, service="teleportation", person=stranger, by=centre_staff, today=TODAY)
    assert set(caught.value.message_dict) == {"service", "person"}
    with pytest.raises(ValidationError) as caught:
        referral_add(plan=plan, service="psychologist", due_on=date(2026, 6, 1), by=centre_staff, today=TODAY)
    assert "cannot be before the referral" in caught.value.message_dict["due_on"][0]


def test_a_plan_closes_with_a_reason_once_nobody_stays(centre, centre_staff):
    plan = make_plan(centre_staff, centre)
    stays = stay_check_in(plan=plan, persons=members(plan.family)[:1], on=date(2026, 6, 2), by=centre_staff,
                          today=TODAY)
    with pytest.raises(ValidationError) as caught:
        plan_close(plan=plan, reason="Көшті", by=centre_staff, today=TODAY)
    assert "still stay" in caught.value.message_dict["plan"][0]
    from koshiqon.adaptation.services.stays import stay_check_out

    stay_check_out(stays=stays, on=date(2026, 6, 10), by=centre_staff, today=TODAY)
    with pytest.raises(ValidationError):
        plan_close(plan=plan, reason="  ", by=centre_staff, today=TODAY)
    plan_close(plan=plan, reason="Отбасы пәтер жалдады", by=centre_staff, today=TODAY)
    plan.refresh_from_db()
    assert plan.status == "closed" and plan.closed_on == TODAY
    assert AuditEvent.objects.get(action="adaptation.plan.close").reason == "Отбасы пәтер жалдады"
    with pytest.raises(ValidationError):
        referral_add(plan=plan, service="psychologist", by=centre_staff, today=TODAY)
    make_plan(centre_staff, centre, plan.family)  # a new plan for the family once the old one is closed


def test_staff_of_another_centre_may_not_touch_the_plan(centre, centre_staff, reference):
    plan = make_plan(centre_staff, centre)
    stranger = other_staff()
    make_centre(region="KZ-75", staff=stranger)
    with pytest.raises(PermissionDenied):
        referral_deliver(referral=plan.referrals.first(), by=stranger, today=TODAY)
    with pytest.raises(PermissionDenied):
        plan_close(plan=plan, reason="x", by=stranger, today=TODAY)
