"""A policy version's title and legal act in Kazakh, Russian and English: the one the reader's language picks,
the fallback when a language is empty, the languages a new version must have, rewording, and the migration
that kept the single-language values of older databases as English."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import translation

from koshiqon.accounts.factories import UserFactory
from koshiqon.core.models import AuditEvent, PolicyVersion
from koshiqon.core.policy import policy_doc, policy_version_create, policy_version_reword

pytestmark = pytest.mark.django_db

KIND = "test.languages.rules"
WORDING = {
    "title_kk": "Қандастардың өңірлік квотасы",
    "title_ru": "Региональная квота приема кандасов",
    "title_en": "Regional quota of kandas",
    "legal_act_kk": "«Халықтың көші-қоны туралы» Қазақстан Республикасының Заңы",
    "legal_act_ru": "Закон Республики Казахстан «О миграции населения»",
    "legal_act_en": "Law “On Migration of the Population”",
}


@pytest.fixture
def minister():
    return UserFactory(username="minister", role="national_officer")


def create(by, **changes):
    values = {"kind": KIND, "code": "2026", "valid_from": date(2026, 1, 1), "valid_to": None,
              "legal_number": "477-IV", "parameters": {}, **WORDING, **changes}
    return policy_version_create(**values, by=by)


def version(**wording) -> PolicyVersion:
    return PolicyVersion(kind=KIND, code="x", valid_from=date(2026, 1, 1), **wording)


# --- Which wording a reader sees ----------------------------------------------------------------------------

@pytest.mark.parametrize("language", ["kk", "ru", "en"])
def test_the_title_and_the_act_are_those_of_the_active_language(language):
    stored = version(**WORDING)
    with translation.override(language):
        assert stored.title == WORDING[f"title_{language}"]
        assert stored.legal_act == WORDING[f"legal_act_{language}"]


@pytest.mark.parametrize(
    ("stored", "language", "shown"),
    [
        ({"title_en": "English", "title_ru": "Русский"}, "kk", "English"),  # English first
        ({"title_ru": "Русский", "title_kk": "Қазақша"}, "en", "Русский"),  # then Russian
        ({"title_kk": "Қазақша"}, "ru", "Қазақша"),  # then Kazakh
        ({"title_kk": "Қазақша"}, None, "Қазақша"),  # no active language: Kazakh, the default
        ({"title_ru": "Русский", "title_en": "English"}, "de", "English"),  # a language we do not keep
        ({}, "kk", ""),
    ],
)
def test_an_empty_language_falls_back_to_english_then_russian_then_kazakh(stored, language, shown):
    assert version(**stored).title_in(language) == shown
    act = {k.replace("title", "legal_act"): v for k, v in stored.items()}
    assert version(**act).legal_act_in(language) == shown


def test_the_pure_document_carries_the_active_language_and_all_three(minister):
    stored = create(minister)
    with translation.override("ru"):
        doc = policy_doc(stored)
    assert (doc.title, doc.legal_act) == (WORDING["title_ru"], WORDING["legal_act_ru"])
    assert doc.titles == {"kk": WORDING["title_kk"], "ru": WORDING["title_ru"], "en": WORDING["title_en"]}
    assert doc.legal_acts["kk"] == WORDING["legal_act_kk"]


# --- Creating and rewording ---------------------------------------------------------------------------------

def test_a_new_version_without_its_kazakh_or_russian_wording_is_refused_field_by_field(minister):
    with translation.override("en"), pytest.raises(ValidationError) as caught:
        create(minister, title_kk="", title_ru="  ", legal_act_ru="")
    assert caught.value.message_dict == {
        "title_kk": ["This field is required."],
        "title_ru": ["This field is required."],
        "legal_act_ru": ["This field is required."],
    }
    assert not PolicyVersion.objects.exists()


def test_the_field_errors_are_worded_in_the_users_language(minister):
    with translation.override("en"):
        english = translation.gettext("This field is required.")
    with translation.override("kk"), pytest.raises(ValidationError) as caught:
        create(minister, legal_act_kk="")
    with translation.override("kk"):
        assert caught.value.message_dict["legal_act_kk"] == [translation.gettext("This field is required.")]
    assert caught.value.message_dict["legal_act_kk"] != [english]


def test_english_is_optional_and_an_english_reader_then_sees_russian(minister):
    stored = create(minister, title_en="", legal_act_en="")
    with translation.override("en"):
        assert (stored.title, stored.legal_act) == (WORDING["title_ru"], WORDING["legal_act_ru"])


def test_the_wording_is_stored_trimmed_and_audited_in_all_three_languages(minister):
    stored = create(minister, title_kk=f"  {WORDING['title_kk']} ")
    assert PolicyVersion.objects.get(pk=stored.pk).title_kk == WORDING["title_kk"]
    after = AuditEvent.objects.get(action="core.policy_version.create").after
    assert {name: after[name] for name in WORDING} == WORDING


def test_rewording_changes_only_the_wording_and_records_it_before_and_after(minister):
    stored = create(minister)
    PolicyVersion.objects.filter(pk=stored.pk).update(title_kk="", title_ru="", legal_act_kk="", legal_act_ru="")
    stored.refresh_from_db()

    policy_version_reword(version=stored, **WORDING, by=minister, reason="translated")

    again = PolicyVersion.objects.get(pk=stored.pk)
    assert {name: getattr(again, name) for name in WORDING} == WORDING
    assert (again.valid_from, again.legal_number) == (date(2026, 1, 1), "477-IV")
    assert stored.title_kk == WORDING["title_kk"]  # the caller's instance follows
    event = AuditEvent.objects.get(action="core.policy_version.reword")
    assert event.before == {"title_kk": "", "title_ru": "", "legal_act_kk": "", "legal_act_ru": ""}
    assert event.after == {name: WORDING[name] for name in event.before}
    assert (event.actor, event.reason) == (minister, "translated")


def test_rewording_to_the_same_words_writes_nothing(minister):
    stored = create(minister)
    policy_version_reword(version=stored, **WORDING, by=minister, reason="")
    assert not AuditEvent.objects.filter(action="core.policy_version.reword").exists()


def test_rewording_may_not_remove_the_kazakh_wording(minister):
    stored = create(minister)
    with translation.override("en"), pytest.raises(ValidationError) as caught:
        policy_version_reword(version=stored, **{**WORDING, "title_kk": ""}, by=minister, reason="")
    assert caught.value.message_dict == {"title_kk": ["This field is required."]}
    assert PolicyVersion.objects.get(pk=stored.pk).title_kk == WORDING["title_kk"]


# --- The migration ------------------------------------------------------------------------------------------

MIGRATION = "0005_policy_version_languages"


@pytest.mark.django_db(transaction=True)
def test_the_migration_keeps_the_single_language_wording_as_english_and_undoing_it_brings_it_back():
    executor = MigrationExecutor(connection)
    before = [("core", "0004_audit_lanes")]
    try:
        executor.migrate(before)
        old = executor.loader.project_state(before).apps.get_model("core", "PolicyVersion")
        old.objects.create(kind=KIND, code="2007", title="Oralman quota procedure", valid_from=date(2007, 8, 28),
                           legal_act="Decree of the President No. 399", parameters={})

        executor = MigrationExecutor(connection)
        executor.migrate([("core", MIGRATION)])
        new = executor.loader.project_state([("core", MIGRATION)]).apps.get_model("core", "PolicyVersion")
        row = new.objects.get(code="2007")
        assert (row.title_en, row.legal_act_en) == ("Oralman quota procedure", "Decree of the President No. 399")
        assert (row.title_kk, row.title_ru, row.legal_act_kk, row.legal_act_ru) == ("", "", "", "")

        row.title_en, row.title_ru = "", "Порядок квоты оралманов"
        row.save()
        executor = MigrationExecutor(connection)
        executor.migrate(before)
        back = executor.loader.project_state(before).apps.get_model("core", "PolicyVersion").objects.get(code="2007")
        assert (back.title, back.legal_act) == ("Порядок квоты оралманов", "Decree of the President No. 399")
    finally:
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(executor.loader.graph.leaf_nodes())
