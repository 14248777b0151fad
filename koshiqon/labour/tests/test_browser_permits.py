"""A regional officer decides a permit application in a real browser (Debian's Chromium driven by Playwright), in
Kazakh: logs in, opens the foreign-labour area and the queue, opens the overdue application, decides it, and
reads every step of the decision in Kazakh with the permit's number."""

import re
from datetime import date

import pytest

from koshiqon.accounts.factories import UserFactory
from koshiqon.conftest import screenshot
from koshiqon.labour.tests.factories import (
    load_mci,
    make_allocation,
    make_application,
    make_employer,
    occupation,
)

pytestmark = pytest.mark.browser


def test_a_regional_officer_decides_an_application_and_reads_the_steps_in_kazakh(
    live_server, transactional_db, browser_page
):
    from playwright.sync_api import expect

    from koshiqon.labour.models import Permit
    from koshiqon.reference.factories import make_small_reference

    make_small_reference()
    load_mci()
    occupation()
    make_allocation(year=2025, category="3", places=3)
    UserFactory(username="officer55", role="regional_officer", region_codes=["KZ-55"])
    application = make_application(make_employer(name="ЖШС Ертіс Құрылыс"), applied_on=date(2025, 8, 29),
                                   employment_body_notified=True)
    page, base = browser_page, live_server.url

    page.goto(f"{base}/login/")
    page.fill("#id_username", "officer55")
    page.fill("#id_password", "correct-horse-battery")
    page.locator("main form button[type=submit]").click()
    expect(page.locator("html")).to_have_attribute("lang", "kk")

    # The menu leads to the foreign-labour area, and from there to the queue.
    page.locator(".main-nav a[href='/labour/']").click()
    expect(page).to_have_url(re.compile(r"/labour/$"))
    page.locator("main a[href='/labour/applications/']").first.click()
    row = page.locator("#applications tr.overdue", has_text=application.number)
    expect(row).to_be_visible()
    screenshot(page, "labour-01-queue")

    row.locator("a").first.click()
    expect(page).to_have_url(re.compile(rf"/labour/applications/{application.pk}/$"))
    page.locator("#decide").click()
    expect(page).to_have_url(re.compile(rf"/labour/applications/{application.pk}/$"))

    permit = Permit.objects.get(application_id=application.pk)
    expect(page.locator("#permit-number")).to_contain_text(permit.number)
    steps = page.locator("#decision-steps li")
    expect(steps).to_have_count(6)
    expect(steps.nth(1)).to_contain_text("Жұмыспен қамту органы бос жұмыс орны туралы хабардар етілді.")
    expect(page.locator("#decision-steps li[data-step=quota]")).to_contain_text("квота қалдығы: 3")
    expect(page.locator("#decision-steps li[data-step=fee]")).to_contain_text("Алым: 122 АЕК")
    expect(page.locator("#decide")).to_have_count(0)
    screenshot(page, "labour-02-decided")
