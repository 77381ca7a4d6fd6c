"""Demo applications in both programmes: drafts and submitted ones.

Runs after accounts.demo and grants.demo (INSTALLED_APPS order) and uses
their organisations (by corporate number, or by name for the 任意団体) and
rounds (by programme code and fiscal year). Organisations missing because
accounts.demo did not run are created here. Idempotent: applications are
keyed by (round, organisation, title); content is written once and a
submission is made only while the application is still a draft.
"""

from datetime import timedelta

from django.utils import timezone

from accounts.models import Membership, Organisation, User
from core.fiscal import current_fiscal_year
from core.vocab import LegalForm
from grants.models import ExpenseCategory, FundingRound, TargetGroup

from . import services
from .models import Application
from .rules import application_problems

DEMO_DOMAIN = "demo.kodoku.jp"
CODE_A = "npo-community"
CODE_B = "intermediary"

ORGANISATIONS = {
    "tsunagari": {
        "name": "特定非営利活動法人 つながりの木", "legal_form": LegalForm.NPO,
        "corporate_number": "1011105000123", "prefecture": "13", "municipality": "新宿区",
        "representative_name": "木村 陽子", "contact_email": "info@tsunagari-no-ki.example.jp",
        "owner": "applicant1",
    },
    "engawa": {
        "name": "まちの縁側クラブ", "legal_form": LegalForm.VOLUNTARY, "corporate_number": "",
        "prefecture": "20", "municipality": "松本市", "representative_name": "松本 清",
        "contact_email": "engawa@example.jp", "owner": "applicant2",
    },
    "kansai": {
        "name": "一般社団法人 関西つながり支援センター", "legal_form": LegalForm.GENERAL_INC_ASSOC,
        "corporate_number": "1012705000891", "prefecture": "27", "municipality": "大阪市北区",
        "representative_name": "大西 誠", "contact_email": "office@kansai-tsunagari.example.jp",
        "owner": "applicant2",
    },
}

COMMON = {
    "summary": "地域の誰もが気軽に立ち寄れる居場所を週3回開き、見守りと交流を組み合わせる。",
    "background": "一人暮らしの高齢者や子育て中の親が増え、地域で孤立しやすい人が増えている。",
    "planned_activities": "地域食堂（週1回）、見守り訪問、多世代交流イベント（月1回）。",
    "sustainability": "事業終了後は会費・寄付と自治体の協働事業で継続する。",
}

# (key, programme, fiscal year or None for this year, org, title, submit?, content)
APPLICATIONS = [
    ("a-submitted", CODE_A, None, "tsunagari", "新宿・まちの縁側食堂プロジェクト", True, {
        "tier": "municipal", "theme": 2, "groups": ["older_alone", "parents_young_children"],
        "prefectures": ["13"], "municipalities": "新宿区",
        "lines": [(0, "personnel", 900_000, "コーディネーター人件費"),
                  (0, "consumables", 300_000, "食材・消耗品"),
                  (1, "personnel", 900_000, "コーディネーター人件費")],
        "indicators": [("居場所の延べ参加者数", "人", 0, 800), ("見守り訪問件数", "件", 0, 120)],
    }),
    ("a-draft", CODE_A, None, "engawa", "松本・縁側でつながる多世代の場", False, {
        "tier": "school_district", "theme": 1, "groups": ["multi_generation"],
        "prefectures": ["20"], "municipalities": "松本市",
        "lines": [(0, "honoraria", 200_000, "講師謝金"), (0, "meetings", 150_000, "会場費")],
        "indicators": [],
    }),
    ("b-submitted", CODE_B, 2023, "kansai", "関西広域NPO伴走支援ネットワーク", True, {
        "tier": "organisation", "theme": 1, "groups": ["children_youth", "middle_aged"],
        "prefectures": ["26", "27", "28"], "municipalities": "",
        "lines": [(0, "personnel", 6_000_000, "伴走支援員"), (0, "travel", 1_500_000, "訪問旅費"),
                  (0, "meetings", 800_000, "研修会")],
        "indicators": [("伴走支援したNPO数", "団体", 0, 30)],
        "members": [("特定非営利活動法人 つながりの木", LegalForm.NPO, "1011105000123", "東京拠点")],
    }),
    ("b-draft", CODE_B, None, "kansai", "中間支援によるDXマッチング基盤づくり", False, {
        "tier": "organisation", "theme": 2, "groups": [], "prefectures": [],
        "municipalities": "", "lines": [], "indicators": [],
    }),
]


def _user(local_part: str) -> User | None:
    return User.objects.filter(email=f"{local_part}@{DEMO_DOMAIN}").first()


def _organisation(spec: dict) -> Organisation:
    values = {k: v for k, v in spec.items() if k != "owner"}
    if values["corporate_number"]:
        found = Organisation.objects.filter(corporate_number=values["corporate_number"]).first()
    else:
        found = Organisation.objects.filter(name=values["name"]).first()
    organisation = found or Organisation.objects.create(**values)
    owner = _user(spec["owner"]) or User.objects.create_user(
        email=f'{spec["owner"]}@{DEMO_DOMAIN}', password=None, full_name=spec["owner"]
    )
    Membership.objects.get_or_create(
        organisation=organisation, user=owner, defaults={"role": Membership.Role.OWNER}
    )
    return organisation


def _content(funding_round, spec: dict, title: str) -> dict:
    categories = dict(ExpenseCategory.objects.values_list("code", "pk"))
    first = funding_round.fiscal_year
    return {
        **COMMON,
        "title": title,
        "theme_id": funding_round.themes.filter(number=spec["theme"]).values_list("pk", flat=True).first(),
        "tier_id": funding_round.tiers.filter(code=spec["tier"]).values_list("pk", flat=True).first(),
        "target_group_ids": list(
            TargetGroup.objects.filter(code__in=spec["groups"]).values_list("pk", flat=True)
        ),
        "prefectures": spec["prefectures"],
        "municipalities": spec["municipalities"],
        "budget_lines": [
            {"fiscal_year": first + offset, "expense_category_id": categories[code],
             "amount_yen": amount, "description": text}
            for offset, code, amount, text in spec["lines"]
            if first + offset in funding_round.fiscal_years
        ],
        "indicators": [
            {"name": name, "unit": unit, "fiscal_year": first + offset, "target": target}
            for name, unit, offset, target in spec["indicators"]
        ],
        "is_consortium": bool(spec.get("members")),
        "consortium_members": [
            {"name": name, "legal_form": form, "corporate_number": number, "role": role}
            for name, form, number, role in spec.get("members", [])
        ],
    }


def _round(code: str, year: int | None) -> FundingRound | None:
    return (
        FundingRound.objects.filter(programme__code=code, fiscal_year=year or current_fiscal_year())
        .order_by("id").first()
    )


def _submit(application: Application, by) -> None:
    if application.funding_round.is_accepting():
        services.submit_application(application=application, by=by)
        return
    # NOTE: a past round (FY2023) no longer accepts; its demo submission is
    # frozen as if made two days before the deadline.
    if application_problems(application):
        return
    at = application.funding_round.closes_at - timedelta(days=2)
    services._freeze(Application.objects.get(pk=application.pk), by=by, at=at)


def load(out) -> list[tuple[str, str, str]]:
    """Drafts and submitted applications in programmes A and B."""
    organisations = {key: _organisation(spec) for key, spec in ORGANISATIONS.items()}
    made = 0
    for _key, code, year, org_key, title, submit, spec in APPLICATIONS:
        funding_round = _round(code, year)
        if funding_round is None:
            continue
        organisation = organisations[org_key]
        owner = organisation.memberships.order_by("id").first().user
        application, created = Application.objects.get_or_create(
            funding_round=funding_round, organisation=organisation, title=title,
            defaults={"created_by": owner},
        )
        if created:
            services.save_draft(application=application, by=owner,
                                lock_version=application.lock_version,
                                content=_content(funding_round, spec, title))
        application.refresh_from_db()
        if submit and application.status == Application.Status.DRAFT:
            _submit(application, owner)
        made += 1
    out.write(f"applications: {made} demo applications ({timezone.localdate():%Y-%m-%d})")
    return []
