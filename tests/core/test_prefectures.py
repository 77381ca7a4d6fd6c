"""The 47 prefectures with their JIS X 0401 codes."""

import pytest
from django.template import Context, Template
from django.utils import translation

from core.prefectures import PREFECTURE_NAMES_JA, Prefecture, prefecture_name_ja


def test_there_are_47_with_codes_01_to_47_in_order():
    assert len(Prefecture.choices) == 47
    assert Prefecture.values == [f"{n:02d}" for n in range(1, 48)]
    assert list(PREFECTURE_NAMES_JA) == Prefecture.values


@pytest.mark.parametrize(
    ("code", "name_ja", "member"),
    [
        ("01", "北海道", Prefecture.HOKKAIDO),
        ("13", "東京都", Prefecture.TOKYO),
        ("26", "京都府", Prefecture.KYOTO),
        ("27", "大阪府", Prefecture.OSAKA),
        ("14", "神奈川県", Prefecture.KANAGAWA),
        ("47", "沖縄県", Prefecture.OKINAWA),
    ],
)
def test_codes_and_official_names(code, name_ja, member):
    assert member == code
    assert prefecture_name_ja(code) == name_ja


def test_names_end_in_to_do_fu_ken():
    suffixes = [name[-1] for name in PREFECTURE_NAMES_JA.values()]
    assert suffixes.count("都") == 1
    assert suffixes.count("道") == 1
    assert suffixes.count("府") == 2
    assert suffixes.count("県") == 43
    assert len(set(PREFECTURE_NAMES_JA.values())) == 47


def test_english_labels():
    with translation.override("en"):
        assert Prefecture("13").label == "Tokyo"
        assert Prefecture("47").label == "Okinawa"


def test_unknown_code_is_refused():
    with pytest.raises(KeyError):
        prefecture_name_ja("48")
    with pytest.raises(ValueError):
        Prefecture("00")


def test_prefecture_ja_filter():
    template = Template("[{{ code|prefecture_ja }}]")
    assert template.render(Context({"code": "13"})) == "[東京都]"
    assert template.render(Context({"code": ""})) == "[]"
