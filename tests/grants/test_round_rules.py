"""The shared round rules (grants.rules): one home for the tier ceiling and
the theme maximum, applied by applications, decisions and awards alike."""

from types import SimpleNamespace

from grants.models import FundingRound
from grants.rules import CeilingBreach, ceiling_breaches, theme_is_full

MUNICIPAL = SimpleNamespace(ceiling_yen=2_000_000)


def a_round(basis):
    return FundingRound(ceiling_basis=basis)


def test_a_per_year_ceiling_caps_each_fiscal_year():
    per_year = a_round(FundingRound.CeilingBasis.PER_FISCAL_YEAR)
    totals = {2026: 2_000_000, 2027: 2_000_001}
    assert ceiling_breaches(per_year, MUNICIPAL, totals) == [
        CeilingBreach(2027, 2_000_001, 2_000_000)]


def test_a_per_award_ceiling_caps_the_whole_award():
    per_award = a_round(FundingRound.CeilingBasis.PER_AWARD)
    totals = {2026: 1_500_000, 2027: 1_000_000}
    assert ceiling_breaches(per_award, MUNICIPAL, totals) == [
        CeilingBreach(None, 2_500_000, 2_000_000)]
    assert ceiling_breaches(per_award, MUNICIPAL, {2026: 2_000_000}) == []


def test_no_tier_means_no_ceiling_to_check():
    assert ceiling_breaches(a_round(FundingRound.CeilingBasis.PER_AWARD), None, {2026: 10**9}) == []


def test_a_theme_is_full_at_its_maximum_and_never_without_one():
    assert theme_is_full(2, 2) and theme_is_full(2, 3)
    assert not theme_is_full(2, 1)
    assert not theme_is_full(None, 1_000)
    assert theme_is_full(0, 0)
