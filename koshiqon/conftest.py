"""Fixtures shared by the whole suite: a small reference set and one user per role.

Pavlodar (KZ-55) is "our" region; Almaty city (KZ-75) is "another region".
"""

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
