"""The selection pages: runs, review and approval, decisions and letters, public verification, appeals, what-if."""

import json
import re
from datetime import datetime

import pytest
from django.urls import reverse

from koshiqon.kandas.models import Appeal, Application, RunStatus, SelectionRun
from koshiqon.kandas.services.selection import selection_run_approve, selection_run_start
from koshiqon.kandas.tests.selection_setup import (
    ALMATY,
    GRID,
    make_application,
    make_plan,
    selection_scene,
    weasyprint_or_skip,
)


@pytest.fixture
def scene(reference):
    selection_scene()
    make_plan(2026, {"KZ-55": 5, "KZ-75": 2})
    return {
        "top": make_application(education="6", experience=6, size=4, last_name="Серікбаев"),
        "next": make_application(education="6", size=4, last_name="Омаров"),
        "low": make_application(education="3", last_name="Жақсыбеков"),
        "almaty": make_application(region="KZ-75", education="5", size=2, last_name="Алиев"),
    }


@pytest.fixture
def proposed(scene, national, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        run = selection_run_start(year=2026, by=national)
    run.refresh_from_db()
    return run


@pytest.fixture
def approved(proposed, national):
    return selection_run_approve(run=proposed, by=national, reason="Commission minutes No. 3")


def signed_in(client, user):
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


def app(obj):
    return Application.objects.get(pk=obj.pk)


def test_a_national_officer_starts_a_run_and_is_sent_to_its_progress_bar(scene, national, client,
                                                                          django_capture_on_commit_callbacks):
    signed_in(client, national)
    page = client.get(reverse("kandas:run_list"))
    assert page.status_code == 200 and b'name="year"' in page.content
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("kandas:run_start"), {"year": "2026"})
    run = SelectionRun.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/jobs/{run.job_id}/"
    job_page = client.get(response["Location"])
    assert b"job-progress" in job_page.content
    assert reverse("kandas:run_detail", args=[run.pk]).encode() in job_page.content


def test_a_regional_officer_sees_the_runs_but_cannot_start_one(proposed, officer, client):
    signed_in(client, officer)
    page = client.get(reverse("kandas:run_list"))
    assert page.status_code == 200 and b'name="year"' not in page.content
    assert client.post(reverse("kandas:run_start"), {"year": "2026"}).status_code == 403


def test_the_review_shows_the_counts_per_region_and_the_ranked_list_with_breakdowns(proposed, national, client, scene):
    signed_in(client, national)
    page = client.get(reverse("kandas:run_detail", args=[proposed.pk]))
    text = page.content.decode()
    assert page.status_code == 200
    assert "Павлодар облысы" in text and "Алматы қаласы" in text
    assert scene["top"].number in text and "Білімі 30 · Өтілі 10" in text
    assert 'name="approve-reason"' in text  # the approve form, for a national officer
    assert text.index(scene["top"].number) < text.index(scene["next"].number) < text.index(scene["low"].number)


def test_a_regional_officer_sees_only_the_results_of_their_regions_and_no_approve_button(proposed, officer, client,
                                                                                        scene):
    signed_in(client, officer)
    text = client.get(reverse("kandas:run_detail", args=[proposed.pk])).content.decode()
    assert scene["top"].number in text and scene["almaty"].number not in text
    assert 'name="approve-reason"' not in text


def test_approval_is_refused_to_a_regional_officer(proposed, officer, client, scene):
    signed_in(client, officer)
    response = client.post(reverse("kandas:run_approve", args=[proposed.pk]), {"approve-reason": "mine"})
    assert response.status_code == 403
    proposed.refresh_from_db()
    assert proposed.status == RunStatus.PROPOSED and app(scene["top"]).status == "recommended"


def test_a_national_officer_approves_with_a_reason_and_the_decisions_go_out(proposed, national, client, scene):
    signed_in(client, national)
    refused = client.post(reverse("kandas:run_approve", args=[proposed.pk]), {"approve-reason": ""}, follow=True)
    assert app(scene["top"]).status == "recommended" and refused.status_code == 200
    from django.test import TestCase

    with TestCase.captureOnCommitCallbacks(execute=True):  # the approval job runs once the request commits
        started = client.post(reverse("kandas:run_approve", args=[proposed.pk]), {"approve-reason": "Minutes 3"})
    proposed.refresh_from_db()
    assert proposed.status == RunStatus.APPROVED and proposed.approval_job.status == "succeeded"
    response = client.get(started["Location"])
    assert response.status_code == 200
    assert (app(scene["top"]).status, app(scene["next"]).status, app(scene["low"]).status) == (
        "included", "waitlisted", "ineligible")
    assert reverse("kandas:decision_detail", args=[scene["top"].pk]).encode() in response.content


def test_the_decision_page_shows_the_support_in_tenge_and_the_letter_links(approved, officer, client, scene):
    signed_in(client, officer)
    page = client.get(reverse("kandas:decision_detail", args=[scene["top"].pk]))
    text = page.content.decode()
    top = app(scene["top"])
    assert page.status_code == 200
    for lang in ("kk", "ru", "en"):
        assert f"{reverse('kandas:letter', args=[top.pk])}?lang={lang}" in text
    assert reverse("kandas:verify", args=[top.verification_code]) in text
    total = f"{top.support['family_total_tenge']:,}".replace(",", "\xa0")
    assert total in text  # Kazakh groups thousands with a no-break space


def test_the_letter_downloads_as_a_pdf(approved, officer, client, scene):
    weasyprint_or_skip()
    signed_in(client, officer)
    response = client.get(reverse("kandas:letter", args=[scene["top"].pk]) + "?lang=ru")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert 'filename="kandas-' in response["Content-Disposition"]


def test_there_is_no_letter_before_a_decision(proposed, officer, client, scene):
    signed_in(client, officer)
    assert client.get(reverse("kandas:letter", args=[scene["top"].pk])).status_code == 404


def test_an_officer_of_another_region_gets_404_for_a_decision_and_its_letter(approved, other_officer, client, scene):
    signed_in(client, other_officer)
    assert client.get(reverse("kandas:decision_detail", args=[scene["top"].pk])).status_code == 404
    assert client.get(reverse("kandas:letter", args=[scene["top"].pk])).status_code == 404


def test_anyone_can_verify_a_letter_and_sees_no_personal_data_beyond_initials(approved, client, scene):
    top = app(scene["top"])
    page = client.get(reverse("kandas:verify", args=[top.verification_code]))
    text = page.content.decode()
    assert page.status_code == 200
    assert top.number in text and "С.Н.А." in text
    assert "Серікбаев" not in text and "Нұрлан" not in text
    assert "included in the quota" in text or "квотаға" in text
    assert page["X-Robots-Tag"] == "noindex"


def test_an_unknown_verification_code_answers_404(approved, client):
    assert client.get(reverse("kandas:verify", args=["no-such-code"])).status_code == 404


def test_an_officer_registers_and_decides_an_appeal_through_the_pages(approved, officer, client, scene):
    signed_in(client, officer)
    low = app(scene["low"])
    today = low.decided_at.astimezone(ALMATY).date().isoformat()
    bad = client.post(reverse("kandas:appeal_create", args=[low.pk]), {"grounds": "", "filed_on": today})
    assert bad.status_code == 200 and b"id_grounds_errors" in bad.content
    response = client.post(reverse("kandas:appeal_create", args=[low.pk]),
                           {"grounds": "My diploma is of level 6", "filed_on": today})
    appeal = Appeal.objects.get()
    assert response["Location"] == reverse("kandas:appeal_detail", args=[appeal.pk])
    assert appeal.application_id == low.pk
    assert scene["low"].number.encode() in client.get(reverse("kandas:appeal_list")).content
    client.post(reverse("kandas:appeal_detail", args=[appeal.pk]), {"upheld": "yes", "text": "Diploma confirmed"})
    appeal.refresh_from_db()
    assert appeal.outcome == "upheld" and app(low).status == "recommended"


def test_an_included_family_cannot_appeal(approved, officer, client, scene):
    signed_in(client, officer)
    page = client.get(reverse("kandas:decision_detail", args=[scene["top"].pk]))
    assert reverse("kandas:appeal_create", args=[scene["top"].pk]).encode() not in page.content


# --- What-if ------------------------------------------------------------------------------------------------

@pytest.fixture
def last_year(reference):
    selection_scene()
    make_plan(2025, {"KZ-55": 4})
    first = datetime(2025, 2, 1, 10, tzinfo=ALMATY)
    return {
        "engineer": make_application(year=2025, status="included", education="6", size=4, applied_at=first),
        "veteran": make_application(year=2025, status="waitlisted", education="3", experience=12, size=2,
                                    origin="MN"),
    }


def test_a_draft_grid_that_values_experience_swaps_who_enters_the_quota(last_year, national, client):
    signed_in(client, national)
    draft = {**GRID, "criteria": [GRID["criteria"][0], {**GRID["criteria"][1],
                                                          "bands": [{"min": 10, "points": 40}]}]}
    page = client.post(reverse("kandas:whatif"), {"year": "2025", "grid_json": json.dumps(draft)})
    text = page.content.decode()
    assert page.status_code == 200, text
    assert re.search(r'id="families-shift">1 → 1<', text)
    assert re.search(r'id="persons-shift">4 → 2<', text)
    enter, leave = text.index("enter-h"), text.index("leave-h")
    assert enter < text.index(last_year["veteran"].number) < leave < text.index(last_year["engineer"].number)
    assert text.count('<svg class="whatif-chart"') == 3
    assert "Моңғолия" in text  # the veteran's origin, in the Kazakh of the page


def test_a_draft_quota_with_an_unknown_region_is_refused_at_its_field(last_year, national, client):
    signed_in(client, national)
    page = client.post(reverse("kandas:whatif"), {"year": "2025", "quota_csv": "region,quota,unit\nKZ-99,5,persons"})
    assert page.status_code == 422
    assert b"id_quota_csv_errors" in page.content and b"KZ-99" in page.content


def test_a_draft_quota_of_more_places_lets_the_waitlisted_in(last_year, national, client):
    signed_in(client, national)
    page = client.post(reverse("kandas:whatif"), {"year": "2025", "quota_csv": "KZ-55,6,persons"})
    assert re.search(r'id="persons-shift">4 → 6<', page.content.decode())


def test_the_what_if_page_is_for_national_officers(last_year, officer, client):
    signed_in(client, officer)
    assert client.get(reverse("kandas:whatif")).status_code == 403


# --- Reads of the family's decision are logged ----------------------------------------------------------------

def test_reading_a_decision_page_is_logged_against_the_head_of_family(approved, officer, client, scene):
    from koshiqon.core.models import AccessEvent

    signed_in(client, officer)
    top = app(scene["top"])
    assert client.get(reverse("kandas:decision_detail", args=[top.pk])).status_code == 200
    event = AccessEvent.objects.get(object_type="people.person", object_id=str(top.head_id))
    assert (event.user, event.channel) == (officer, "page")


def test_downloading_a_decision_letter_is_logged_against_the_head_of_family(approved, officer, client, scene):
    from koshiqon.core.models import AccessEvent

    weasyprint_or_skip()
    signed_in(client, officer)
    top = app(scene["top"])
    assert client.get(reverse("kandas:letter", args=[top.pk])).status_code == 200
    assert AccessEvent.objects.filter(user=officer, object_type="people.person", object_id=str(top.head_id)).exists()


def test_a_viewer_is_refused_the_status_grant_with_403_in_any_region(approved, viewer, client, scene):
    signed_in(client, viewer)
    assert client.post(reverse("kandas:grant_status", args=[scene["almaty"].pk])).status_code == 403
    assert app(scene["almaty"]).status != "status_granted"


def test_the_ranked_list_exports_to_xlsx_within_the_officers_regions_and_logs_each_head(proposed, officer,
                                                                                        client, scene):
    from io import BytesIO

    from openpyxl import load_workbook

    from koshiqon.core.models import AccessEvent

    signed_in(client, officer)
    response = client.get(reverse("kandas:run_export", args=[proposed.pk]))
    assert response.status_code == 200 and response["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = list(load_workbook(BytesIO(response.content)).active.iter_rows(values_only=True))
    numbers = [row[1] for row in rows[1:]]
    assert set(numbers) == {scene["top"].number, scene["next"].number, scene["low"].number}  # not Almaty's
    assert [row[0] for row in rows[1:]] == sorted(row[0] for row in rows[1:])  # best first
    logged = set(AccessEvent.objects.filter(channel="export", user=officer).values_list("object_id", flat=True))
    assert logged == {str(scene[k].head_id) for k in ("top", "next", "low")}
    only_included = client.get(reverse("kandas:run_export", args=[proposed.pk]) + "?decision=included")
    assert len(list(load_workbook(BytesIO(only_included.content)).active.iter_rows())) == 2  # header + top
