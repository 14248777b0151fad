import pytest

from koshiqon.accounts.models import User
from koshiqon.core.domain.permissions import Role
from koshiqon.core.models import AuditEvent
from koshiqon.demo.accounts import DEMO_ACCOUNTS, DemoAccountsError, demo_accounts


def test_there_is_one_demo_account_per_role_and_two_regional_officers():
    roles = [a.role for a in DEMO_ACCOUNTS]
    assert set(roles) == set(Role)
    officers = {a.username: a.region_codes for a in DEMO_ACCOUNTS if a.role == Role.REGIONAL_OFFICER}
    assert officers == {"officer55": ("KZ-55",), "officer75": ("KZ-75",)}


def test_each_account_is_created_with_its_role_regions_and_published_password(reference):
    created = demo_accounts()
    assert all(was_created for _, was_created in created)
    for account in DEMO_ACCOUNTS:
        user = User.objects.get(username=account.username)
        assert user.role == account.role
        assert user.check_password(account.password)
        assert sorted(user.regions.values_list("code", flat=True)) == sorted(account.region_codes)


def test_each_creation_goes_through_the_account_service_and_is_audited(reference):
    demo_accounts()
    assert AuditEvent.objects.filter(action="accounts.user.create").count() == len(DEMO_ACCOUNTS)


def test_existing_accounts_are_reused_and_their_passwords_left_alone(reference):
    demo_accounts()
    national = User.objects.get(username="national")
    national.set_password("changed-by-the-owner-1")
    national.save()
    again = demo_accounts()
    assert not any(was_created for _, was_created in again)
    assert User.objects.count() == len(DEMO_ACCOUNTS)
    assert User.objects.get(username="national").check_password("changed-by-the-owner-1")


def test_without_the_regions_it_says_to_load_the_reference_data(db):
    with pytest.raises(DemoAccountsError, match="load_reference"):
        demo_accounts()
    assert not User.objects.exists()
