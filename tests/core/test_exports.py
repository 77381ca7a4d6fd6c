"""core.exports.neutralise: the formula-injection guard of every spreadsheet export."""

import pytest

from core.exports import neutralise


@pytest.mark.parametrize("value", ["=1+1", "+SUM(A1)", "-2+3", "@cmd", "\tx", "\rx"])
def test_neutralise_formula_starts(value):
    assert neutralise(value) == "'" + value


def test_neutralise_leaves_plain_values():
    assert neutralise("居場所") == "居場所"
    assert neutralise(1500000) == 1500000
    assert neutralise("") == ""
