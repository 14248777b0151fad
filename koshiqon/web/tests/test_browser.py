"""A person's walk through the pages in a real browser (Debian's Chromium driven by Playwright), in Kazakh:
log in, switch to Russian, find a person by a Latin spelling of a Cyrillic name, register a person with a
wrong IIN, see the error at the field, fix it and save."""

import re
from datetime import date

import pytest

from koshiqon.conftest import screenshot
from koshiqon.people.domain.iin import make_iin
from koshiqon.people.factories import PersonFactory

BIRTH = date(1985, 3, 9)
GOOD_IIN = make_iin(BIRTH, "F", 4321)
WRONG_IIN = GOOD_IIN[:11] + str((int(GOOD_IIN[11]) + 1) % 10)

pytestmark = pytest.mark.browser


def test_an_officer_logs_in_in_kazakh_finds_a_person_by_latin_spelling_and_registers_another(
    live_server, transactional_db, officer, browser_page
):
    from playwright.sync_api import expect

    from koshiqon.people.models import Person

    PersonFactory(last_name="Әбдіқадыров", first_name="Жанар", last_name_latin="", first_name_latin="")
    page = browser_page

    page.goto(f"{live_server.url}/")
    expect(page).to_have_url(re.compile(r"/login/"))
    expect(page.locator("html")).to_have_attribute("lang", "kk")
    page.fill("#id_username", "officer55")
    page.fill("#id_password", "correct-horse-battery")
    page.locator("main form button[type=submit]").click()
    expect(page.locator("h1")).to_contain_text("officer55")
    expect(page.locator("html")).to_have_attribute("lang", "kk")
    screenshot(page, "01-home-kk")

    page.get_by_role("button", name="Русский").click()
    expect(page.locator("html")).to_have_attribute("lang", "ru")
    expect(page.get_by_role("button", name="Русский")).to_have_attribute("aria-pressed", "true")

    page.locator("nav.main-nav a[href='/people/']").click()
    page.fill("#id_q", "Abdikadyrov")  # htmx searches as the officer types
    results = page.locator("#results")
    expect(results).to_contain_text("Әбдіқадыров Жанар")
    expect(results.locator("tbody tr")).to_have_count(1)
    expect(results).to_contain_text("Павлодарская область")  # the region's Russian name: the page is in Russian
    expect(page).to_have_url(re.compile(r"q=Abdikadyrov"))
    screenshot(page, "02-search-ru")

    page.locator("a[href='/people/new/']").first.click()
    page.fill("#id_last_name", "Серікбаева")
    page.fill("#id_first_name", "Айгүл")
    page.fill("#id_birth_date", BIRTH.isoformat())
    page.check("#id_sex_1")
    page.fill("#id_iin", WRONG_IIN)
    page.locator("form .actions button[type=submit]").click()
    expect(page.locator("#id_iin_errors")).to_be_visible()
    expect(page.locator("#id_iin")).to_have_attribute("aria-invalid", "true")
    assert Person.objects.count() == 1
    screenshot(page, "03-wrong-iin")

    page.fill("#id_iin", GOOD_IIN)
    page.locator("form .actions button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/people/\d+/$"))
    expect(page.locator("h1")).to_contain_text("Серікбаева Айгүл")
    expect(page.locator("html")).to_have_attribute("lang", "ru")
    screenshot(page, "04-person-page")
    saved = Person.objects.get(iin=GOOD_IIN)
    assert page.url.endswith(f"/people/{saved.pk}/")
    assert saved.last_name_latin == "SERIKBAYEVA"  # suggested from the Cyrillic name while typing
