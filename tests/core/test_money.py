"""Integer yen: display in both languages and splitting that never loses a yen."""

import random

import pytest
from django.template import Context, Template
from django.utils import translation

from core.money import format_man_yen, format_yen, percent_of, split_yen


@pytest.mark.parametrize(
    ("amount", "expected"),
    [(2_000_000, "¥2,000,000"), (500_000, "¥500,000"), (0, "¥0"), (999, "¥999"), (1000, "¥1,000")],
)
def test_format_yen_in_english(amount, expected):
    with translation.override("en"):
        assert format_yen(amount) == expected


@pytest.mark.parametrize(
    ("amount", "expected"),
    [(2_000_000, "2,000,000円"), (115_000_000, "115,000,000円"), (0, "0円")],
)
def test_format_yen_in_japanese_comes_from_the_catalog(amount, expected):
    with translation.override("ja"):
        assert format_yen(amount) == expected


def test_format_yen_of_nothing_is_empty():
    assert format_yen(None) == ""
    assert format_man_yen(None) == ""


@pytest.mark.parametrize(
    ("amount", "expected"),
    [
        (2_000_000, "200万円"),
        (500_000, "50万円"),
        (10_000_000, "1,000万円"),
        (1_234_567, "123万4,567円"),
        (0, "0円"),
        (9_999, "9,999円"),
        (10_000, "1万円"),
        (10_001, "1万1円"),
        (115_000_000, "1億1,500万円"),
        (100_000_000, "1億円"),
        (100_000_005, "1億5円"),
        (-2_000_000, "-200万円"),
    ],
)
def test_format_man_yen(amount, expected):
    assert format_man_yen(amount) == expected


def test_man_yen_is_the_same_in_both_languages():
    with translation.override("en"):
        assert format_man_yen(2_000_000) == "200万円"


def test_template_filters_are_builtins():
    template = Template("{{ amount|yen }} / {{ amount|man_yen }}")
    with translation.override("ja"):
        assert template.render(Context({"amount": 2_000_000})) == "2,000,000円 / 200万円"
    with translation.override("en"):
        assert template.render(Context({"amount": 2_000_000})) == "¥2,000,000 / 200万円"


@pytest.mark.parametrize(
    ("total", "weights", "expected"),
    [
        (100, [1, 1, 1], [34, 33, 33]),  # ties go to the earlier part
        (10_000_000, [1, 1, 1], [3_333_334, 3_333_333, 3_333_333]),
        (10, [1, 2], [3, 7]),  # 3.33 and 6.67: the larger remainder wins the yen
        (5, [0, 1, 0], [0, 5, 0]),
        (7, [3, 0, 4], [3, 0, 4]),
        (0, [1, 2, 3], [0, 0, 0]),
        (1, [1, 1, 1, 1], [1, 0, 0, 0]),
        (2, [1, 1, 1, 1], [1, 1, 0, 0]),
        (11, [12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12], [1] * 11 + [0]),
    ],
)
def test_split_yen_follows_the_largest_remainder_rule(total, weights, expected):
    assert split_yen(total, weights) == expected


def test_split_yen_parts_always_add_up_and_stay_within_one_yen_of_the_exact_share():
    rng = random.Random(20230401)
    for _ in range(2000):
        total = rng.choice([0, 1, 7, 999, 10_000, 2_000_000, rng.randrange(0, 10**12)])
        weights = [rng.choice([0, 1, 2, 3, 12, 365, rng.randrange(0, 10**6)])
                   for _ in range(rng.randrange(1, 8))]
        if sum(weights) == 0:
            weights[0] = 1
        parts = split_yen(total, weights)
        assert sum(parts) == total
        assert len(parts) == len(weights)
        weight_sum = sum(weights)
        for part, weight in zip(parts, weights, strict=True):
            assert isinstance(part, int)
            assert part >= 0
            # floor(exact share) <= part <= floor(exact share) + 1
            assert total * weight // weight_sum <= part <= total * weight // weight_sum + 1
            if weight == 0:
                assert part == 0


def test_split_yen_of_equal_weights_differs_by_at_most_one_yen():
    for total in range(0, 200):
        for n in range(1, 13):
            parts = split_yen(total, [1] * n)
            assert sum(parts) == total
            assert max(parts) - min(parts) <= 1
            assert parts == sorted(parts, reverse=True)  # earlier parts win ties


@pytest.mark.parametrize(
    ("total", "weights"),
    [(-1, [1]), (100, []), (100, [0, 0]), (100, [1, -1]), (100, [2, -1])],
)
def test_split_yen_refuses_impossible_input(total, weights):
    with pytest.raises(ValueError):
        split_yen(total, weights)


@pytest.mark.parametrize(
    ("amount", "percent", "expected"),
    [(2_000_000, 10, 200_000), (999, 50, 499), (1, 99, 0), (0, 50, 0), (1234, 100, 1234)],
)
def test_percent_of_rounds_down_to_whole_yen(amount, percent, expected):
    assert percent_of(amount, percent) == expected


@pytest.mark.parametrize(("total", "weights"), [(100.0, [1, 1]), (100, [0.5, 0.5])])
def test_split_yen_refuses_float(total, weights):
    with pytest.raises(TypeError):
        split_yen(total, weights)
