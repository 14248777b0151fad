from datetime import date

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import translation

from koshiqon.core.models import AuditEvent
from koshiqon.people import imports
from koshiqon.people.domain.iin import make_iin
from koshiqon.people.factories import PersonFactory
from koshiqon.people.imports import person_import_csv, person_import_job
from koshiqon.people.models import Person


@pytest.fixture(autouse=True)
def english():
    """The assertions read the English messages, whatever catalogues are compiled."""
    with translation.override("en"):
        yield


HEADER = "last_name,first_name,patronymic,last_name_latin,first_name_latin,birth_date,sex,citizenship,iin,region"


def csv_text(*rows: str, header: str = HEADER) -> str:
    return "\n".join((header, *rows)) + "\n"


def row(last="Серікова", first="Жанар", born=date(1990, 5, 17), sex="F", iin_serial=1, region="KZ-55",
        citizenship="KZ", latin=("SERIKOVA", "ZHANAR"), patronymic="", iin=None) -> str:
    iin = make_iin(born, sex, iin_serial) if iin is None else iin
    return ",".join([last, first, patronymic, latin[0], latin[1], born.isoformat(), sex, citizenship, iin, region])


def test_it_registers_every_row_of_a_good_file_through_the_registration_rules(officer):
    text = csv_text(
        row(),
        row("Жұмабаев", "Ерлан", date(1985, 3, 21), "M", latin=("ZHUMABAYEV", "YERLAN"), patronymic="Серікұлы"),
        row("Ли", "Вэй", date(1979, 1, 2), "M", citizenship="CN", iin="", latin=("LI", "WEI")),
    )
    report = person_import_csv(text=text, by=officer)
    assert report.errors == []
    assert (report.rows, report.created, report.saved) == (3, 3, True)
    erlan = Person.objects.get(first_name="Ерлан")
    assert (erlan.patronymic, erlan.region.code, erlan.citizenship.alpha2, erlan.created_by) == (
        "Серікұлы", "KZ-55", "KZ", officer)
    assert Person.objects.get(first_name="Вэй").iin is None
    assert AuditEvent.objects.filter(action="people.person.create").count() == 3
    assert AuditEvent.objects.get(action="people.person.import").after == {"rows": 3, "created": 3}


def test_a_file_with_bad_rows_saves_nothing_and_reports_every_problem_with_its_line(officer):
    good_iin = make_iin(date(1990, 5, 17), "F", 1)
    wrong_check_digit = good_iin[:11] + str((int(good_iin[11]) + 1) % 10)
    text = csv_text(
        row(),                                                                   # line 2: fine
        row("Ахметов", "Мұрат", date(1980, 1, 1), "M", iin=wrong_check_digit),   # line 3: IIN
        "Оспанов,Дархан,,,,1980-13-01,M,KZ,,KZ-55",                              # line 4: date
        row("Қасымова", "Гүлнар", date(1975, 2, 2), "F", iin_serial=5, region="KZ-99"),  # line 5: region
        row("Әлиева", "Динара", date(1995, 6, 6), "X", iin="", citizenship="ZZ", latin=("ALIYEVA", "Динара")),
    )
    report = person_import_csv(text=text, by=officer)
    assert report.created == 0 and not report.saved
    assert not Person.objects.exists()
    assert not AuditEvent.objects.filter(action__startswith="people.").exists()
    problems = {(line, field) for line, field, _ in report.errors}
    assert problems == {
        (3, "iin"), (4, "birth_date"), (5, "region"), (6, "sex"), (6, "citizenship"), (6, "first_name_latin"),
    }
    messages = {(line, field): message for line, field, message in report.errors}
    assert "check digit" in messages[(3, "iin")]
    assert "YYYY-MM-DD" in messages[(4, "birth_date")]


def test_a_row_repeating_another_row_of_the_file_is_reported_with_the_line_it_repeats(officer):
    text = csv_text(row(iin=""), row(iin="", latin=("SERIKOVA", "JANAR")))
    report = person_import_csv(text=text, by=officer)
    assert not Person.objects.exists()
    [(line, field, message)] = report.errors
    assert (line, field) == (3, "confirmed_new")
    assert "line 2 of this file" in message


def test_duplicates_within_a_file_are_found_by_the_check_even_across_batches(officer, monkeypatch):
    monkeypatch.setattr(imports, "BATCH_ROWS", 2)
    text = csv_text(
        row(iin=""),
        row("Ахметов", "Мұрат", date(1980, 1, 1), "M", iin="", latin=("AKHMETOV", "MURAT")),
        row("Оспанов", "Дархан", date(1970, 1, 1), "M", iin="", latin=("OSPANOV", "DARKHAN")),
        row("Қасымов", "Болат", date(1960, 1, 1), "M", iin="", latin=("KASYMOV", "BOLAT")),
        row(iin=""),
    )
    messages = []
    report = person_import_csv(text=text, by=officer, progress=lambda done, total, message: messages.append(message))
    assert [(line, field) for line, field, _ in report.errors] == [(6, "confirmed_new")]
    assert not Person.objects.exists()
    # Caught while checking, batch by batch: the file never reached the saving pass.
    assert not any(m.startswith("Saving") for m in messages)


def test_a_person_already_registered_is_reported_and_confirmed_new_registers_the_namesake(officer):
    existing = PersonFactory(last_name="Серікова", first_name="Жанар", last_name_latin="SERIKOVA",
                             first_name_latin="ZHANAR", birth_date=date(1990, 5, 17), sex="F", iin=None)
    report = person_import_csv(text=csv_text(row(iin="")), by=officer)
    [(line, field, message)] = report.errors
    assert (line, field) == (2, "confirmed_new")
    assert f"record {existing.pk}" in message
    confirmed = csv_text(row(iin="") + ",1", header=HEADER + ",confirmed_new")
    report = person_import_csv(text=confirmed, by=officer)
    assert report.saved and Person.objects.count() == 2


def test_the_same_iin_twice_in_a_file_is_refused_even_when_confirmed_as_new(officer):
    text = csv_text(row() + ",1", row("Иванова", "Ольга", latin=("IVANOVA", "OLGA")) + ",1",
                    header=HEADER + ",confirmed_new")
    report = person_import_csv(text=text, by=officer)
    assert [(line, field) for line, field, _ in report.errors] == [(3, "iin")]
    assert not Person.objects.exists()


def test_an_officer_cannot_import_persons_into_another_region(officer):
    report = person_import_csv(text=csv_text(row(region="KZ-75")), by=officer)
    assert [(line, field) for line, field, _ in report.errors] == [(2, "region")]
    assert not Person.objects.exists()


def test_a_read_only_user_may_not_import(viewer):
    with pytest.raises(PermissionDenied):
        person_import_csv(text=csv_text(row()), by=viewer)


def test_a_file_without_a_required_column_or_with_an_unknown_one_is_refused_as_a_whole(officer):
    header = "last_name,first_name,birth_date,gender,region"
    report = person_import_csv(text=csv_text("Серікова,Жанар,1990-05-17,F,KZ-55", header=header), by=officer)
    assert {(line, field) for line, field, _ in report.errors} == {(1, "gender"), (1, "sex")}
    assert not Person.objects.exists()


def test_an_empty_file_and_a_file_with_only_a_header_are_refused(officer):
    assert [e.line for e in person_import_csv(text="", by=officer).errors] == [1]
    assert [e.line for e in person_import_csv(text=csv_text(), by=officer).errors] == [1]


def test_a_row_with_a_wrong_number_of_cells_is_reported(officer):
    report = person_import_csv(text=csv_text(row(), "Серікова,Жанар"), by=officer)
    [(line, field, message)] = report.errors
    assert line == 3 and "2 cells" in message


def test_semicolon_separated_files_with_a_byte_order_mark_are_read(officer):
    text = "\ufeff" + csv_text(row().replace(",", ";"), header=HEADER.replace(",", ";"))
    report = person_import_csv(text=text, by=officer)
    assert report.saved and Person.objects.get().first_name == "Жанар"


def test_progress_is_reported_while_checking_and_when_saved(officer):
    calls = []
    person_import_csv(text=csv_text(row(), row("Ахметов", "Мұрат", date(1980, 1, 1), "M", latin=("AKHMETOV", "MURAT"))),
                      by=officer, progress=lambda done, total, message: calls.append((done, total)))
    assert calls[0] == (0, 4)
    assert (2, 4) in calls
    assert calls[-1] == (4, 4)


def test_if_the_registry_changes_between_check_and_save_nothing_is_saved(officer):
    taken = make_iin(date(1985, 3, 21), "M", 7)

    def progress(done, total, message):
        if message.startswith("Saving"):  # someone registers the same IIN in between
            PersonFactory(iin=taken, birth_date=date(1985, 3, 21), last_name="Другой", first_name="Человек")

    text = csv_text(row(), row("Жұмабаев", "Ерлан", date(1985, 3, 21), "M", iin=taken, latin=("ZHUMABAYEV", "YERLAN")))
    report = person_import_csv(text=text, by=officer, progress=progress)
    assert [(line, field) for line, field, _ in report.errors] == [(3, "iin")]
    assert list(Person.objects.values_list("last_name", flat=True)) == ["Другой"]


def test_the_import_job_returns_a_report_a_page_can_show(officer):
    result = person_import_job(by=officer, progress=lambda *a: None, text=csv_text(row(), row(iin="")))
    assert result["saved"] is False and result["created"] == 0
    assert result["errors"] and all(len(e) == 3 for e in result["errors"])
    assert "Nothing was saved" in result["summary"]
    result = person_import_job(by=officer, progress=lambda *a: None, text=csv_text(row()))
    assert result["saved"] is True and result["summary"] == "1 person was registered."
