"""The application procedure through its services: numbers, deadlines, transitions, rights, regions, audit."""

from datetime import date, datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from koshiqon.core.calendar import add_working_days
from koshiqon.core.models import AuditEvent
from koshiqon.kandas.models import Application
from koshiqon.kandas.selectors.applications import application_list, quota_utilisation
from koshiqon.kandas.services.applications import (
    kandas_check_file,
    kandas_commission,
    kandas_resubmit,
    kandas_withdraw,
    quota_plan_create,
)
from koshiqon.kandas.tests.applications_setup import (
    ALMATY,
    load_kandas_data,
    make_family,
    member_rows,
    submit,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def data(reference):
    load_kandas_data()


def events(application, action):
    return AuditEvent.objects.filter(object_type="kandas.application", object_id=str(application.pk), action=action)


# --- Submission --------------------------------------------------------------------------------------------

def test_an_application_gets_its_number_rules_members_and_deadlines(data, officer):
    family = make_family()

    application = submit(officer, family)

    assert application.number == "KQ-2026-000001"
    assert application.status == "submitted"
    assert application.rules_version.code == "rules-2026"
    assert application.head.pk == family.members.get(relation="head").person_id
    assert application.members.count() == 4
    head = application.members.get(relation="head")
    assert (head.education.code, head.occupation.code, head.experience_years) == ("6", "214", 12)
    assert application.checklist["application"] is True and application.checklist["photos"] is False
    # Received on Friday 20 March 2026, before the Nauryz days off of 21-25 March.
    assert application.check_due == date(2026, 3, 26)
    assert application.commission_due == date(2026, 3, 31)


def test_numbers_run_per_year(data, officer):
    first = submit(officer, make_family())
    second = submit(officer, make_family())
    older = submit(officer, make_family(), applied_at=datetime(2025, 11, 3, 9, 0, tzinfo=ALMATY))
    assert (first.number, second.number, older.number) == ("KQ-2026-000001", "KQ-2026-000002", "KQ-2025-000001")
    assert older.rules_version.code == "rules-2025"


def test_the_submission_is_audited_with_the_application(data, officer):
    application = submit(officer, make_family())
    event = events(application, "kandas.application.submit").get()
    assert event.actor == officer and event.region_code == "KZ-55"
    assert event.after["number"] == application.number and event.after["status"] == "submitted"


def test_a_region_that_is_not_designated_for_resettlement_is_refused(data, national):
    with pytest.raises(ValidationError) as error:
        submit(national, make_family(region="KZ-75"), region="KZ-75")
    assert "region" in error.value.message_dict


def test_an_officer_takes_applications_only_for_their_own_regions(data, officer):
    with pytest.raises(ValidationError) as error:
        submit(officer, make_family(), region="KZ-11")
    assert "region" in error.value.message_dict


def test_a_family_of_another_region_is_not_found(data, officer):
    with pytest.raises(ValidationError) as error:
        submit(officer, make_family(region="KZ-75"))
    assert "family" in error.value.message_dict


def test_a_viewer_may_not_submit(data, viewer):
    with pytest.raises(PermissionDenied):
        submit(viewer, make_family())


def test_members_must_belong_to_the_family_and_include_its_head(data, officer):
    family, stranger = make_family(), make_family()
    rows = member_rows(family)
    rows[1]["person"] = stranger.members.get(relation="spouse").person
    with pytest.raises(ValidationError) as error:
        submit(officer, family, members=rows)
    assert "members.1.person" in error.value.message_dict

    without_head = [r for r in member_rows(family) if r["relation"] != "head"]
    with pytest.raises(ValidationError) as error:
        submit(officer, family, members=without_head)
    assert "members" in error.value.message_dict


def test_member_details_are_checked_field_by_field(data, officer):
    family = make_family()
    rows = member_rows(family, education="12", occupation="99999", experience_years=40, kazakh="native")
    with pytest.raises(ValidationError) as error:
        submit(officer, family, members=rows)
    assert {"members.0.education", "members.0.occupation", "members.0.experience_years",
            "members.0.kazakh"} <= set(error.value.message_dict)


def test_a_family_applies_once_a_year(data, officer):
    family = make_family()
    first = submit(officer, family)
    with pytest.raises(ValidationError) as error:
        submit(officer, family)
    assert first.number in error.value.message_dict["family"][0]


def test_an_application_from_before_any_rules_is_refused(data, national):
    with pytest.raises(ValidationError) as error:
        submit(national, make_family(), applied_at=datetime(2013, 5, 6, 10, 0, tzinfo=ALMATY))
    assert "applied_at" in error.value.message_dict


def test_unknown_documents_and_priority_categories_are_refused(data, officer):
    with pytest.raises(ValidationError) as error:
        submit(officer, make_family(), checklist={"birth_horoscope": True}, priority="veteran")
    assert {"checklist", "priority"} <= set(error.value.message_dict)


# --- The procedure -----------------------------------------------------------------------------------------

def test_a_complete_file_goes_to_the_commission_with_its_term_from_the_check(data, officer):
    application = submit(officer, make_family())

    checked = kandas_check_file(application=application, complete=True, by=officer)

    assert checked.status == "checked"
    assert all(checked.checklist.values())
    assert checked.commission_due == add_working_days(timezone.localdate(), 3)
    event = events(application, "kandas.application.check").get()
    assert (event.before["status"], event.after["status"]) == ("submitted", "checked")


def test_an_incomplete_file_is_returned_with_the_missing_documents_and_handed_in_again(data, officer):
    application = submit(officer, make_family())

    returned = kandas_check_file(application=application, complete=False, missing=["photos"], by=officer)
    assert returned.status == "returned" and returned.checklist["photos"] is False
    assert returned.commission_due is None

    again = kandas_resubmit(application=returned, received=["photos"], by=officer)
    assert again.status == "submitted" and again.checklist["photos"] is True
    assert again.check_due == add_working_days(timezone.localdate(), 1)


def test_an_incomplete_file_must_say_what_is_missing(data, officer):
    application = submit(officer, make_family())
    with pytest.raises(ValidationError):
        kandas_check_file(application=application, complete=False, missing=[], by=officer)
    with pytest.raises(ValidationError):
        kandas_check_file(application=application, complete=True, missing=["photos"], by=officer)


def test_the_commission_recommends_or_gives_reasons(data, officer):
    recommended = kandas_check_file(application=submit(officer, make_family()), complete=True, by=officer)
    recommended = kandas_commission(application=recommended, recommend=True, by=officer)
    assert recommended.status == "recommended"

    rejected = kandas_check_file(application=submit(officer, make_family()), complete=True, by=officer)
    with pytest.raises(ValidationError) as error:
        kandas_commission(application=rejected, recommend=False, reasons="", by=officer)
    assert "reasons" in error.value.message_dict
    rejected = kandas_commission(application=rejected, recommend=False, reasons="Documents contradict each other",
                                 by=officer)
    assert rejected.status == "rejected"
    assert rejected.decision_reasons == ["Documents contradict each other"]


def test_a_step_out_of_order_is_refused_by_the_transition_table(data, officer):
    application = submit(officer, make_family())
    with pytest.raises(ValidationError) as error:
        kandas_commission(application=application, recommend=True, by=officer)
    assert "status" in error.value.message_dict
    assert Application.objects.get(pk=application.pk).status == "submitted"


def test_a_withdrawal_needs_a_reason_and_ends_the_case(data, officer):
    application = submit(officer, make_family())
    with pytest.raises(ValidationError):
        kandas_withdraw(application=application, reason=" ", by=officer)
    withdrawn = kandas_withdraw(application=application, reason="The family stays", by=officer)
    assert withdrawn.status == "withdrawn"
    with pytest.raises(ValidationError):
        kandas_check_file(application=withdrawn, complete=True, by=officer)


def test_an_officer_of_another_region_may_not_process_the_application(data, officer, other_officer):
    application = submit(officer, make_family())
    with pytest.raises(PermissionDenied):
        kandas_check_file(application=application, complete=True, by=other_officer)


def test_a_withdrawn_family_may_apply_again(data, officer):
    family = make_family()
    kandas_withdraw(application=submit(officer, family), reason="Changed the region", by=officer)
    assert submit(officer, family).number == "KQ-2026-000002"


# --- Overdue and utilisation -------------------------------------------------------------------------------

def test_the_list_flags_files_waiting_past_their_deadline(data, officer):
    late = submit(officer, make_family(), applied_at=datetime(2026, 2, 2, 9, 0, tzinfo=ALMATY))
    fresh = submit(officer, make_family(), applied_at=datetime(2026, 2, 2, 9, 0, tzinfo=ALMATY))
    kandas_check_file(application=fresh, complete=True, by=officer)

    flags = {a.pk: a.is_overdue for a in application_list(user=officer, today=date(2026, 2, 4))}
    assert flags == {late.pk: True, fresh.pk: False}
    flags_later = {a.pk: a.is_overdue for a in application_list(user=officer, today=date(2030, 1, 1))}
    assert flags_later == {late.pk: True, fresh.pk: True}
    overdue_only = application_list(user=officer, filters={"overdue": True}, today=date(2026, 2, 4))
    assert [a.pk for a in overdue_only] == [late.pk]


def test_quota_utilisation_counts_persons_granted_and_pending_per_region(data, officer, national):
    included = submit(officer, make_family())
    Application.objects.filter(pk=included.pk).update(status="included")
    submit(officer, make_family())  # pending: 4 persons
    withdrawn = submit(officer, make_family())
    kandas_withdraw(application=withdrawn, reason="No longer moving", by=officer)
    akmola = make_family(region="KZ-11", household=[("head", date(1980, 1, 1), "M")])
    submit(national, akmola, region="KZ-11")

    use = quota_utilisation(year=2026, category="kandas")

    rows = {row.code: row for row in use.rows}
    assert (rows["KZ-55"].quota, rows["KZ-55"].granted, rows["KZ-55"].pending, rows["KZ-55"].free) == (977, 4, 4, 973)
    assert (rows["KZ-11"].quota, rows["KZ-11"].granted, rows["KZ-11"].pending) == (285, 0, 1)
    assert (rows["KZ-27"].quota, rows["KZ-27"].free) == (30, 30)
    assert (use.total.quota, use.total.granted, use.total.pending) == (2281, 4, 5)
    assert rows["KZ-55"].bars == {"granted": 0.4, "pending": 0.4, "free": 99.2}


def test_quota_utilisation_counts_families_when_the_plan_does(data, officer):
    household = [("head", date(1970, 3, 1), "M"), ("spouse", date(1972, 5, 1), "F"), ("child", date(1999, 1, 1), "M")]
    family = make_family(household=household)
    application = submit(officer, family, applied_at=datetime(2007, 9, 3, 10, 0, tzinfo=ALMATY),
                         members=member_rows(family, experience_years=3))
    assert application.rules_version.code == "rules-2007"

    use = quota_utilisation(year=2007, category="kandas")

    assert use.plan.unit == "families"
    pavlodar = next(row for row in use.rows if row.code == "KZ-55")
    assert (pavlodar.quota, pavlodar.pending) == (950, 1)
    assert (use.total.quota, use.total.pending) == (15000, 1)


def test_a_quota_plan_takes_its_unit_from_the_rules_in_force(data, national, officer):
    with pytest.raises(PermissionDenied):
        quota_plan_create(year=2027, national_total=100, legal_act="Order", by=officer)
    plan = quota_plan_create(year=2027, national_total=100, legal_act="Order", regional={"KZ-55": 60}, by=national)
    assert plan.unit == "persons"
    assert plan.regional.get().amount == 60
    with pytest.raises(ValidationError) as error:
        quota_plan_create(year=2028, unit="families", national_total=10, regional={"KZ-55": 11},
                          legal_act="Order", by=national)
    assert {"unit", "regional"} <= set(error.value.message_dict)
