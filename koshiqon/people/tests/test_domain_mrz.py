from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from koshiqon.people.domain.mrz import (
    char_value,
    check_digit,
    make_td1,
    make_td3,
    mrz_text,
    normalize_mrz_lines,
    parse_mrz,
)

TODAY = date(2024, 6, 1)

# ICAO Doc 9303 specimens: Part 4 (TD3 passport), Part 5 (TD1 card), Part 6 (TD2).
TD3_L1 = "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<"
TD3_L2 = "L898902C36UTO7408122F1204159ZE184226B<<<<<10"
TD3 = f"{TD3_L1}\n{TD3_L2}"
TD1 = "I<UTOD231458907<<<<<<<<<<<<<<<\n7408122F1204159UTO<<<<<<<<<<<6\nERIKSSON<<ANNA<MARIA<<<<<<<<<<"
TD2 = "I<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<\nD231458907UTO7408122F1204159<<<<<<<6"

# A Kazakh passport zone spelled out literally, its five check digits (5, 8, 6, 4, 6) verified with a
# separate throw-away computation, so that parse_mrz and make_td3 cannot drift together unnoticed.
KAZ_TD3 = "P<KAZABDIKADYROVA<<ZHANAR<<<<<<<<<<<<<<<<<<<\nN123456785KAZ9005178F3103016900517400015<<46"


def _replace(text: str, line: int, position: int, char: str) -> str:
    lines = text.split("\n")
    lines[line] = lines[line][:position] + char + lines[line][position + 1 :]
    return "\n".join(lines)


def _td3_line2(number: str, birth: str, sex: str, expiry: str, optional: str) -> str:
    # Builds a TD3 second line with correct check digits around deliberately odd field values.
    number, optional = number.ljust(9, "<"), optional.ljust(14, "<")
    body = number + check_digit(number) + "UTO" + birth + check_digit(birth) + sex + expiry
    body += check_digit(expiry) + optional + check_digit(optional)
    return body + check_digit(body[0:10] + body[13:20] + body[21:43])


@pytest.mark.parametrize(("text", "value"), [("L898902C3", "6"), ("740812", "2"), ("120415", "9"),
                                             ("ZE184226B<<<<<", "1"), ("D23145890", "7"), ("<<<<<<", "0")])
def test_it_computes_the_check_digits_of_the_icao_specimens(text, value):
    assert check_digit(text) == value


def test_it_values_characters_as_icao_says():
    assert [char_value(c) for c in "09AZ<"] == [0, 9, 10, 35, 0]
    with pytest.raises(ValueError):
        char_value("a")


def test_it_reads_the_icao_td3_passport_specimen():
    mrz = parse_mrz(TD3, today=TODAY)
    assert mrz.is_valid, mrz.problems
    assert (mrz.format, mrz.document_code, mrz.issuing_state) == ("TD3", "P", "UTO")
    assert (mrz.surname, mrz.given_names) == ("ERIKSSON", "ANNA MARIA")
    assert (mrz.document_number, mrz.nationality) == ("L898902C3", "UTO")
    assert (mrz.birth_date, mrz.sex, mrz.expiry_date) == (date(1974, 8, 12), "F", date(2012, 4, 15))
    assert mrz.optional_data == "ZE184226B"


def test_it_reads_the_icao_td1_card_specimen():
    mrz = parse_mrz(TD1, today=TODAY)
    assert mrz.is_valid, mrz.problems
    assert (mrz.format, mrz.document_code, mrz.issuing_state, mrz.nationality) == ("TD1", "I", "UTO", "UTO")
    assert (mrz.surname, mrz.given_names, mrz.document_number) == ("ERIKSSON", "ANNA MARIA", "D23145890")
    assert (mrz.birth_date, mrz.sex, mrz.expiry_date) == (date(1974, 8, 12), "F", date(2012, 4, 15))
    assert (mrz.optional_data, mrz.optional_data_2) == ("", "")


def test_it_reads_the_icao_td2_specimen():
    mrz = parse_mrz(TD2, today=TODAY)
    assert mrz.is_valid, mrz.problems
    assert (mrz.format, mrz.surname, mrz.document_number) == ("TD2", "ERIKSSON", "D23145890")
    assert (mrz.birth_date, mrz.expiry_date) == (date(1974, 8, 12), date(2012, 4, 15))


def test_it_reads_a_kazakh_passport():
    mrz = parse_mrz(KAZ_TD3, today=TODAY)
    assert mrz.is_valid, mrz.problems
    assert (mrz.issuing_state, mrz.nationality, mrz.document_number) == ("KAZ", "KAZ", "N12345678")
    assert (mrz.surname, mrz.given_names, mrz.sex) == ("ABDIKADYROVA", "ZHANAR", "F")
    assert (mrz.birth_date, mrz.expiry_date) == (date(1990, 5, 17), date(2031, 3, 1))
    assert mrz.optional_data == "900517400015"  # the holder's IIN as personal number


def test_it_builds_the_kazakh_passport_zone_from_cyrillic_names():
    built = make_td3(surname="Әбдіқадырова", given_names="Жанар", document_number="N12345678",
                     nationality="KAZ", birth_date=date(1990, 5, 17), sex="F", expiry_date=date(2031, 3, 1),
                     personal_number="900517400015")
    assert built == KAZ_TD3


def test_it_tolerates_lower_case_carriage_returns_and_surrounding_whitespace():
    messy = f"\n  {TD3_L1.lower()}  \r\n\t{TD3_L2}\r\n\n"
    assert parse_mrz(messy, today=TODAY) == parse_mrz(TD3, today=TODAY)


def test_it_cuts_a_zone_pasted_without_line_breaks_into_its_lines():
    assert normalize_mrz_lines(TD3_L1 + TD3_L2) == [TD3_L1, TD3_L2]
    assert parse_mrz(TD1.replace("\n", ""), today=TODAY).is_valid


@pytest.mark.parametrize(
    ("line", "position", "field"),
    [(1, 9, "document_number"), (1, 19, "birth_date"), (1, 27, "expiry_date"), (1, 42, "optional_data")],
)
def test_it_rejects_a_td3_zone_with_a_wrong_check_digit(line, position, field):
    original = TD3.split("\n")[line][position]
    wrong = str((int(original) + 1) % 10)
    mrz = parse_mrz(_replace(TD3, line, position, wrong), today=TODAY)
    # The composite digit covers the field's check digit too, so it fails with it.
    assert mrz.problem_codes == (("check_digit", field), ("check_digit", "composite"))
    assert not mrz.is_valid


def test_it_rejects_a_td3_zone_with_a_wrong_composite_check_digit():
    mrz = parse_mrz(_replace(TD3, 1, 43, "1"), today=TODAY)
    assert mrz.problem_codes == (("check_digit", "composite"),)


def test_it_catches_a_typo_in_the_document_number_itself():
    typo = _replace(TD3, 1, 3, "9")
    assert typo.split("\n")[1].startswith("L899902C36")
    mrz = parse_mrz(typo, today=TODAY)
    assert mrz.problem_codes == (("check_digit", "document_number"), ("check_digit", "composite"))


@pytest.mark.parametrize(
    ("line", "position", "field"),
    [(0, 14, "document_number"), (1, 6, "birth_date"), (1, 14, "expiry_date"), (1, 29, "composite")],
)
def test_it_rejects_a_td1_zone_with_a_wrong_check_digit(line, position, field):
    original = TD1.split("\n")[line][position]
    mrz = parse_mrz(_replace(TD1, line, position, str((int(original) + 1) % 10)), today=TODAY)
    assert ("check_digit", field) in mrz.problem_codes


def test_it_rejects_a_td2_zone_with_a_wrong_birth_date_check_digit():
    mrz = parse_mrz(_replace(TD2, 1, 19, "3"), today=TODAY)
    assert mrz.problem_codes == (("check_digit", "birth_date"), ("check_digit", "composite"))


@pytest.mark.parametrize(
    "text",
    [
        TD3_L1,  # one line
        f"{TD3_L1}\n{TD3_L2}\n{TD3_L2}",  # three lines of 44
        f"{TD3_L1}\n{TD3_L2[:-1]}",  # second line one short
        f"{TD3_L1}<\n{TD3_L2}<",  # both lines too long
        "",
        "hello\nworld",
    ],
)
def test_it_rejects_a_zone_of_the_wrong_length_or_line_count(text):
    mrz = parse_mrz(text, today=TODAY)
    assert mrz.problem_codes == (("format", "lines"),)
    assert mrz.document_number == "" and mrz.birth_date is None


def test_it_says_which_format_a_zone_with_a_short_line_looks_like():
    assert parse_mrz(f"{TD3_L1}\n{TD3_L2[:-1]}", today=TODAY).format == "TD3"


def test_it_rejects_characters_an_mrz_cannot_hold():
    mrz = parse_mrz(_replace(TD3, 1, 30, "*"), today=TODAY)
    assert mrz.problem_codes == (("format", "line2"),)
    assert mrz.format == "TD3"


def test_it_rejects_a_birth_date_that_does_not_exist():
    mrz = parse_mrz(TD3_L1 + "\n" + _td3_line2("L898902C3", "740230", "F", "120415", ""), today=TODAY)
    assert mrz.problem_codes == (("date", "birth_date"),)
    assert mrz.birth_date is None


def test_it_rejects_an_expiry_date_with_a_letter_for_a_digit():
    mrz = parse_mrz(TD3_L1 + "\n" + _td3_line2("L898902C3", "740812", "F", "12O415", ""), today=TODAY)
    assert mrz.problem_codes == (("date", "expiry_date"),)


def test_it_accepts_an_unknown_part_of_the_birth_date_marked_with_fillers():
    mrz = parse_mrz(TD3_L1 + "\n" + _td3_line2("L898902C3", "74<<<<", "F", "120415", ""), today=TODAY)
    assert mrz.is_valid
    assert mrz.birth_date is None


@pytest.mark.parametrize(
    ("birth", "expected"),
    [("051231", date(2005, 12, 31)), ("240601", date(2024, 6, 1)), ("240602", date(1924, 6, 2)),
     ("990101", date(1999, 1, 1)), ("000229", date(2000, 2, 29))],
)
def test_it_puts_a_birth_year_that_would_lie_in_the_future_in_the_1900s(birth, expected):
    mrz = parse_mrz(TD3_L1 + "\n" + _td3_line2("X1", birth, "M", "300101", ""), today=TODAY)
    assert mrz.is_valid, mrz.problems
    assert mrz.birth_date == expected


def test_it_always_puts_the_expiry_year_in_the_2000s():
    mrz = parse_mrz(TD3_L1 + "\n" + _td3_line2("X1", "800101", "M", "991231", ""), today=TODAY)
    assert mrz.expiry_date == date(2099, 12, 31)


@pytest.mark.parametrize(("char", "sex", "problems"), [("M", "M", ()), ("<", None, ()), ("X", None, ()),
                                                        ("Q", None, (("format", "sex"),))])
def test_it_reads_the_sex_marker(char, sex, problems):
    mrz = parse_mrz(TD3_L1 + "\n" + _td3_line2("X1", "800101", char, "300101", ""), today=TODAY)
    assert mrz.sex == sex
    assert mrz.problem_codes == problems


def test_it_accepts_an_unused_personal_number_with_a_filler_or_zero_check_digit():
    line2 = _td3_line2("X1", "800101", "M", "300101", "")
    assert line2[42] == "0"
    assert parse_mrz(f"{TD3_L1}\n{line2}", today=TODAY).is_valid
    # '<' counts as 0, so the composite digit is the same either way.
    with_filler = line2[:42] + "<" + line2[43]
    assert parse_mrz(f"{TD3_L1}\n{with_filler}", today=TODAY).is_valid


def test_it_rejects_a_filler_check_digit_on_a_personal_number_that_is_used():
    mrz = parse_mrz(_replace(TD3, 1, 42, "<"), today=TODAY)
    assert ("check_digit", "optional_data") in mrz.problem_codes


def test_it_reads_the_issuing_state_as_printed_for_germany():
    zone = make_td3(surname="Mustermann", given_names="Erika", document_number="C01X00T47", nationality="D",
                    birth_date=date(1964, 8, 12), sex="F", expiry_date=date(2027, 10, 31))
    assert zone.startswith("P<D<<MUSTERMANN<<ERIKA<")
    mrz = parse_mrz(zone, today=TODAY)
    assert mrz.is_valid and (mrz.issuing_state, mrz.nationality) == ("D", "D")


# The long-document-number example of ICAO 9303 Part 5: "D23145890734" does not fit in 9 characters.
LONG_TD1 = "I<UTOD23145890<7349<<<<<<<<<<<\n3407127M9507122UTO<<<<<<<<<<<2\nSTEVENSON<<PETER<JOHN<<<<<<<<<"


def test_it_reads_a_td1_document_number_longer_than_nine_characters():
    mrz = parse_mrz(LONG_TD1, today=TODAY)
    assert mrz.is_valid, mrz.problems
    assert mrz.document_number == "D23145890734"
    assert mrz.optional_data == ""
    assert (mrz.surname, mrz.given_names, mrz.birth_date) == ("STEVENSON", "PETER JOHN", date(1934, 7, 12))


def test_it_rejects_a_wrong_check_digit_of_a_long_td1_document_number():
    mrz = parse_mrz(_replace(LONG_TD1, 0, 18, "8"), today=TODAY)
    assert ("check_digit", "document_number") in mrz.problem_codes


def test_it_rejects_a_truncated_number_marker_with_nothing_after_it():
    mrz = parse_mrz(_replace(_replace(LONG_TD1, 0, 15, "<"), 0, 16, "<"), today=TODAY)
    assert ("check_digit", "document_number") in mrz.problem_codes


def test_it_builds_a_td1_zone_with_a_long_document_number_and_optional_data():
    zone = make_td1(surname="Stevenson", given_names="Peter John", document_number="D23145890734",
                    nationality="UTO", birth_date=date(1934, 7, 12), sex="M", expiry_date=date(2095, 7, 12),
                    optional_data="AB12", optional_data_2="XYZ")
    assert zone.split("\n")[0] == "I<UTOD23145890<7349<AB12<<<<<<"
    mrz = parse_mrz(zone, today=TODAY)
    assert mrz.is_valid, mrz.problems
    assert (mrz.document_number, mrz.optional_data, mrz.optional_data_2) == ("D23145890734", "AB12", "XYZ")


def test_it_turns_name_punctuation_into_mrz_characters():
    assert mrz_text("O'Neil-Smith  Jr") == "ONEIL<SMITH<JR"
    assert mrz_text("Müller") == "MULLER"
    with pytest.raises(ValueError):
        mrz_text("李")


def test_it_truncates_names_that_do_not_fit_and_refuses_a_document_number_that_does_not():
    zone = make_td3(surname="A" * 50, given_names="B", document_number="1", nationality="KAZ",
                    birth_date=date(1990, 1, 1), sex="M", expiry_date=date(2030, 1, 1))
    assert zone.split("\n")[0] == "P<KAZ" + "A" * 39
    with pytest.raises(ValueError):
        make_td3(surname="A", given_names="B", document_number="N1234567890", nationality="KAZ",
                 birth_date=date(1990, 1, 1), sex="M", expiry_date=date(2030, 1, 1))


_MRZ_WORD = st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ", min_size=1, max_size=12)


@given(
    surname=_MRZ_WORD,
    given_names=st.lists(_MRZ_WORD, min_size=1, max_size=2).map(" ".join),
    number=st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", min_size=1, max_size=9),
    birth=st.dates(min_value=date(1924, 6, 2), max_value=TODAY),
    expiry=st.dates(min_value=date(2000, 1, 1), max_value=date(2099, 12, 31)),
    sex=st.sampled_from(["M", "F", None]),
    personal=st.text(alphabet="0123456789", max_size=14),
)
def test_every_built_passport_zone_reads_back_as_built(surname, given_names, number, birth, expiry, sex, personal):
    zone = make_td3(surname=surname, given_names=given_names, document_number=number, nationality="KAZ",
                    birth_date=birth, sex=sex, expiry_date=expiry, personal_number=personal)
    mrz = parse_mrz(zone, today=TODAY)
    assert mrz.is_valid, mrz.problems
    assert (mrz.surname, mrz.given_names, mrz.document_number) == (surname, given_names, number)
    assert (mrz.birth_date, mrz.expiry_date, mrz.sex, mrz.optional_data) == (birth, expiry, sex, personal)
