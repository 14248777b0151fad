"""The permits demo: applications in every state, permits in every state with extensions, household permits,
through the services; once per seed."""

import pytest
from django.utils import timezone

from koshiqon.accounts.factories import UserFactory
from koshiqon.core.audit import audit_verify
from koshiqon.labour.models import HouseholdPermit, Permit, PermitApplication, PermitExtension
from koshiqon.labour.permits_demo import PermitsDemoError, permits_demo
from koshiqon.labour.tests.setup_quota_exchange import load_reference

pytestmark = pytest.mark.django_db


@pytest.fixture
def accounts(reference):
    load_reference()
    UserFactory(username="employer", role="employer")
    UserFactory(username="officer55", role="regional_officer", region_codes=["KZ-55"])
    UserFactory(username="national", role="national_officer")


def test_the_demo_shows_every_state_once_per_seed(accounts):
    first = permits_demo(seed=5, by="test")
    again = permits_demo(seed=5, by="test")
    assert first["created"] and not again["created"]
    statuses = set(PermitApplication.objects.values_list("status", flat=True))
    assert statuses == {"submitted", "granted", "refused", "withdrawn"}
    assert {"issued", "suspended", "revoked", "expired"} <= set(Permit.objects.values_list("status", flat=True))
    assert set(PermitExtension.objects.values_list("status", flat=True)) == {"requested", "granted"}
    assert set(PermitApplication.objects.values_list("regime", flat=True)) >= {"advertise", "notify", "exchange"}
    assert {"quota", "lmt_exchange"} <= {r for rs in PermitApplication.objects.values_list("reasons", flat=True)
                                         for r in rs}
    assert PermitApplication.objects.filter(status="submitted", decision_due__lt=timezone.localdate()).exists()
    assert HouseholdPermit.objects.count() == first["household"] == 7
    assert audit_verify() is None


def test_the_demo_needs_the_demo_accounts(reference):
    load_reference()
    with pytest.raises(PermitsDemoError):
        permits_demo(seed=6, by="test")
