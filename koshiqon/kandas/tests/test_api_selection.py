"""`/api/v1/kandas/`: selection runs, decisions and letters, appeals and what-if, with the pages' rights."""

import pytest
from django.utils import timezone

from koshiqon.kandas.models import Application, RunStatus, SelectionRun
from koshiqon.kandas.tests.selection_setup import (
    GRID,
    make_application,
    make_plan,
    selection_scene,
    weasyprint_or_skip,
)

API = "/api/v1/kandas"


@pytest.fixture
def scene(reference):
    selection_scene()
    make_plan(2026, {"KZ-55": 5})
    return {
        "top": make_application(education="6", experience=6, size=4),
        "low": make_application(education="3"),
        "almaty": make_application(region="KZ-75", education="6"),
    }


@pytest.fixture
def run(scene, national, api_client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = api_client(national).post(f"{API}/selection-runs", {"year": 2026}, content_type="application/json")
    assert response.status_code == 202, response.content
    return SelectionRun.objects.get(pk=response.json()["id"])


def approve(client, run, reason="Minutes No. 9"):
    """POST the approval and let its job run, as the worker would once the request's transaction commits."""
    from django.test import TestCase

    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(f"{API}/selection-runs/{run.pk}/approve", {"reason": reason},
                           content_type="application/json")


def test_starting_a_run_answers_202_with_its_job(run, national, api_client):
    body = api_client(national).get(f"{API}/selection-runs/{run.pk}").json()
    assert (body["status"], body["year"], body["grid_version"]) == ("proposed", 2026, "grid-test")
    assert body["job_id"] == run.job_id and body["started_by"] == "national"
    assert body["summary"]["decisions"]["included"] == 1


def test_starting_a_run_for_a_year_without_a_plan_answers_422(scene, national, api_client):
    response = api_client(national).post(f"{API}/selection-runs", {"year": 2030}, content_type="application/json")
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "year"


def test_a_regional_officer_cannot_start_a_run(scene, officer, api_client):
    response = api_client(officer).post(f"{API}/selection-runs", {"year": 2026}, content_type="application/json")
    assert response.status_code == 403


def test_the_results_are_ranked_and_filtered(run, national, api_client, scene):
    body = api_client(national).get(f"{API}/selection-runs/{run.pk}/results").json()
    assert body["count"] == 3
    assert [r["number"] for r in body["items"]][0] == scene["top"].number
    assert body["items"][0]["breakdown"] == {"education": 30, "experience_years": 10}
    ineligible = api_client(national).get(f"{API}/selection-runs/{run.pk}/results?decision=ineligible").json()
    assert [r["number"] for r in ineligible["items"]] == [scene["low"].number]


def test_a_regional_officer_reads_only_the_results_of_their_regions(run, officer, api_client, scene):
    body = api_client(officer).get(f"{API}/selection-runs/{run.pk}/results").json()
    assert scene["almaty"].number not in {r["number"] for r in body["items"]}
    assert body["count"] == 2


def test_approval_is_refused_to_a_regional_officer_with_403(run, officer, api_client, scene):
    response = approve(api_client(officer), run)
    assert response.status_code == 403
    run.refresh_from_db()
    assert run.status == RunStatus.PROPOSED
    assert Application.objects.get(pk=scene["top"].pk).status == "recommended"


def test_a_national_officer_approves_and_the_decision_carries_support_and_letter_links(run, national, api_client,
                                                                                        scene):
    client = api_client(national)
    response = approve(client, run)
    assert response.status_code == 202 and response.json()["status"] == "approving"
    assert response.json()["approval_job_id"] is not None
    assert client.get(f"{API}/selection-runs/{run.pk}").json()["status"] == "approved"
    decision = client.get(f"{API}/applications/{scene['top'].pk}/decision").json()
    assert decision["status"] == "included"
    assert decision["support"]["items"][0]["code"] == "relocation"
    assert decision["verification_url"].startswith("http://testserver/kandas/verify/")
    assert decision["letter_url"] == f"http://testserver{API}/applications/{scene['top'].pk}/letter"
    assert approve(client, run).status_code == 422  # only a proposed run


def test_the_letter_is_a_pdf(run, national, api_client, scene):
    weasyprint_or_skip()
    client = api_client(national)
    approve(client, run)
    response = client.get(f"{API}/applications/{scene['top'].pk}/letter?lang=en")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_an_officer_of_another_region_gets_404_for_a_decision(run, national, other_officer, api_client, scene):
    approve(api_client(national), run)
    assert api_client(other_officer).get(f"{API}/applications/{scene['top'].pk}/decision").status_code == 404


def test_an_appeal_is_filed_and_decided(run, national, officer, api_client, scene):
    approve(api_client(national), run)
    low = Application.objects.get(pk=scene["low"].pk)
    client = api_client(officer)
    filed_on = timezone.localdate(low.decided_at).isoformat()
    response = client.post(f"{API}/applications/{low.pk}/appeals", {"grounds": "diploma", "filed_on": filed_on},
                           content_type="application/json")
    assert response.status_code == 201, response.content
    appeal = response.json()
    assert appeal["outcome"] == "pending" and appeal["due_on"] > filed_on
    listed = client.get(f"{API}/appeals?outcome=pending").json()
    assert [a["id"] for a in listed["items"]] == [appeal["id"]]
    decided = client.post(f"{API}/appeals/{appeal['id']}/decision", {"upheld": True, "text": "Diploma confirmed"},
                          content_type="application/json")
    assert decided.json()["outcome"] == "upheld"
    assert Application.objects.get(pk=low.pk).status == "recommended"


def test_an_included_family_cannot_appeal_422(run, national, officer, api_client, scene):
    approve(api_client(national), run)
    response = api_client(officer).post(f"{API}/applications/{scene['top'].pk}/appeals",
                                        {"grounds": "why", "filed_on": "2026-11-01"}, content_type="application/json")
    assert response.status_code == 422


def test_what_if_compares_a_draft_grid_with_the_grid_in_force(scene, national, api_client):
    draft = {**GRID, "pass_mark": 5}
    response = api_client(national).post(f"{API}/what-if", {"year": 2026, "grid": draft},
                                         content_type="application/json")
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["families_before"], body["families_after"]) == (1, 2)  # the low scorer passes and fits
    assert [m["number"] for m in body["entering"]] == [scene["low"].number]
    assert {s["key"] for s in body["by_region"]} == {"KZ-55"}


def test_what_if_refuses_a_quota_listing_a_region_twice(scene, national, api_client):
    quota = [{"region": "KZ-55", "quota": 3, "unit": "persons"}] * 2
    response = api_client(national).post(f"{API}/what-if", {"year": 2026, "quota": quota},
                                         content_type="application/json")
    assert response.status_code == 422


def test_what_if_is_refused_to_a_regional_officer(scene, officer, api_client):
    response = api_client(officer).post(f"{API}/what-if", {"year": 2026}, content_type="application/json")
    assert response.status_code == 403


def test_a_viewer_reads_runs_but_cannot_grant_status(run, national, viewer, api_client, scene):
    approve(api_client(national), run)
    assert api_client(viewer).get(f"{API}/selection-runs").status_code == 200
    assert api_client(viewer).post(f"{API}/applications/{scene['top'].pk}/status").status_code == 403


def test_reading_a_decision_and_its_letter_through_the_api_is_logged_against_the_head(run, national, officer,
                                                                                      api_client, scene):
    from koshiqon.core.models import AccessEvent

    approve(api_client(national), run)
    head = str(scene["top"].head_id)
    assert api_client(officer).get(f"{API}/applications/{scene['top'].pk}/decision").status_code == 200
    assert AccessEvent.objects.filter(user=officer, object_id=head, channel="api").count() == 1
    weasyprint_or_skip()
    assert api_client(officer).get(f"{API}/applications/{scene['top'].pk}/letter").status_code == 200
    assert AccessEvent.objects.filter(user=officer, object_id=head, channel="api").count() == 2


def test_what_if_is_refused_with_403_before_the_draft_is_checked(scene, officer, api_client):
    quota = [{"region": "KZ-55", "quota": 1, "unit": "persons"}, {"region": "KZ-55", "quota": 2, "unit": "persons"}]
    response = api_client(officer).post(f"{API}/what-if", {"year": 2026, "quota": quota},
                                        content_type="application/json")
    assert response.status_code == 403
