"""法人番号 (corporate number): 13 digits whose first is a check digit."""

import pytest
from django.core.exceptions import ValidationError

from core.corporate_number import (
    corporate_number_check_digit,
    is_valid_corporate_number,
    normalise_corporate_number,
    validate_corporate_number,
)

NTA = "7000012050002"  # National Tax Agency (国税庁)


@pytest.mark.parametrize(
    "number",
    [
        NTA,
        "5835678256246",
        "9000000000000",  # weighted sum divisible by 9: check digit 9
    ],
)
def test_known_valid_numbers(number):
    assert is_valid_corporate_number(number)
    assert validate_corporate_number(number) == number


def test_check_digit_of_the_nta_number():
    assert corporate_number_check_digit("000012050002") == 7
    assert corporate_number_check_digit("835678256246") == 5
    assert corporate_number_check_digit("000000000000") == 9
    # Digits in even places (from the right) count twice.
    assert corporate_number_check_digit("000000000001") == 8
    assert corporate_number_check_digit("000000000010") == 7


@pytest.mark.parametrize(
    "written",
    [
        "７００００１２０５０００２",  # full-width digits
        "7-0000-1205-0002",
        "7－0000－1205－0002",  # full-width hyphen
        "７‐００００‐１２０５‐０００２",
        "7 0000 1205 0002",
        "7　0000　1205　0002",  # ideographic space
        " 7000012050002\n",
    ],
)
def test_full_width_digits_hyphens_and_spaces_are_normalised_and_accepted(written):
    assert normalise_corporate_number(written) == NTA
    assert is_valid_corporate_number(written)
    assert validate_corporate_number(written) == NTA


@pytest.mark.parametrize("wrong", ["6000012050002", "8000012050002", "7000012050003", "0000012050002"])
def test_a_wrong_check_digit_is_refused(wrong):
    assert not is_valid_corporate_number(wrong)
    with pytest.raises(ValidationError) as caught:
        validate_corporate_number(wrong)
    assert caught.value.code == "corporate_number_check_digit"


def test_every_other_check_digit_is_refused():
    valid = [d for d in "0123456789" if is_valid_corporate_number(d + NTA[1:])]
    assert valid == ["7"]


@pytest.mark.parametrize(
    "bad",
    [
        "700001205000",  # 12 digits
        "70000120500021",  # 14 digits
        "T7000012050002",  # an invoice registration number is not a corporate number
        "700001205000A",
        "7OOOO12O5OOO2",  # letter O for zero
        "",
        "   ",
        "--",
        "٧٠٠٠٠١٢٠٥٠٠٠٢",  # Arabic-Indic digits are digits, but not ours
    ],
)
def test_wrong_length_letters_and_foreign_digits_are_refused(bad):
    assert not is_valid_corporate_number(bad)
    with pytest.raises(ValidationError) as caught:
        validate_corporate_number(bad)
    assert caught.value.code == "corporate_number_length"


def test_none_is_refused_not_crashed():
    assert not is_valid_corporate_number(None)
