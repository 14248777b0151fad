"""Selection runs (start, the ranking job, approval, discard), kandas status and support, and appeals."""

from datetime import date, datetime, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from koshiqon.core.models import AuditEvent
from koshiqon.jobs.models import Job, JobStatus
from koshiqon.kandas.models import Appeal, Application, RunStatus, SelectionResult, SelectionRun
from koshiqon.kandas.services.selection import (
    appeal_decide,
    appeal_file,
    kandas_grant_status,
    selection_run_approve,
    selection_run_approve_start,
    selection_run_discard,
    selection_run_start,
)
from koshiqon.kandas.tests.selection_setup import (
    ALMATY,
    load_grid,
    make_application,
    make_plan,
    selection_scene,
)


@pytest.fixture
def scene(reference):
    return selection_scene()


@pytest.fixture
def plan(scene):
    return make_plan(2026, {"KZ-55": 7, "KZ-11": 0})


@pytest.fixture
def ranked(plan, national, django_capture_on_commit_callbacks):
    """Five applications of 2026 (scores 40, 30, 20, 10 in KZ-55; 30 in KZ-11), ranked and proposed."""
    apps = {
        "a": make_application(education="6", experience=6, size=4),  # 40 points, 4 persons
        "b": make_application(education="6", size=4),  # 30, 4 persons: does not fit in what is left (3)
        "c": make_application(education="5", size=3),  # 20, 3 persons: fits after b is skipped
        "d": make_application(education="3", size=1),  # 10: below the pass mark of 20
        "e": make_application(region="KZ-11", education="6", size=2),  # 30, but KZ-11 has no places
    }
    with django_capture_on_commit_callbacks(execute=True):
        run = selection_run_start(year=2026, by=national)
    run.refresh_from_db()
    return run, apps


def decisions(run):
    return {r.application.number: (r.rank, r.decision, float(r.score)) for r in run.results.select_related("application")}


def fresh(app):
    return Application.objects.get(pk=app.pk)


def test_a_run_fills_each_regional_quota_in_rank_order(ranked):
    run, apps = ranked
    got = decisions(run)
    assert got[apps["a"].number] == (1, "included", 40.0)
    assert got[apps["b"].number][1:] == ("waitlisted", 30.0)
    assert got[apps["e"].number][1:] == ("waitlisted", 30.0)
    assert got[apps["c"].number] == (4, "included", 20.0)
    assert got[apps["d"].number] == (5, "ineligible", 10.0)
    # b applied before e (created first) and wins the tie at 30 points.
    assert got[apps["b"].number][0] == 2 and got[apps["e"].number][0] == 3


def test_a_run_reports_progress_through_its_job_and_is_proposed_for_review(ranked):
    run, _apps = ranked
    assert run.status == RunStatus.PROPOSED
    job = Job.objects.get(pk=run.job_id)
    assert job.kind == "kandas.selection" and job.status == JobStatus.SUCCEEDED
    assert (job.done, job.total) == (5, 5)
    assert job.result["run"] == run.pk
    assert run.summary["decisions"] == {"included": 2, "waitlisted": 2, "ineligible": 1}
    assert run.summary["regions"]["KZ-55"] == {"included": 2, "waitlisted": 1, "ineligible": 1, "persons": 7, "quota": 7, "free": 7}
    assert AuditEvent.objects.filter(action="kandas.selection_run.propose", object_id=str(run.pk)).exists()


def test_a_proposed_run_changes_no_application_until_it_is_approved(ranked):
    _run, apps = ranked
    assert {fresh(a).status for a in apps.values()} == {"recommended"}
    assert fresh(apps["a"]).verification_code is None


def test_the_breakdown_of_each_result_gives_the_points_per_criterion(ranked):
    run, apps = ranked
    result = run.results.get(application=apps["a"])
    assert result.breakdown == {"education": 30, "experience_years": 10}


def test_starting_a_run_is_refused_to_a_regional_officer(plan, officer):
    with pytest.raises(PermissionDenied):
        selection_run_start(year=2026, by=officer)
    assert not SelectionRun.objects.exists()


def test_a_year_without_a_kandas_quota_plan_cannot_be_selected(scene, national):
    with pytest.raises(ValidationError) as caught:
        selection_run_start(year=2026, by=national)
    assert "year" in caught.value.message_dict


def test_a_second_run_of_the_year_waits_until_the_first_is_approved_or_discarded(ranked, national):
    run, _apps = ranked
    with pytest.raises(ValidationError):
        selection_run_start(year=2026, by=national)
    selection_run_discard(run=run, by=national, reason="The commission asked for corrections")
    assert selection_run_start(year=2026, by=national).status == RunStatus.RUNNING


def test_approval_is_refused_to_a_regional_officer(ranked, officer):
    run, apps = ranked
    with pytest.raises(PermissionDenied):
        selection_run_approve(run=run, by=officer, reason="I approve")
    run.refresh_from_db()
    assert run.status == RunStatus.PROPOSED
    assert fresh(apps["a"]).status == "recommended"
    assert not AuditEvent.objects.filter(action="kandas.selection_run.approve").exists()


def test_approval_applies_each_decision_and_audits_the_run_and_each_application(ranked, national):
    run, apps = ranked
    selection_run_approve(run=run, by=national, reason="Commission minutes No. 7")
    run.refresh_from_db()
    assert (run.status, run.approved_by) == (RunStatus.APPROVED, national)
    assert run.summary["applied"] == {"included": 2, "waitlisted": 2, "ineligible": 1, "skipped": 0}
    statuses = {k: fresh(a).status for k, a in apps.items()}
    assert statuses == {"a": "included", "b": "waitlisted", "c": "included", "d": "ineligible", "e": "waitlisted"}
    event = AuditEvent.objects.get(action="kandas.selection_run.approve")
    assert (event.actor, event.reason, event.before, event.after["status"]) == (
        national, "Commission minutes No. 7", {"status": "proposed"}, "approved")
    decided = AuditEvent.objects.filter(action="kandas.application.decide")
    assert decided.count() == 5
    a_event = decided.get(object_id=str(apps["a"].pk))
    assert (a_event.before, a_event.after["status"], a_event.after["rank"]) == ({"status": "recommended"}, "included", 1)


def test_an_approved_decision_stores_the_score_breakdown_explanation_and_grid(ranked, national, scene):
    run, apps = ranked
    selection_run_approve(run=run, by=national, reason="ok")
    a, d = fresh(apps["a"]), fresh(apps["d"])
    assert (float(a.score), a.grid_version, a.decided_at is not None) == (40.0, scene["grid"], True)
    assert a.breakdown["points"] == {"education": 30, "experience_years": 10}
    assert a.breakdown["explanation"]["en"][0] == "Education: Бакалавр (6) → 30 points"
    assert a.breakdown["explanation"]["kk"][-1].startswith("Барлығы: 40 ұпай")
    assert d.decision_reasons == ["below_pass_mark"]
    assert len({fresh(x).verification_code for x in apps.values()}) == 5


def test_an_included_family_gets_a_year_of_kandas_status_and_its_support_in_tenge(ranked, national, scene):
    run, apps = ranked
    selection_run_approve(run=run, by=national, reason="ok")
    a = fresh(apps["a"])
    today = timezone.localdate(a.decided_at)
    # One year, the day of the decision included (12 months less a day).
    from calendar import monthrange

    same_day_next_year = date(today.year + 1, today.month, min(today.day, monthrange(today.year + 1, today.month)[1]))
    assert a.status_valid_until == same_day_next_year - timedelta(days=1)
    support = a.support
    assert support["family_size"] == 4
    items = {item["code"]: item for item in support["items"]}
    assert items["relocation"]["mci"] == "280"
    assert items["relocation"]["tenge"] == 280 * support["mci_tenge"]
    assert isinstance(items["relocation"]["tenge"], int)
    assert fresh(apps["b"]).support == {} and fresh(apps["b"]).status_valid_until is None


@pytest.mark.parametrize(("moment", "mci", "relocation", "cap_mci"), [
    (datetime(2025, 12, 31, 15, 0, tzinfo=ALMATY), 3932, 1_100_960, "1160"),
    (datetime(2026, 1, 1, 9, 0, tzinfo=ALMATY), 4325, 1_211_000, "1625"),
])
def test_support_is_converted_at_the_mci_of_the_decision_date(ranked, national, monkeypatch, moment, mci,
                                                               relocation, cap_mci):
    run, apps = ranked
    monkeypatch.setattr(timezone, "now", lambda: moment)
    selection_run_approve(run=run, by=national, reason="ok")
    support = fresh(apps["a"]).support
    items = {item["code"]: item for item in support["items"]}
    assert (support["on"], support["mci_tenge"]) == (moment.date().isoformat(), mci)
    assert items["relocation"]["tenge"] == relocation  # 70 MCI x 4 members
    assert items["housing_certificate"]["mci"] == cap_mci
    assert support["rules_version"] == ("rules-2025" if moment.year == 2025 else "rules-2026")


def test_only_a_proposed_run_can_be_approved(ranked, national):
    run, _apps = ranked
    selection_run_approve(run=run, by=national, reason="ok")
    with pytest.raises(ValidationError):
        selection_run_approve(run=run, by=national, reason="again")


def test_an_approval_needs_a_reason(ranked, national):
    run, _apps = ranked
    with pytest.raises(ValidationError) as caught:
        selection_run_approve(run=run, by=national, reason="  ")
    assert "reason" in caught.value.message_dict


def test_an_application_withdrawn_after_the_run_keeps_its_status(ranked, national):
    run, apps = ranked
    Application.objects.filter(pk=apps["c"].pk).update(status="withdrawn")
    selection_run_approve(run=run, by=national, reason="ok")
    assert fresh(apps["c"]).status == "withdrawn"
    run.refresh_from_db()
    assert run.summary["applied"]["skipped"] == 1


def test_a_waitlisted_family_is_included_by_a_later_run_when_places_free_up(ranked, national, plan,
                                                                           django_capture_on_commit_callbacks):
    run, apps = ranked
    selection_run_approve(run=run, by=national, reason="ok")
    plan.regional.filter(region__code="KZ-11").update(amount=2)
    with django_capture_on_commit_callbacks(execute=True):
        second = selection_run_start(year=2026, by=national)
    second.refresh_from_db()
    assert SelectionResult.objects.filter(run=second).count() == 2  # only the waitlisted are selectable now
    selection_run_approve(run=second, by=national, reason="Places freed")
    assert fresh(apps["e"]).status == "included"
    assert fresh(apps["b"]).status == "waitlisted"


def test_a_run_whose_grid_reads_an_unknown_feature_fails_and_frees_the_year(reference, national,
                                                                            django_capture_on_commit_callbacks):
    from koshiqon.kandas.tests.selection_setup import GRID, load_education, load_mci, load_rules

    load_mci(), load_education(), load_rules()
    broken = {**GRID, "criteria": [{"field": "shoe_size", "kind": "map", "points": {"42": 5}}]}
    load_grid(broken)
    make_plan(2026, {"KZ-55": 5})
    make_application()
    with django_capture_on_commit_callbacks(execute=True):
        run = selection_run_start(year=2026, by=national)
    run.refresh_from_db()
    assert run.status == RunStatus.FAILED
    assert Job.objects.get(pk=run.job_id).status == JobStatus.FAILED
    selection_run_discard(run=run, by=national, reason="grid fixed")


def test_an_included_family_receives_its_status_certificate(ranked, national, officer):
    run, apps = ranked
    selection_run_approve(run=run, by=national, reason="ok")
    granted = kandas_grant_status(application=fresh(apps["a"]), by=officer)
    assert granted.status == "status_granted"
    with pytest.raises(Exception, match="cannot go from waitlisted to status_granted"):
        kandas_grant_status(application=fresh(apps["b"]), by=officer)


# --- Appeals ---------------------------------------------------------------------------------------------

@pytest.fixture
def decided(scene):
    """An application found ineligible on Monday 2 March 2026."""
    app = make_application(status="ineligible")
    Application.objects.filter(pk=app.pk).update(decided_at=datetime(2026, 3, 2, 11, 0, tzinfo=ALMATY))
    return fresh(app)


def test_an_appeal_is_due_twenty_working_days_after_filing_skipping_the_holidays(decided, officer):
    appeal = appeal_file(application=decided, grounds="My diploma was not counted", filed_on=date(2026, 3, 2),
                         by=officer)
    assert appeal.due_on == date(2026, 4, 3)  # 8 March and Nauryz fall inside the term
    event = AuditEvent.objects.get(action="kandas.appeal.file")
    assert (event.after["rules_version"], event.after["due_on"]) == ("rules-2026", "2026-04-03")


def test_an_appeal_can_be_filed_on_the_last_of_the_thirty_days_but_not_after(decided, officer):
    assert appeal_file(application=decided, grounds="late but in time", filed_on=date(2026, 4, 1), by=officer)
    Appeal.objects.all().update(outcome="dismissed")
    with pytest.raises(ValidationError) as caught:
        appeal_file(application=decided, grounds="too late", filed_on=date(2026, 4, 2), by=officer)
    assert caught.value.message_dict["filed_on"] == ["The time to appeal ended on 2026-04-01."]


def test_a_filing_term_that_ends_on_a_saturday_ends_on_the_next_monday(scene, officer):
    app = make_application(status="waitlisted")
    Application.objects.filter(pk=app.pk).update(decided_at=datetime(2026, 1, 8, 11, 0, tzinfo=ALMATY))
    appeal = appeal_file(application=fresh(app), grounds="waitlisted unfairly", filed_on=date(2026, 2, 9), by=officer)
    assert appeal.filed_on == date(2026, 2, 9)


def test_an_included_family_cannot_appeal(scene, officer):
    app = make_application(status="included")
    with pytest.raises(ValidationError):
        appeal_file(application=app, grounds="why not", filed_on=date(2026, 3, 2), by=officer)


def test_an_officer_of_another_region_cannot_file_an_appeal(decided, other_officer):
    with pytest.raises(PermissionDenied):
        appeal_file(application=decided, grounds="x", filed_on=date(2026, 3, 3), by=other_officer)


def test_an_upheld_appeal_sends_the_application_back_to_the_selection(decided, officer):
    Application.objects.filter(pk=decided.pk).update(verification_code="old-letter")
    appeal = appeal_file(application=decided, grounds="diploma", filed_on=date(2026, 3, 3), by=officer)
    appeal_decide(appeal=appeal, upheld=True, text="The diploma is level 6", by=officer, decided_on=date(2026, 3, 20))
    app = fresh(decided)
    assert (app.status, app.verification_code) == ("recommended", None)
    appeal.refresh_from_db()
    assert (appeal.outcome, appeal.decided_by, appeal.decided_on) == ("upheld", officer, date(2026, 3, 20))
    assert AuditEvent.objects.filter(action="kandas.application.appeal_upheld", object_id=str(app.pk)).exists()


def test_a_dismissed_appeal_leaves_the_decision_as_it_was(decided, officer):
    appeal = appeal_file(application=decided, grounds="diploma", filed_on=date(2026, 3, 3), by=officer)
    appeal_decide(appeal=appeal, upheld=False, text="The score is right", by=officer, decided_on=date(2026, 3, 4))
    assert fresh(decided).status == "ineligible"
    with pytest.raises(ValidationError):
        appeal_decide(appeal=appeal, upheld=True, text="changed my mind", by=officer)


def test_a_run_whose_worker_died_can_be_discarded_once_its_job_is_known_to_have_failed(plan, national):
    from koshiqon.jobs.services import job_fail

    run = selection_run_start(year=2026, by=national)  # its task is never delivered here
    with pytest.raises(ValidationError):
        selection_run_discard(run=run, by=national, reason="stuck")
    job_fail(run.job_id, "the worker was killed")
    assert selection_run_discard(run=run, by=national, reason="stuck").status == RunStatus.DISCARDED


def test_an_approval_runs_as_a_job_and_the_run_is_approving_until_it_ends(ranked, national,
                                                                         django_capture_on_commit_callbacks):
    run, apps = ranked
    with django_capture_on_commit_callbacks(execute=False) as pending:
        started = selection_run_approve_start(run=run, by=national, reason="Minutes No. 4")
    assert started.status == RunStatus.APPROVING and fresh(apps["a"]).status == "recommended"
    for callback in pending:  # the worker picks the job up once the request has committed
        callback()
    run.refresh_from_db()
    assert run.status == RunStatus.APPROVED and run.approval_job.status == JobStatus.SUCCEEDED
    assert fresh(apps["a"]).status == "included"


def test_a_failed_approval_job_leaves_the_run_proposed_and_no_decision_out(ranked, national, monkeypatch,
                                                                          django_capture_on_commit_callbacks):
    run, apps = ranked

    def broken(**kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr("koshiqon.kandas.services.selection.apply_decisions", broken)
    with django_capture_on_commit_callbacks(execute=True):
        selection_run_approve_start(run=run, by=national, reason="Minutes No. 4")
    run.refresh_from_db()
    assert run.status == RunStatus.PROPOSED and run.approval_job.status == JobStatus.FAILED
    assert fresh(apps["a"]).status == "recommended"
    assert AuditEvent.objects.filter(action="kandas.selection_run.approve_fail", object_id=str(run.pk)).exists()


def test_a_waitlisted_family_is_told_why_and_a_region_without_places_is_named_as_such(ranked, national):
    run, apps = ranked
    selection_run_approve(run=run, by=national, reason="Minutes No. 4")
    assert fresh(apps["b"]).decision_reasons == ["quota_full"]  # KZ-55 had places, but not enough for b
    assert fresh(apps["e"]).decision_reasons == ["no_regional_quota"]  # the plan gives KZ-11 none


def test_approval_is_refused_when_an_admitted_family_changed_size_since_the_run(ranked, national):
    from koshiqon.kandas.models import ApplicantMember

    run, apps = ranked
    admitted = apps["a"]
    ApplicantMember.objects.filter(application=admitted).order_by("-id").first().delete()
    with pytest.raises(ValidationError) as exc:
        selection_run_approve(run=run, by=national, reason="Minutes No. 4")
    assert admitted.number in str(exc.value)
    run.refresh_from_db()
    assert run.status == RunStatus.PROPOSED and fresh(admitted).status == "recommended"
