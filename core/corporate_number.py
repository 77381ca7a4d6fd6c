"""法人番号 (corporate number): 13 digits, the first a check digit (NTA spec)."""

import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

_DASHES = "-‐‑‒–—―−ー－"


def normalise_corporate_number(value: str) -> str:
    """Full-width digits become ASCII; hyphens, dashes and spaces go."""
    text = unicodedata.normalize("NFKC", value or "")
    return "".join(ch for ch in text if ch not in _DASHES and not ch.isspace())


def corporate_number_check_digit(base12: str) -> int:
    """Check digit of a 12-digit base: 9 - (Σ Pn×Qn mod 9), n counted from the
    right, Qn = 1 for odd n and 2 for even n."""
    total = sum(int(d) * (2 if n % 2 == 0 else 1) for n, d in enumerate(reversed(base12), 1))
    return 9 - total % 9


def _is_13_digits(number: str) -> bool:
    return len(number) == 13 and number.isascii() and number.isdigit()


def is_valid_corporate_number(value: str) -> bool:
    number = normalise_corporate_number(value)
    return _is_13_digits(number) and int(number[0]) == corporate_number_check_digit(number[1:])


def validate_corporate_number(value: str) -> str:
    """Raise ValidationError unless valid; return the normalised 13 digits,
    which a form's clean_corporate_number can return for storing."""
    number = normalise_corporate_number(value)
    if not _is_13_digits(number):
        raise ValidationError(
            _("Corporate number must be 13 digits."),
            code="corporate_number_length",
        )
    if not is_valid_corporate_number(number):
        raise ValidationError(
            _("Corporate number check digit is wrong."),
            code="corporate_number_check_digit",
        )
    return number
