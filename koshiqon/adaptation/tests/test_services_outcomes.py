"""Outcomes recorded one by one or many at once (the engine placement uses): all rows or none, corrections
audited with the values before, and a system actor for generated history."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from koshiqon.adaptation.models import Outcome
from koshiqon.adaptation.selectors.placement import outcome_rows
from koshiqon.adaptation.services.outcomes import outcome_record, outcomes_record_many
from koshiqon.adaptation.tests.plans_setup import make_centre, make_plan, members, other_staff
from koshiqon.core.audit import audit_verify
from koshiqon.core.models import AuditEvent

pytestmark = pytest.mark.django_db

ARRIVAL = date(2025, 5, 10)
TODAY = date(2026, 6, 15)  # 13 months after arrival: every checkpoint reached


@pytest.fixture
def plan(centre, centre_staff):
    return make_plan(centre_staff, centre, arrival=ARRIVAL, today=ARRIVAL)


def test_staff_record_an_outcome_and_correct_it(plan, centre_staff):
    head = members(plan.family)[0]
    outcome = outcome_record(plan=plan, person=head, months=3, employed="no", by=centre_staff, today=TODAY)
    assert outcome.employed == "no" and outcome.recorded_by == centre_staff and outcome.source == "entry"
    assert outcome_record(plan=plan, person=head, months=3, employed="no", by=centre_staff, today=TODAY) is None
    outcome_record(plan=plan, person=head, months=3, employed="yes", sector="F", by=centre_staff, today=TODAY)
    outcome.refresh_from_db()
    assert (outcome.employed, outcome.sector) == ("yes", "F")
    events = AuditEvent.objects.filter(action__startswith="adaptation.outcome").order_by("seq")
    assert [e.action for e in events] == ["adaptation.outcome.record", "adaptation.outcome.correct"]
    assert events[1].before["employed"] == "no" and events[1].after["employed"] == "yes"
    assert audit_verify() is None


def test_a_wrong_row_saves_nothing_and_every_problem_is_named_by_row(plan, centre_staff):
    head, spouse, child = members(plan.family)
    rows = [
        {"plan": plan, "person": head, "months": 3, "employed": "yes"},
        {"plan": plan, "person": spouse, "months": 6, "employed": "maybe"},
        {"plan": plan, "person": child, "months": 3, "employed": "no"},  # 13 years old
        {"plan": plan.number, "person": head.pk, "months": 3, "employed": "no"},  # the same checkpoint again
        {"plan": "AP-2099-000001", "person": head.pk, "months": 3, "employed": "no"},
        {"plan": plan, "person": head, "months": 6, "employed": "yes", "stayed_in_region": "yes"},
    ]
    with pytest.raises(ValidationError) as caught:
        outcomes_record_many(rows=rows, by=centre_staff, today=TODAY)
    assert set(caught.value.message_dict) == {"rows.1.employed", "rows.2.person", "rows.3.months", "rows.4.plan",
                                              "rows.5.stayed_in_region"}
    assert not Outcome.objects.exists()


def test_a_checkpoint_not_reached_cannot_be_recorded(plan, centre_staff):
    head = members(plan.family)[0]
    with pytest.raises(ValidationError) as caught:
        outcome_record(plan=plan, person=head, months=12, employed="yes", by=centre_staff, today=date(2026, 5, 9))
    assert caught.value.message_dict == {"months": ["12 months have not passed since the arrival yet."]}


def test_the_system_records_history_in_one_batch_for_placement(plan, centre_staff):
    head, spouse, _child = members(plan.family)
    rows = [{"plan": plan.pk, "person": p.pk, "months": m, "employed": e, "stayed_in_region": s}
            for p, m, e, s in ((head, 3, "no", ""), (head, 6, "yes", ""), (head, 12, "yes", "yes"),
                               (spouse, 12, "unknown", "no"))]
    result = outcomes_record_many(rows=rows, by="placement demo", source="system", today=TODAY)
    assert (result.created, result.updated, result.unchanged) == (4, 0, 0)
    events = AuditEvent.objects.filter(action="adaptation.outcome.record")
    assert events.count() == 4 and {e.actor_label for e in events} == {"placement demo"}
    assert outcome_rows() == [
        {"family_id": plan.family_id, "person_id": head.pk, "region_code": "KZ-55", "employed_3m": False,
         "employed_6m": True, "employed_12m": True, "stayed_12m": True},
        {"family_id": plan.family_id, "person_id": spouse.pk, "region_code": "KZ-55", "employed_3m": None,
         "employed_6m": None, "employed_12m": None, "stayed_12m": False},
    ]
    assert outcome_rows(region_codes=["KZ-75"]) == []


def test_only_staff_of_the_plans_centre_record_outcomes(plan, centre_staff, officer, reference):
    stranger = other_staff()
    make_centre(region="KZ-75", staff=stranger)
    head = members(plan.family)[0]
    with pytest.raises(ValidationError) as caught:
        outcome_record(plan=plan, person=head, months=3, employed="yes", by=stranger, today=TODAY)
    assert caught.value.message_dict == {"plan": ["There is no such plan at your centres."]}
    with pytest.raises(PermissionDenied):
        outcome_record(plan=plan, person=head, months=3, employed="yes", by=officer, today=TODAY)
