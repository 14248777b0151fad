"""Logging in: Argon2 password hashes, and throttling after repeated failures (django-axes)."""

import pytest
from django.conf import settings
from django.test import override_settings
from django.urls import reverse

from koshiqon.accounts.services import user_create

pytestmark = pytest.mark.django_db


def _attempt(client, username, password):
    return client.post(reverse("web:login"), {"username": username, "password": password}, REMOTE_ADDR="10.0.0.7")


def test_production_hashes_passwords_with_argon2():
    from config.settings import base

    assert base.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"


@override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.Argon2PasswordHasher"])
def test_a_new_users_password_is_stored_as_an_argon2_hash(reference):
    user = user_create(username="aigerim", password="Saryarqa-2026!", role="regional_officer",
                       region_codes=["KZ-55"], by=None)
    assert user.password.startswith("argon2")
    assert user.check_password("Saryarqa-2026!")


def test_login_is_locked_after_repeated_failures_even_with_the_right_password(client, officer):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        response = _attempt(client, officer.username, "wrong-password")
        assert response.status_code == 200  # the form again, with an error
    assert _attempt(client, officer.username, "wrong-password").status_code == 429
    locked = _attempt(client, officer.username, "correct-horse-battery")
    assert locked.status_code == 429
    assert "_auth_user_id" not in client.session


def test_a_successful_login_before_the_limit_resets_the_count(client, officer):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        _attempt(client, officer.username, "wrong-password")
    assert _attempt(client, officer.username, "correct-horse-battery").status_code == 302
    client.post(reverse("web:logout"))
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        _attempt(client, officer.username, "wrong-password")
    assert _attempt(client, officer.username, "correct-horse-battery").status_code == 302
