"""An application walked through every status in a real browser (Debian's Chromium driven by Playwright), in
Kazakh: a regional officer registers it (submitted), checks the file (checked) and records the commission's
recommendation (recommended); a national officer starts the selection (the run, with its progress bar),
reviews and approves it (approved); the application is included, and its decision page offers the letter,
whose QR code leads to the public verification page."""

import re
from pathlib import Path

import pytest

from koshiqon.accounts.factories import UserFactory
from koshiqon.conftest import screenshot
from koshiqon.kandas.tests.applications_setup import load_kandas_data, make_family

pytestmark = pytest.mark.browser


def _log_in(page, base: str, username: str) -> None:
    from playwright.sync_api import expect

    page.goto(f"{base}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", "correct-horse-battery")
    page.locator("main form button[type=submit]").click()
    expect(page.locator("h1")).to_contain_text(username)
    expect(page.locator("html")).to_have_attribute("lang", "kk")


def _status(number: str) -> str:
    from koshiqon.kandas.models import Application

    return Application.objects.get(number=number).status


def test_an_application_goes_from_submission_to_an_included_decision_with_its_letter_in_kazakh(
    live_server, transactional_db, browser_page
):
    from playwright.sync_api import expect

    from koshiqon.kandas.models import Application, SelectionRun

    load_kandas_data()
    UserFactory(username="officer55", role="regional_officer", region_codes=["KZ-55"])
    UserFactory(username="national", role="national_officer")
    family = make_family(region="KZ-55")
    page, base = browser_page, live_server.url

    # A regional officer registers the family's application: submitted.
    _log_in(page, base, "officer55")
    page.goto(f"{base}/kandas/new/?family={family.pk}")
    expect(page.locator("html")).to_have_attribute("lang", "kk")
    page.select_option("#id_region", "KZ-55")
    for box in page.locator("input[name=checklist]").all():
        box.check()
    page.select_option("#id_m-0-education", "6")
    page.fill("#id_m-0-experience_years", "12")
    page.select_option("#id_m-0-kazakh", "fluent")
    page.locator("form .actions button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/kandas/\d+/$"))
    application = Application.objects.get(family=family)
    assert application.status == "submitted"
    screenshot(page, "kandas-01-submitted")

    # The completeness check: checked.
    page.goto(f"{base}/kandas/{application.pk}/check/")
    page.check("#id_complete_0")
    page.locator("form .actions button[type=submit]").click()
    expect(page).to_have_url(re.compile(rf"/kandas/{application.pk}/$"))
    assert _status(application.number) == "checked"

    # The commission recommends the family: recommended.
    page.goto(f"{base}/kandas/{application.pk}/commission/")
    page.check("#id_recommend_0")
    page.locator("form .actions button[type=submit]").click()
    expect(page).to_have_url(re.compile(rf"/kandas/{application.pk}/$"))
    assert _status(application.number) == "recommended"
    screenshot(page, "kandas-02-recommended")
    page.locator(".user-box form button[type=submit]").click()

    # A national officer starts the selection of the year and follows its progress bar.
    _log_in(page, base, "national")
    page.goto(f"{base}/kandas/runs/")
    page.select_option("select[name=year]", str(application.year))
    page.locator("form[action='/kandas/runs/start/'] button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/jobs/\d+/$"))
    expect(page.locator("#job-progress progress")).to_have_attribute("value", "100")
    run = SelectionRun.objects.get()
    assert run.status == "proposed" and _status(application.number) == "recommended"
    screenshot(page, "kandas-03-run-progress")

    # The review: the application is in the ranked list, inside its region's quota; approve with a reason.
    page.locator(f"a[href='/kandas/runs/{run.pk}/']").click()
    expect(page.locator("main")).to_contain_text(application.number)
    expect(page.locator("main")).to_contain_text("Павлодар облысы")
    page.fill("#id_approve-reason", "Комиссия хаттамасы № 1")
    page.locator("button[name=approve]").click()
    expect(page.locator(".notice--success").first).to_be_visible()
    run.refresh_from_db()
    assert run.status == "approved" and _status(application.number) == "included"
    screenshot(page, "kandas-04-approved")

    # The decision page: included, with the support in tenge and the letter in three languages.
    page.locator(f"a[href='/kandas/applications/{application.pk}/decision/']").click()
    expect(page.locator("html")).to_have_attribute("lang", "kk")
    expect(page.locator("#letter-links a")).to_have_count(3)
    expect(page.locator("#letter-links a[lang=kk]")).to_have_attribute(
        "href", f"/kandas/applications/{application.pk}/letter/?lang=kk")
    expect(page.locator("#support-total")).to_contain_text("₸")
    screenshot(page, "kandas-05-decision")
    try:
        import weasyprint  # noqa: F401
    except (ImportError, OSError):
        weasyprint = None
    if weasyprint is not None:
        with page.expect_download() as download:
            page.locator("#letter-links a[lang=kk]").click()
        assert Path(download.value.path()).read_bytes().startswith(b"%PDF")

    # The letter's QR code opens the public verification page: anyone, signed in or not, can check it.
    code = Application.objects.get(pk=application.pk).verification_code
    page.locator(".user-box form button[type=submit]").click()
    page.goto(f"{base}/kandas/verify/{code}/")
    expect(page.locator("main")).to_contain_text(application.number)
    expect(page.locator("#verify-decision")).to_be_visible()
    screenshot(page, "kandas-06-verify")
