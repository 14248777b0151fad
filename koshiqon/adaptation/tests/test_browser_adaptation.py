"""A centre's staff member walks a family's plan in a real browser (Debian's Chromium through Playwright), in
Kazakh: from the centre's page to the plan, records a service as delivered and checks the head of family in,
and sees the plan's progress move."""

import re

import pytest

from koshiqon.accounts.factories import UserFactory
from koshiqon.conftest import screenshot

pytestmark = pytest.mark.browser


def test_a_staff_member_records_a_delivery_and_a_check_in_and_sees_the_progress_in_kazakh(
    live_server, transactional_db, browser_page
):
    from playwright.sync_api import expect

    from koshiqon.adaptation.models import Referral, Stay
    from koshiqon.adaptation.services.catalogue import adaptation_catalogue_load
    from koshiqon.adaptation.tests.plans_setup import make_centre, make_plan, members
    from koshiqon.reference.factories import make_small_reference

    make_small_reference()
    adaptation_catalogue_load(by="test")
    staff = UserFactory(username="centre55", role="centre_staff", region_codes=["KZ-55"], first_name="Гүлнар",
                        last_name="Қасымова")
    centre = make_centre(name="Павлодар облыстық бейімдеу орталығы", beds=20, staff=staff)
    plan = make_plan(staff, centre)
    head = members(plan.family)[0]
    page, base = browser_page, live_server.url

    page.goto(f"{base}/login/")
    page.fill("#id_username", "centre55")
    page.fill("#id_password", "correct-horse-battery")
    page.locator("main form button[type=submit]").click()
    expect(page.locator("html")).to_have_attribute("lang", "kk")

    # The menu leads staff to their centre, and the centre's page to the family's plan.
    page.locator(".main-nav a[href='/adaptation/']").click()
    expect(page).to_have_url(re.compile(rf"/adaptation/centres/{centre.pk}/$"))
    expect(page.locator("h1")).to_have_text("Павлодар облыстық бейімдеу орталығы")
    page.locator(f"main a[href='/adaptation/plans/{plan.pk}/']").first.click()
    expect(page).to_have_url(re.compile(rf"/adaptation/plans/{plan.pk}/$"))
    expect(page.locator("html")).to_have_attribute("lang", "kk")
    progress = page.locator("#progress progress")
    expect(progress).to_have_attribute("value", "0")
    expect(progress).to_have_attribute("max", "3")
    expect(page.locator("#referrals")).to_contain_text("Мемлекеттік тіл курсы")  # the catalogue's Kazakh name
    screenshot(page, "adaptation-01-plan")

    # A service delivered today: the progress moves to one of three.
    first = Referral.objects.filter(plan=plan, service__code="information").get()
    row = page.locator(f"#referral-{first.pk}")
    row.locator("input[name$='-note']").fill("Отбасына кеңес берілді")
    row.locator("button[type=submit]").click()
    expect(page).to_have_url(re.compile(rf"/adaptation/plans/{plan.pk}/#referrals$"))
    expect(page.locator(".notice--success")).to_be_visible()
    expect(progress).to_have_attribute("value", "1")
    expect(page.locator(f"#referral-{first.pk} .badge--ok")).to_be_visible()
    assert Referral.objects.get(pk=first.pk).delivered_by == staff

    # The head of the family checks in at the centre.
    form = page.locator("#check-in-form")
    form.locator(f"input[name='in-persons'][value='{head.pk}']").check()
    form.locator("button[type=submit]").click()
    expect(page).to_have_url(re.compile(rf"/adaptation/plans/{plan.pk}/#stays$"))
    expect(page.locator("#stays tbody")).to_contain_text(head.full_name)
    assert Stay.objects.filter(plan=plan, person=head, check_out__isnull=True).exists()
    expect(progress).to_have_attribute("value", "1")
    screenshot(page, "adaptation-02-delivered-and-checked-in")

    # The centre's page counts the person staying.
    page.goto(f"{base}/adaptation/centres/{centre.pk}/")
    expect(page.locator("#occupied")).to_have_text("1 / 20")
    screenshot(page, "adaptation-03-centre")
