"""The /api/v1/placement/ wiring: the same services and rights as the pages, 401/403/404/422 as documented."""

import pytest

from koshiqon.core.models import AuditEvent
from koshiqon.jobs.models import Job
from koshiqon.placement.models import BatchStatus, PlacementBatch
from koshiqon.placement.tests.scene import ARRIVAL, YEAR

API = "/api/v1/placement"


@pytest.fixture
def proposed(batch_scene, national, api_client, django_capture_on_commit_callbacks):
    client = api_client(national)
    made = client.post(f"{API}/batches", {"year": YEAR, "arrival_date": ARRIVAL.isoformat()},
                       content_type="application/json")
    assert made.status_code == 201, made.json()
    batch_id = made.json()["id"]
    families = client.get(f"{API}/batches/{batch_id}/families?limit=100").json()["items"]
    fragile = next(f for f in families if f["application_id"] == batch_scene["fragile"].pk)
    needs = client.put(f"{API}/batches/{batch_id}/families/{fragile['id']}/needs", {"needs": ["psychologist"]},
                       content_type="application/json")
    assert needs.status_code == 200 and needs.json()["needs"] == ["psychologist"]
    with django_capture_on_commit_callbacks(execute=True):
        solved = client.post(f"{API}/batches/{batch_id}/solve")
    assert solved.status_code == 202
    return PlacementBatch.objects.get(pk=batch_id)


def test_the_api_needs_a_user_and_the_right_to_view_placement(client, analyst, api_client, active_model):
    assert client.get(f"{API}/models").status_code == 401
    assert api_client(analyst).get(f"{API}/models").status_code == 403


def test_models_are_listed_with_their_cards(national, api_client, active_model, api_token, client):
    token = api_token(national)
    listed = client.get(f"{API}/models", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert listed.status_code == 200 and listed.json()["items"][0]["id"] == active_model.pk
    detail = client.get(f"{API}/models/{active_model.pk}", HTTP_AUTHORIZATION=f"Bearer {token}").json()
    assert detail["active"] and detail["card"]["test"]["auc"] == active_model.auc
    assert client.get(f"{API}/models/999999", HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 404


def test_training_through_the_api_is_a_job_for_national_officers_only(national, officer, api_client, demo_history,
                                                                     django_capture_on_commit_callbacks):
    assert api_client(officer).post(f"{API}/models", {}, content_type="application/json").status_code == 403
    client = api_client(national)
    assert client.post(f"{API}/models", {"kind": "neural"}, content_type="application/json").status_code == 422
    with django_capture_on_commit_callbacks(execute=True):
        started = client.post(f"{API}/models", {"kind": "logistic"}, content_type="application/json")
    assert started.status_code == 202
    job = client.get(f"{API}/jobs/{started.json()['job_id']}").json()
    assert job["status"] == "succeeded" and job["result"]["model"]


def test_the_history_import_reports_bad_rows_in_the_jobs_result(national, api_client, reference,
                                                                django_capture_on_commit_callbacks):
    from django.core.files.uploadedfile import SimpleUploadedFile

    data = b"family,year,origin,region,age,sex\nA-1,2023,CN,KZ-55,40,M\nA-2,2023,CN,KZ-98,40,M\n"
    client = api_client(national)
    with django_capture_on_commit_callbacks(execute=True):
        started = client.post(f"{API}/history/imports", {"file": SimpleUploadedFile("a.csv", data)})
    assert started.status_code == 202
    result = Job.objects.get(pk=started.json()["job_id"]).result
    assert not result["saved"] and [e[:2] for e in result["errors"]] == [[3, "region"]]
    assert client.get(f"{API}/history").json()["families"] == 0


def test_a_batch_is_made_solved_overridden_and_approved_through_the_api(proposed, national, api_client, batch_scene):
    client = api_client(national)
    batch = client.get(f"{API}/batches/{proposed.pk}").json()
    assert batch["status"] == "proposed" and batch["summary"]["proposal"]["placed"] == 5
    families = client.get(f"{API}/batches/{proposed.pk}/families?limit=100").json()["items"]
    fragile = next(f for f in families if f["application_id"] == batch_scene["fragile"].pk)
    assert fragile["proposed_region"] == "KZ-11" and list(fragile["predictions"]) == ["KZ-11"]

    refused = client.post(f"{API}/batches/{proposed.pk}/families/{fragile['id']}/override",
                          {"region": "KZ-75", "reason": "Closer to family"}, content_type="application/json")
    assert refused.status_code == 422 and refused.json()["errors"][0]["field"] == "region"
    no_reason = client.post(f"{API}/batches/{proposed.pk}/families/{fragile['id']}/override",
                            {"region": "KZ-11", "reason": ""}, content_type="application/json")
    assert no_reason.status_code == 422 and no_reason.json()["errors"][0]["field"] == "reason"

    spare = next(c["region"] for c in batch["capacities"]
                 if c["families"] > sum(1 for f in families if f["proposed_region"] == c["region"]))
    mover = next(f for f in families if not f["needs"] and f["proposed_region"] != spare)
    moved = client.post(f"{API}/batches/{proposed.pk}/families/{mover['id']}/override",
                        {"region": spare, "reason": "Relatives offer housing"}, content_type="application/json")
    assert moved.status_code == 200 and moved.json()["override_region"] == spare
    assert AuditEvent.objects.filter(action="placement.batch_family.override").count() == 1

    approved = client.post(f"{API}/batches/{proposed.pk}/approve", {"reason": "Minutes No. 9"},
                           content_type="application/json")
    assert approved.status_code == 200 and approved.json()["status"] == BatchStatus.APPROVED
    assert approved.json()["summary"]["approved"]["overridden"] == 1


def test_approval_through_the_api_is_refused_without_the_right(proposed, officer, api_client):
    response = api_client(officer).post(f"{API}/batches/{proposed.pk}/approve", {}, content_type="application/json")
    assert response.status_code == 403
    assert PlacementBatch.objects.get(pk=proposed.pk).status == BatchStatus.PROPOSED


def test_a_regional_officer_gets_only_the_families_of_their_regions(proposed, other_officer, api_client):
    client = api_client(other_officer)  # Almaty city
    items = client.get(f"{API}/batches/{proposed.pk}/families?limit=100").json()["items"]
    assert items and all("KZ-75" in (f["preferred_region"], f["proposed_region"]) for f in items)
    hidden = proposed.families.exclude(pk__in=[f["id"] for f in items]).first()
    assert client.get(f"{API}/batches/{proposed.pk}/families/{hidden.pk}").status_code == 404
    assert client.post(f"{API}/batches/{proposed.pk}/solve").status_code == 403


def test_a_batch_for_a_year_without_a_quota_plan_answers_422_with_the_field(national, api_client, active_model):
    response = api_client(national).post(f"{API}/batches", {"year": 2031, "arrival_date": ARRIVAL.isoformat()},
                                         content_type="application/json")
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "year"
