"""Programmes A and B of shared/DOMAIN.md with their FY2023 calls (exact
figures), plus this fiscal year's calls: A accepting applications now and B
opening soon, so `make run` shows both phases.

Idempotent: programmes are keyed by code, rounds by (programme, fiscal year),
themes by number and tiers by code. The FY2023 rounds are brought back to
the published figures on every run; this year's rounds are created once
(copied from FY2023 through grants.services) and then left alone.
"""

from datetime import datetime, time, timedelta

from django.utils import timezone

from accounts.models import User
from core.fiscal import current_fiscal_year
from core.vocab import LegalForm

from . import services
from .models import FundingRound, FundingRoundEvent, Programme, ScaleTier, Theme

DEMO_DOMAIN = "demo.kodoku.jp"
CODE_A = "npo-community"
CODE_B = "intermediary"


def _jst(year, month, day, hour, minute=0) -> datetime:
    return timezone.make_aware(datetime(year, month, day, hour, minute), services.JST)


PROGRAMMES = {
    CODE_A: {
        "name_ja": "地域における孤独・孤立対策に関するNPO等の取組モデル調査",
        "name_en": "Community model projects against loneliness and isolation by NPOs",
        "description_ja": "NPO等による日常生活の中での先駆的な早期対応・予防の取組を支援し、"
                          "その成果・ノウハウ・課題から全国に展開できる取組モデルを抽出する委託調査。",
        "description_en": "A commissioned study that funds pioneering early-response and "
                          "preventive work in everyday life and distils a replicable model.",
        "staff": ["staff", "staff-a"],
    },
    CODE_B: {
        "name_ja": "孤独・孤立対策活動基盤整備モデル調査",
        "name_en": "Capacity-building model for intermediary support organisations",
        "description_ja": "中間支援組織によるNPO等への伴走支援（非資金的支援）を通じて、"
                          "孤独・孤立対策に取り組むNPO等の活動基盤を整備する。",
        "description_en": "Intermediary support organisations accompany small and mid-size "
                          "NPOs (non-financial support) and report what works.",
        "staff": ["staff", "staff-b"],
    },
}

LEGAL_FORMS_A = [
    LegalForm.NPO, LegalForm.CERTIFIED_NPO, LegalForm.GENERAL_INC_ASSOC,
    LegalForm.GENERAL_INC_FOUND, LegalForm.PUBLIC_INT_ASSOC, LegalForm.PUBLIC_INT_FOUND,
    LegalForm.SOCIAL_WELFARE, LegalForm.VOLUNTARY, LegalForm.OTHER,
]
LEGAL_FORMS_B = [
    LegalForm.NPO, LegalForm.CERTIFIED_NPO, LegalForm.GENERAL_INC_ASSOC,
    LegalForm.GENERAL_INC_FOUND, LegalForm.PUBLIC_INT_ASSOC, LegalForm.PUBLIC_INT_FOUND,
    LegalForm.SOCIAL_WELFARE,
]

ROUNDS_2023 = {
    CODE_A: {
        "fields": {
            "fiscal_year": 2023,
            "title_ja": "令和5年度 地域における孤独・孤立対策に関するNPO等の取組モデル調査 公募",
            "title_en": "FY2023 call: community model projects by NPOs",
            "description_ja": "NPO法人、公益法人、社会福祉法人その他の非営利法人のほか、"
                              "任意団体も応募できます。",
            "description_en": "NPO corporations, public-interest and social-welfare "
                              "corporations, other non-profits and unincorporated voluntary "
                              "groups (任意団体) may apply.",
            "opens_at": _jst(2023, 4, 28, 10),
            "closes_at": _jst(2023, 5, 31, 17),
            "budget_yen": 115_000_000,
            "max_award_years": 1,
            "ceiling_basis": FundingRound.CeilingBasis.PER_FISCAL_YEAR,
            "allowed_legal_forms": [str(f) for f in LEGAL_FORMS_A],
            "consortium_allowed": False,
            "min_prefectures": 1,
        },
        "themes": [
            (1, "誰もが気軽に参加できる地域のゆるやかなつながりの場づくり",
             "Places for loose community ties anyone can join",
             "スポーツ・文化・芸術を通じた多世代交流、高齢者から子どもへの伝統行事の継承", None, None),
            (2, "自然に足が向く地域の居場所の提供",
             "Places people drift into naturally",
             "メンズシェッド、コミュニティカフェ、図書館・博物館・公園等の居場所としての活用", None, None),
            (3, "多様な主体の水平的連携を通じた地域課題の解決",
             "Solving local problems through horizontal collaboration",
             "新聞・郵便配達、コンビニエンスストア、理美容店等と連携した見守りネットワーク、"
             "寄付物品の地域内マッチング", None, None),
            (4, "地域活動を通じた社会貢献",
             "Social contribution through local activity",
             "高齢者のノウハウを生かしたまちづくり・小規模事業の支援、環境保全・農業・災害ボランティア",
             None, None),
        ],
        "tiers": [
            ("municipal", "市区町村区域想定", "Municipal area", "市区町村の区域を想定", 2_000_000, 10),
            ("school_district", "小学校区や自治会等の区域想定",
             "School district or neighbourhood association area",
             "小学校区や自治会等の区域を想定", 500_000, 20),
        ],
    },
    CODE_B: {
        "fields": {
            "fiscal_year": 2023,
            "title_ja": "令和5年度 孤独・孤立対策活動基盤整備モデル調査 公募",
            "title_en": "FY2023 call: capacity-building model for intermediary organisations",
            "description_ja": "中間支援組織（NPO等に運営支援・研修・ネットワーク形成を行う非営利法人）が対象。"
                              "コンソーシアムでの応募も可能です。一つの都道府県域を超えて活動すること。",
            "description_en": "For intermediary support organisations. Consortia may apply. "
                              "The activity must span more than one prefecture.",
            "opens_at": _jst(2023, 5, 8, 10),
            "closes_at": _jst(2023, 6, 9, 17),
            "budget_yen": 120_000_000,
            "max_award_years": 1,
            "ceiling_basis": FundingRound.CeilingBasis.PER_FISCAL_YEAR,
            "allowed_legal_forms": [str(f) for f in LEGAL_FORMS_B],
            "consortium_allowed": True,
            "min_prefectures": 2,
        },
        "themes": [
            (1, "NPO等の運営基盤の強化", "Strengthening the operating base of NPOs",
             "課題抽出・地域資源の見える化、伴走支援", 5, 7),
            (2, "DXを活用した効率的な支援", "Efficient support using DX",
             "寄付物品・サービスのマッチングシステム等", 1, 2),
            (3, "既存施策の対象となっていない領域における孤独・孤立対策",
             "Isolation measures where existing policy does not reach",
             "中高年等、既存施策の対象になりにくい人への取組", 1, 2),
            (4, "福祉を起点とした孤独・孤立対策", "Isolation measures starting from welfare",
             "福祉施設等を活用した多世代の居場所づくり、サポーター制度", 1, 2),
            (5, "まちづくりを起点とした孤独・孤立対策",
             "Isolation measures starting from community building",
             "空き家・空き店舗、公共施設等を拠点とした取組", 1, 2),
        ],
        "tiers": [
            ("organisation", "1団体あたり", "Per organisation", "", 10_000_000, 10),
        ],
    },
}


def _user(local_part: str) -> User | None:
    return User.objects.filter(email=f"{local_part}@{DEMO_DOMAIN}").first()


def _ensure_programme(code: str, spec: dict) -> Programme:
    values = {k: v for k, v in spec.items() if k != "staff"}
    programme, _created = Programme.objects.update_or_create(code=code, defaults=values)
    staff = [u for u in (_user(name) for name in spec["staff"]) if u is not None]
    programme.staff.add(*staff)
    return programme


def _theme_values(row) -> dict:
    number, title_ja, title_en, examples, lo, hi = row
    return {"number": number, "title_ja": title_ja, "title_en": title_en,
            "example_activities": examples, "min_awards": lo, "max_awards": hi}


def _tier_values(row) -> dict:
    code, name_ja, name_en, area, ceiling, order = row
    return {"code": code, "name_ja": name_ja, "name_en": name_en, "area_description": area,
            "ceiling_yen": ceiling, "sort_order": order}


def _ensure_fy2023_round(programme, spec, categories, by) -> FundingRound:
    fields = spec["fields"]
    funding_round = (
        FundingRound.objects.filter(programme=programme, fiscal_year=fields["fiscal_year"])
        .order_by("id").first()
    )
    if funding_round is None:
        funding_round = services.create_round(
            programme=programme, by=by, expense_categories=categories, **fields
        )
        # A past call: its history starts as a decided round.
        FundingRoundEvent.objects.create(
            funding_round=funding_round, actor=by, action=FundingRoundEvent.Action.STATUS,
            from_status=FundingRound.Status.DRAFT, to_status=FundingRound.Status.DECIDED,
            reason="デモデータ: 令和5年度の公募（審査・採択済み）",
        )
    FundingRound.objects.filter(pk=funding_round.pk).update(
        status=FundingRound.Status.DECIDED, **fields
    )
    funding_round.expense_categories.set(categories)
    for row in spec["themes"]:
        values = _theme_values(row)
        Theme.objects.update_or_create(
            funding_round=funding_round, number=values.pop("number"), defaults=values
        )
    for row in spec["tiers"]:
        values = _tier_values(row)
        ScaleTier.objects.update_or_create(
            funding_round=funding_round, code=values.pop("code"), defaults=values
        )
    funding_round.refresh_from_db()
    return funding_round


def _today_at(days: int, hour: int) -> datetime:
    day = timezone.localdate() + timedelta(days=days)
    return timezone.make_aware(datetime.combine(day, time(hour)), services.JST)


def _ensure_current_round(source, *, opens_in_days, closes_in_days, by) -> FundingRound | None:
    """This year's call, copied from FY2023 and opened through the services."""
    year = current_fiscal_year()
    if year <= source.fiscal_year:
        return None
    existing = FundingRound.objects.filter(programme=source.programme, fiscal_year=year).first()
    if existing is not None:
        return existing
    funding_round = services.copy_round(source=source, by=by, fiscal_year=year)
    services.update_round(
        funding_round=funding_round, by=by,
        opens_at=_today_at(opens_in_days, 10), closes_at=_today_at(closes_in_days, 17),
        max_award_years=2,
    )
    return services.open_round(funding_round=funding_round, by=by)


def load(out) -> list[tuple[str, str, str]]:
    """Programmes A and B, their FY2023 rounds and this year's rounds."""
    categories = services.ensure_default_expense_categories()
    by = _user("staff")
    rounds = []
    for code, spec in PROGRAMMES.items():
        programme = _ensure_programme(code, spec)
        past = _ensure_fy2023_round(programme, ROUNDS_2023[code], categories, by)
        rounds.append(past)
        # A accepts applications now (until six weeks ahead, 17:00 JST);
        # B opens in two weeks, so the home page shows both phases.
        window = (-7, 42) if code == CODE_A else (14, 56)
        current = _ensure_current_round(
            past, opens_in_days=window[0], closes_in_days=window[1], by=by
        )
        if current is not None:
            rounds.append(current)
    out.write(f"grants: {len(PROGRAMMES)} programmes, {len(rounds)} funding rounds")
    return []
