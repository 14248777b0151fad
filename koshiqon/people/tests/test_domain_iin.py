from datetime import date

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from koshiqon.people.domain.iin import (
    bin_problem,
    check_digit,
    iin_birth_date,
    iin_problem,
    iin_sex,
    is_valid_bin,
    is_valid_iin,
    make_bin,
    make_iin,
    normalize_number,
)

# Built with make_iin and checked by hand: 17 May 1990, 4 = born in the 1900s, female, serial 0001.
VALID_IIN = "900517400015"


def test_it_accepts_a_valid_iin():
    assert iin_problem(VALID_IIN) is None
    assert is_valid_iin(VALID_IIN)


@pytest.mark.parametrize(
    ("iin", "birth_date", "sex"),
    [
        # Computed by an independent implementation (valery1707/kaz-person-id) for its century tests.
        ("800416100254", date(1880, 4, 16), "M"),
        ("680503250034", date(1868, 5, 3), "F"),
        (VALID_IIN, date(1990, 5, 17), "F"),
    ],
)
def test_it_reads_birth_date_and_sex_from_a_valid_iin(iin, birth_date, sex):
    assert iin_problem(iin) is None
    assert iin_birth_date(iin) == birth_date
    assert iin_sex(iin) == sex


def test_it_accepts_an_iin_whose_check_digit_needs_the_second_weights():
    first_pass = sum(int(d) * w for d, w in zip("90051740060", range(1, 12), strict=True)) % 11
    assert first_pass == 10
    assert iin_problem("900517400608") is None


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ("", "length"),
        ("90051740001", "length"),
        ("9005174000150", "length"),
        (" 900517400015", "length"),
        ("90051740001X", "digits"),
        ("9005174０0015", "digits"),  # a full-width zero looks like a digit but is not one
        ("²00517400015", "digits"),
        ("900517000015", "century"),
        ("900517700015", "century"),
        ("900517900015", "century"),
        ("901317400015", "date"),
        ("900532400015", "date"),
        ("900229400015", "date"),  # 1990 was not a leap year
        ("900517400016", "check_digit"),
    ],
)
def test_it_names_the_problem_of_an_invalid_iin(value, problem):
    assert iin_problem(value) == problem
    assert not is_valid_iin(value)


def test_it_reads_29_february_in_the_century_the_7th_digit_gives():
    born_2000 = make_iin(date(2000, 2, 29), "M", 1)
    assert born_2000[6] == "5"
    assert iin_problem(born_2000) is None
    # The same six digits with century digit 3 would be 29 February 1900, which did not exist.
    assert iin_problem("0002293" + born_2000[7:]) == "date"


def test_it_rejects_an_iin_with_a_wrong_check_digit():
    for wrong in "0123456789":
        if wrong != VALID_IIN[-1]:
            assert iin_problem(VALID_IIN[:-1] + wrong) == "check_digit"


def test_it_rejects_every_last_digit_when_no_check_digit_can_be_issued():
    assert check_digit("90051740061") is None
    assert all(iin_problem("90051740061" + d) == "check_digit" for d in "0123456789")


def test_it_does_not_derive_birth_date_or_sex_from_an_invalid_iin():
    assert iin_birth_date("900517400016") is None
    assert iin_sex("900517400016") is None
    assert iin_birth_date("abc") is None


def test_it_builds_an_iin_for_each_century_and_sex():
    cases = [(date(1899, 12, 31), "M", "1"), (date(1899, 1, 1), "F", "2"), (date(1950, 6, 1), "M", "3"),
             (date(1950, 6, 1), "F", "4"), (date(2001, 9, 11), "M", "5"), (date(2024, 2, 29), "F", "6")]
    for birth, sex, digit in cases:
        iin = make_iin(birth, sex, 123)
        assert iin[6] == digit
        assert iin[:6] == birth.strftime("%y%m%d")
        assert iin_birth_date(iin) == birth
        assert iin_sex(iin) == sex


def test_it_skips_a_serial_that_would_need_a_check_digit_of_ten():
    assert make_iin(date(1990, 5, 17), "F", 61) == "900517400621"
    assert make_iin(date(1990, 5, 17), "F", 62) == "900517400621"


@pytest.mark.parametrize(
    ("birth", "sex", "serial"),
    [(date(1799, 1, 1), "M", 1), (date(2100, 1, 1), "F", 1), (date(1990, 1, 1), "X", 1), (date(1990, 1, 1), "M", -1)],
)
def test_it_refuses_to_build_an_iin_it_cannot_encode(birth, sex, serial):
    with pytest.raises(ValueError):
        make_iin(birth, sex, serial)


@given(
    birth=st.dates(min_value=date(1800, 1, 1), max_value=date(2099, 12, 31)),
    sex=st.sampled_from(["M", "F"]),
    serial=st.integers(min_value=0, max_value=9000),
)
def test_every_built_iin_is_valid_and_gives_back_its_birth_date_and_sex(birth, sex, serial):
    iin = make_iin(birth, sex, serial)
    assert iin_problem(iin) is None
    assert iin_birth_date(iin) == birth
    assert iin_sex(iin) == sex
    assert int(iin[7:11]) >= serial


@given(
    st.text(alphabet="0123456789", min_size=11, max_size=11),
    st.sampled_from([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 11]),
    st.integers(1, 9),
)
def test_a_single_digit_typo_is_caught_unless_the_second_weights_step_in(body, position, delta):
    # Weights 1..10 are units modulo 11, so a typo in the first ten digits moves the first-pass sum; only
    # when either number falls back to the second weights can the two check digits agree by chance.
    # The 11th digit has weight 11 (0 modulo 11) in the first pass, so the scheme cannot protect it.
    def first_pass(digits: str) -> int:
        return sum(int(d) * w for d, w in zip(digits, range(1, 12), strict=True)) % 11

    digit = check_digit(body)
    assume(digit is not None and first_pass(body) != 10)
    iin = body + str(digit)
    typo = iin[:position] + str((int(iin[position]) + delta) % 10) + iin[position + 1 :]
    assume(first_pass(typo[:11]) != 10)
    assert check_digit(typo[:11]) != int(typo[11])


def test_it_removes_spaces_and_hyphens_people_type_inside_a_number():
    assert normalize_number(" 900 517-400 015 ") == VALID_IIN


# Business identification numbers published by a bank for its head office and branches (public data).
@pytest.mark.parametrize("value", ["940140000385", "950341000052", "961141000023", "070941024691", "990140004654"])
def test_it_accepts_published_bins(value):
    assert bin_problem(value) is None
    assert is_valid_bin(value)


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ("94014000038", "length"),
        ("9401400003851", "length"),
        ("94014000038X", "digits"),
        ("940130000385", "type"),
        ("940170000385", "type"),
        ("940040000385", "date"),
        ("941340000385", "date"),
        ("940140000386", "check_digit"),
    ],
)
def test_it_names_the_problem_of_an_invalid_bin(value, problem):
    assert bin_problem(value) == problem


@given(
    registered=st.dates(min_value=date(1990, 1, 1), max_value=date(2089, 12, 31)),
    kind=st.sampled_from(["4", "5", "6"]),
    attribute=st.sampled_from(["0", "1", "2", "3"]),
    serial=st.integers(min_value=0, max_value=90000),
)
def test_every_built_bin_is_valid(registered, kind, attribute, serial):
    value = make_bin(registered, kind, attribute, serial)
    assert bin_problem(value) is None
    assert value[:6] == registered.strftime("%y%m") + kind + attribute


def test_it_refuses_to_build_a_bin_with_an_unknown_type():
    with pytest.raises(ValueError):
        make_bin(date(2020, 1, 1), "7", "0", 1)
