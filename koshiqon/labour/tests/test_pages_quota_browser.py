"""The quota and the exchange in a real browser (Debian's Chromium driven by Playwright), in Kazakh, with the
keyboard: a national officer reads the 2026 quota's utilisation bars and moves places between two regions; a
regional officer imports a file of vacancies and follows the job to its report."""

import re

import pytest

from koshiqon.accounts.factories import UserFactory
from koshiqon.conftest import screenshot
from koshiqon.labour.tests.setup_quota_exchange import a_bin, load_quotas, load_reference

pytestmark = pytest.mark.browser


def _log_in(page, base: str, username: str) -> None:
    from playwright.sync_api import expect

    page.goto(f"{base}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", "correct-horse-battery")
    page.locator("main form button[type=submit]").click()
    expect(page.locator("h1")).to_contain_text(username)


def test_a_national_officer_reads_the_quota_and_moves_places_with_the_keyboard_in_kazakh(
    live_server, transactional_db, browser_page, tmp_path
):
    from playwright.sync_api import expect

    from koshiqon.labour.models import QuotaAllocation, QuotaRedistribution

    load_reference()
    load_quotas()
    QuotaAllocation.objects.filter(quota__year=2026, category="3").update(used=40)
    UserFactory(username="national", role="national_officer")
    UserFactory(username="officer55", role="regional_officer", region_codes=["KZ-55"])
    page, base = browser_page, live_server.url

    _log_in(page, base, "national")
    page.goto(f"{base}/labour/quota/?year=2026")
    expect(page.locator("html")).to_have_attribute("lang", "kk")
    expect(page.locator("h1")).to_contain_text("2026")
    expect(page.locator("table.quota-matrix tbody tr")).to_have_count(20)
    screenshot(page, "labour-quota-2026")

    page.select_option("#id_move-category", "3")
    page.select_option("#id_move-from_region", "KZ-55")
    page.select_option("#id_move-to_region", "KZ-62")
    page.fill("#id_move-places", "25")
    page.fill("#id_move-legal_act", "Еңбек министрінің бұйрығы № 17")
    page.fill("#id_move-act_date", "2026-05-04")
    page.focus("#id_move-reason")
    page.keyboard.type("Ұлытау кәсіпорындарының сұранысы")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/labour/quota/\?year=2026$"))
    expect(page.locator(".messages")).to_be_visible()
    assert QuotaRedistribution.objects.get().places == 25
    screenshot(page, "labour-quota-moved")

    page.goto(f"{base}/labour/quota/?year=2009")
    expect(page.locator("table.quota-matrix")).to_contain_text("Оңтүстік Қазақстан облысы")

    # A regional officer imports vacancies; the job's page shows the report of the bad row.
    page.locator("form[action$='/logout/'] button").click()
    _log_in(page, base, "officer55")
    csv = tmp_path / "enbek.csv"
    csv.write_text("exchange_id,employer_bin,title,occupation,region,wage,posted_on\n"
                   f"E-1,{a_bin(1)},Инженер,214,KZ-55,450000,2026-02-10\n"
                   f"E-2,{a_bin(2)},Инженер,214,KZ-75,450000,2026-02-10\n", encoding="utf-8")
    page.goto(f"{base}/labour/exchange/import/")
    page.set_input_files("#id_file", str(csv))
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/jobs/\d+/$"))
    expect(page.locator("#job-progress table")).to_contain_text("region", timeout=20_000)
    screenshot(page, "labour-import-report")
