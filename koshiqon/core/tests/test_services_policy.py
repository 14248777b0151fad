"""Creating and closing policy versions, and finding the one in force, against the database."""

import threading
import time
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections, transaction
from django.utils import translation
from pydantic import BaseModel, ConfigDict, Field

from koshiqon.accounts.factories import UserFactory
from koshiqon.core.domain.policy import AmbiguousPolicyError, register_schema, unregister_schema
from koshiqon.core.models import AuditEvent, PolicyVersion
from koshiqon.core.policy import (
    policy_doc,
    policy_in_force,
    policy_version_close,
    policy_version_create,
    policy_versions,
)

pytestmark = pytest.mark.django_db

KIND = "test.services.quota"


class QuotaParams(BaseModel):
    model_config = ConfigDict(extra="forbid")
    unit: str
    total: int = Field(gt=0)


@pytest.fixture(autouse=True)
def quota_schema():
    register_schema(KIND, QuotaParams)
    yield
    unregister_schema(KIND)


@pytest.fixture(autouse=True)
def in_english():
    # Messages are asserted in English, the msgid language; the default language is Kazakh.
    with translation.override("en"):
        yield


@pytest.fixture
def minister():
    return UserFactory(username="minister", role="national_officer")


def create(by, code="2007", valid_from=date(2007, 8, 28), valid_to=date(2011, 5, 22), **extra):
    values = {
        "kind": KIND,
        "code": code,
        "title_kk": f"Квота қағидалары {code}",
        "title_ru": f"Правила квоты {code}",
        "title_en": f"Quota rules {code}",
        "valid_from": valid_from,
        "valid_to": valid_to,
        "legal_act_kk": "Қазақстан Республикасы Президентінің Жарлығы",
        "legal_act_ru": "Указ Президента Республики Казахстан",
        "legal_act_en": "Decree of the President",
        "legal_number": "399",
        "legal_date": date(2007, 8, 28),
        "confidence": "H",
        "parameters": {"unit": "families", "total": 15000},
    }
    values.update(extra)
    return policy_version_create(**values, by=by)


def errors_of(exc_info) -> dict[str, list[str]]:
    return exc_info.value.message_dict


def test_a_created_version_is_stored_and_audited_with_its_author(minister):
    version = create(minister)
    stored = PolicyVersion.objects.get(pk=version.pk)
    assert (stored.kind, stored.code, stored.valid_to, stored.parameters) == (
        KIND,
        "2007",
        date(2011, 5, 22),
        {"unit": "families", "total": 15000},
    )
    event = AuditEvent.objects.get(action="core.policy_version.create")
    assert event.actor == minister
    assert (event.object_type, event.object_id) == ("core.policyversion", str(version.pk))
    assert event.after["code"] == "2007"
    assert event.after["valid_from"] == "2007-08-28"
    assert event.after["parameters"] == {"unit": "families", "total": 15000}


@pytest.mark.parametrize(
    ("day", "code"),
    [
        (date(2007, 8, 27), None),
        (date(2007, 8, 28), "2007"),
        (date(2011, 5, 22), "2007"),
        (date(2011, 5, 23), "2011"),
        (date(2030, 1, 1), "2011"),
    ],
)
def test_the_version_in_force_is_found_at_its_boundaries(minister, day, code):
    create(minister)
    create(minister, code="2011", valid_from=date(2011, 5, 23), valid_to=None)
    found = policy_in_force(kind=KIND, on=day)
    assert (found.code if found else None) == code


def test_a_version_of_another_kind_is_not_in_force_for_this_kind(minister):
    create(minister, kind="test.services.other", parameters={"anything": [1, 2]})
    assert policy_in_force(kind=KIND, on=date(2008, 1, 1)) is None
    assert policy_in_force(kind="test.services.other", on=date(2008, 1, 1)).code == "2007"


def test_an_overlapping_version_is_refused_naming_the_one_it_overlaps_and_nothing_is_written(minister):
    create(minister)
    with pytest.raises(ValidationError) as caught:
        create(minister, code="clash", valid_from=date(2011, 5, 22), valid_to=None)
    (message,) = errors_of(caught)["valid_from"]
    assert "“2007”" in message and "2007-08-28 – 2011-05-22" in message
    assert list(policy_versions(kind=KIND).values_list("code", flat=True)) == ["2007"]
    assert AuditEvent.objects.count() == 1


def test_a_version_starting_before_an_open_one_and_reaching_into_it_is_refused(minister):
    create(minister, code="open", valid_from=date(2012, 1, 1), valid_to=None)
    with pytest.raises(ValidationError) as caught:
        create(minister, code="earlier", valid_from=date(2010, 1, 1), valid_to=date(2012, 1, 1))
    assert "“open”" in errors_of(caught)["valid_from"][0]
    assert "onwards" in errors_of(caught)["valid_from"][0]
    create(minister, code="earlier", valid_from=date(2010, 1, 1), valid_to=date(2011, 12, 31))


def test_a_version_that_ends_before_it_starts_is_refused_on_valid_to(minister):
    with pytest.raises(ValidationError) as caught:
        create(minister, valid_from=date(2011, 1, 1), valid_to=date(2010, 12, 31))
    assert errors_of(caught) == {"valid_to": ["A version cannot end before it starts."]}


def test_a_one_day_version_is_allowed(minister):
    version = create(minister, valid_from=date(2011, 1, 1), valid_to=date(2011, 1, 1))
    assert policy_in_force(kind=KIND, on=date(2011, 1, 1)) == version


def test_parameters_against_the_schema_are_refused_field_by_field(minister):
    with pytest.raises(ValidationError) as caught:
        create(minister, parameters={"unit": "families", "total": 0, "note": "x"})
    assert sorted(errors_of(caught)["parameters"]) == [
        "note: This field is not expected here.",
        "total: Must be greater than 0.",
    ]
    assert not PolicyVersion.objects.exists()
    assert not AuditEvent.objects.exists()


def test_parameters_that_are_not_an_object_are_refused(minister):
    with pytest.raises(ValidationError) as caught:
        create(minister, parameters=["families", 15000])
    assert errors_of(caught) == {"parameters": ["Expected an object (a set of named values)."]}


def test_a_duplicate_code_an_unknown_confidence_and_a_missing_title_are_all_reported_at_once(minister):
    create(minister)
    with pytest.raises(ValidationError) as caught:
        create(minister, valid_from=date(2012, 1, 1), valid_to=None, confidence="X", title_kk="")
    assert set(errors_of(caught)) == {"code", "confidence", "title_kk"}


def test_closing_an_open_version_lets_the_next_one_follow_and_is_audited(minister):
    current = create(minister, code="2012", valid_from=date(2012, 1, 1), valid_to=None)
    with pytest.raises(ValidationError):
        create(minister, code="2026", valid_from=date(2026, 1, 1), valid_to=None)

    policy_version_close(
        version=current, valid_to=date(2025, 12, 31), by=minister, reason="Replaced from 2026"
    )
    assert current.valid_to == date(2025, 12, 31)
    create(minister, code="2026", valid_from=date(2026, 1, 1), valid_to=None)

    assert policy_in_force(kind=KIND, on=date(2025, 12, 31)).code == "2012"
    assert policy_in_force(kind=KIND, on=date(2026, 1, 1)).code == "2026"
    event = AuditEvent.objects.get(action="core.policy_version.close")
    assert (event.actor, event.reason) == (minister, "Replaced from 2026")
    assert (event.before, event.after) == ({"valid_to": None}, {"valid_to": "2025-12-31"})


def test_a_version_with_empty_parameters_can_be_created_and_closed(minister):
    version = create(minister, kind="test.services.free", parameters={}, valid_to=None)
    policy_version_close(version=version, valid_to=date(2008, 1, 1), by=minister, reason="")
    assert PolicyVersion.objects.get(pk=version.pk).valid_to == date(2008, 1, 1)


def test_a_closed_version_cannot_be_closed_again(minister):
    version = create(minister)
    with pytest.raises(ValidationError) as caught:
        policy_version_close(version=version, valid_to=date(2010, 1, 1), by=minister, reason="")
    assert "2011-05-22" in errors_of(caught)["valid_to"][0]
    version.refresh_from_db()
    assert version.valid_to == date(2011, 5, 22)


def test_a_version_cannot_be_closed_before_it_starts(minister):
    version = create(minister, valid_to=None)
    with pytest.raises(ValidationError) as caught:
        policy_version_close(version=version, valid_to=date(2007, 8, 27), by=minister, reason="")
    assert errors_of(caught) == {"valid_to": ["A version cannot end before it starts."]}
    assert not AuditEvent.objects.filter(action="core.policy_version.close").exists()


def test_versions_written_behind_the_services_back_that_overlap_are_not_silently_chosen(minister):
    create(minister, valid_to=None)
    PolicyVersion.objects.create(
        kind=KIND, code="rogue", title_en="x", valid_from=date(2010, 1, 1), legal_act_en="none", parameters={}
    )
    with pytest.raises(AmbiguousPolicyError):
        policy_in_force(kind=KIND, on=date(2010, 6, 1))


def test_the_list_is_ordered_by_kind_and_start_and_a_version_becomes_a_pure_document(minister):
    create(minister, code="2011", valid_from=date(2011, 5, 23), valid_to=None)
    create(minister)
    create(minister, kind="test.services.a", parameters={})
    assert [(v.kind, v.code) for v in policy_versions()] == [
        ("test.services.a", "2007"),
        (KIND, "2007"),
        (KIND, "2011"),
    ]
    doc = policy_doc(policy_versions(kind=KIND).first())
    assert (doc.code, doc.valid_from, doc.legal_number, doc.parameters["total"]) == (
        "2007",
        date(2007, 8, 28),
        "399",
        15000,
    )


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL's row and advisory locks")
def test_a_second_writer_of_an_overlapping_version_waits_for_the_first_and_is_then_refused(minister):
    first_written, release_first = threading.Event(), threading.Event()
    outcome: dict[str, object] = {}

    def first() -> None:
        try:
            with transaction.atomic():
                create(minister, code="first", valid_to=None)
                first_written.set()
                release_first.wait(timeout=30)
        finally:
            connections.close_all()

    def second() -> None:
        try:
            first_written.wait(timeout=30)
            create(minister, code="second", valid_from=date(2010, 1, 1), valid_to=None)
            outcome["second"] = "created"
        except ValidationError as exc:
            outcome["second"] = exc.message_dict
        finally:
            connections.close_all()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    # Hold the first transaction open until the second writer is seen queueing on the kind's lock.
    deadline = time.monotonic() + 10
    with connections["default"].cursor() as cursor:
        while time.monotonic() < deadline:
            cursor.execute("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted")
            if cursor.fetchone()[0]:
                break
    release_first.set()
    for thread in threads:
        thread.join(timeout=30)

    assert outcome["second"] != "created", "both overlapping versions were written"
    assert "first" in outcome["second"]["valid_from"][0]  # names the version it overlaps
    assert list(PolicyVersion.objects.filter(kind=KIND).values_list("code", flat=True)) == ["first"]
