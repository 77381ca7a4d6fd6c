"""地方公共団体コード (local government code, JIS X 0402 with the check digit
of 総務省): 6 digits; the first two are the prefecture (JIS X 0401, 01–47),
the next three the body (000 for the prefecture itself), the last a check
digit: 11 − (Σ digit × weight mod 11), weights 6, 5, 4, 3, 2, keeping only
the ones digit (a result of 10 gives 0, 11 gives 1).
Examples: 130001 東京都, 131016 千代田区, 011002 札幌市, 271004 大阪市."""

import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

_WEIGHTS = (6, 5, 4, 3, 2)
_DASHES = "-‐‑‒–—―−ー－"


def normalise_local_government_code(value: str) -> str:
    """Full-width digits become ASCII; hyphens and spaces go."""
    text = unicodedata.normalize("NFKC", value or "")
    return "".join(ch for ch in text if ch not in _DASHES and not ch.isspace())


def local_government_check_digit(base5: str) -> int:
    total = sum(int(d) * w for d, w in zip(base5, _WEIGHTS, strict=True))
    return (11 - total % 11) % 10


def is_valid_local_government_code(value: str) -> bool:
    code = normalise_local_government_code(value)
    return (
        len(code) == 6 and code.isascii() and code.isdigit()
        and 1 <= int(code[:2]) <= 47
        and int(code[5]) == local_government_check_digit(code[:5])
    )


def validate_local_government_code(value: str) -> str:
    """Raise ValidationError unless valid; return the normalised 6 digits."""
    code = normalise_local_government_code(value)
    if not (len(code) == 6 and code.isascii() and code.isdigit()):
        raise ValidationError(_("A local government code is 6 digits."),
                              code="local_government_code_length")
    if not 1 <= int(code[:2]) <= 47:
        raise ValidationError(_("A local government code starts with a prefecture code 01–47."),
                              code="local_government_code_prefecture")
    if not is_valid_local_government_code(code):
        raise ValidationError(_("The check digit of the local government code is wrong."),
                              code="local_government_code_check_digit")
    return code
