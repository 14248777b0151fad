import pytest
from django.core.management import call_command

from koshiqon.accounts.models import ApiToken
from koshiqon.accounts.services import api_token_user
from koshiqon.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_a_token_issued_on_the_command_line_authenticates_until_it_is_revoked(capsys, officer):
    call_command("api_token", "create", officer.username, "eQonaq gateway")
    raw = capsys.readouterr().out.split(": ")[1].split()[0]
    assert api_token_user(raw) == officer
    token = ApiToken.objects.get()
    assert token.key_hash != raw and raw not in token.key_hash
    call_command("api_token", "revoke", str(token.pk), "gateway retired")
    assert api_token_user(raw) is None
    assert list(AuditEvent.objects.values_list("action", flat=True)) == ["accounts.token.create", "accounts.token.revoke"]
