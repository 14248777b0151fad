"""Fixtures shared by the whole suite: a small reference set and one user per role.

Pavlodar (KZ-55) is "our" region; Almaty city (KZ-75) is "another region".
"""

import os
import shutil
from pathlib import Path

import pytest
from django.core.servers.basehttp import WSGIServer

from koshiqon.accounts.factories import UserFactory
from koshiqon.reference.factories import make_small_reference

# The live server of the concurrency tests takes dozens of connections at once; Django's listen backlog of
# 10 makes the kernel reset some of them when the machine is busy. Raised before any live server starts.
WSGIServer.request_queue_size = 128


@pytest.fixture
def reference(db):
    make_small_reference()


@pytest.fixture
def national(reference):
    return UserFactory(username="national", role="national_officer")


@pytest.fixture
def officer(reference):
    return UserFactory(username="officer55", role="regional_officer", region_codes=["KZ-55"])


@pytest.fixture
def viewer(reference):
    return UserFactory(username="viewer55", role="regional_viewer", region_codes=["KZ-55"])


@pytest.fixture
def other_officer(reference):
    return UserFactory(username="officer75", role="regional_officer", region_codes=["KZ-75"])


@pytest.fixture
def analyst(reference):
    return UserFactory(username="analyst", role="analyst")


@pytest.fixture
def administrator(reference):
    return UserFactory(username="admin", role="administrator")


@pytest.fixture
def person(reference):
    from koshiqon.people.factories import PersonFactory

    return PersonFactory()


@pytest.fixture
def api_client(client):
    """The test client signed in (a session, as the pages use) as the user given: `api_client(officer)`."""

    def sign_in(user):
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        return client

    return sign_in


@pytest.fixture
def api_token(db):
    """A raw API token for the user given, issued through the service: `api_token(national)`."""
    from koshiqon.accounts.services import api_token_create

    def issue(user, name="test system"):
        return api_token_create(user=user, name=name, by=user)[1]

    return issue


@pytest.fixture
def centre_staff(reference):
    return UserFactory(username="centre55", role="centre_staff", region_codes=["KZ-55"])


@pytest.fixture
def employer(reference):
    return UserFactory(username="employer", role="employer")


@pytest.fixture
def no_role_user(reference):
    return UserFactory(username="newcomer", role="")


@pytest.fixture(autouse=True)
def _fresh_kernel_caches():
    """The calendar and MCI caches live per process; each test starts from what its own database holds."""
    from koshiqon.core.calendar import calendar_reset
    from koshiqon.core.money import money_reset

    calendar_reset()
    money_reset()
    yield
    calendar_reset()
    money_reset()


@pytest.fixture(autouse=True)
def _english_outside_requests():
    """Code called directly by a test (services, loaders) speaks English, the language of the msgids, so
    assertions read plainly. Requests still get the language the middleware chooses: Kazakh by default."""
    from django.utils import translation

    with translation.override("en"):
        yield


CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync",
]


@pytest.fixture
def browser_page(monkeypatch):
    """A page of Debian's Chromium driven by Playwright, in a Kazakh locale. Skipped without Chromium, except
    under CI=true, where a missing browser fails the run."""
    if not Path(CHROMIUM).exists() or shutil.which(CHROMIUM) is None:
        if os.environ.get("CI") == "true":
            pytest.fail(f"Chromium is missing at {CHROMIUM}: CI must run the browser tests")
        pytest.skip(f"Chromium is not installed at {CHROMIUM}")
    # Playwright's sync API runs an event loop in this thread; Django's ORM calls from the test are safe here.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="kk-KZ", accept_downloads=True)
        page.set_default_timeout(15_000)
        yield page
        browser.close()
        # ORM calls made while Playwright's loop ran opened connections of their own; close them so that
        # PostgreSQL can drop the test database.
        from django.db import connections

        connections.close_all()


def screenshot(page, name: str) -> None:
    """Save a screenshot when KOSHIQON_SHOTS names a folder (to look at the pages while developing)."""
    folder = os.environ.get("KOSHIQON_SHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)


@pytest.fixture
def employer_org(employer):
    """An employer (a construction company) in Pavlodar (KZ-55) for which the `employer` account acts."""
    from datetime import date

    from koshiqon.labour.models import Employer
    from koshiqon.people.domain.iin import make_bin
    from koshiqon.reference.models import Region

    org = Employer.objects.create(
        bin=make_bin(date(2012, 5, 1), "4", "0", 4242), name="«Ертіс Құрылыс» ЖШС",
        region=Region.objects.get(code="KZ-55"), sector="F",
    )
    org.users.add(employer)
    return org


@pytest.fixture
def centre(centre_staff):
    """An adaptation centre in Pavlodar (KZ-55) with 20 beds, giving every service of the catalogue, whose staff
    is the `centre_staff` account (written directly: it sets the scene)."""
    from datetime import date

    from koshiqon.adaptation.models import Centre, CentreService, Service
    from koshiqon.adaptation.services.catalogue import adaptation_catalogue_load
    from koshiqon.reference.models import Region

    adaptation_catalogue_load(by="test")
    place = Centre.objects.create(
        name="Павлодар облыстық бейімдеу орталығы", region=Region.objects.get(code="KZ-55"),
        address="Павлодар қ., Сәтбаев к-сі, 44", beds=20, opened_on=date(2014, 3, 3),
    )
    CentreService.objects.bulk_create([CentreService(centre=place, service=s, places=20 if s.is_course else None)
                                       for s in Service.objects.all()])
    place.staff.add(centre_staff)
    return place
