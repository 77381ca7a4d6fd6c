"""Demo users for every role and a handful of applicant organisations.

Idempotent: users are keyed by e-mail and organisations by name, so running
`python manage.py load_demo` again changes nothing. Every demo login shares
one password, DEMO_PASSWORD (local use only).
"""

from django.utils import timezone

from accounts.models import Membership, Organisation, Role, User
from core.vocab import LegalForm

DEMO_PASSWORD = "demo-pass-2023"  # noqa: S105 - demo data, printed on purpose
DOMAIN = "demo.kodoku.jp"

# (local part, full name, role, label printed with the login)
USERS = [
    ("admin", "管理 太郎", Role.PROGRAMME_STAFF, "superuser (Django admin, all programmes)"),
    ("staff", "内閣府 担当者", Role.PROGRAMME_STAFF, "programme staff: programmes A and B"),
    ("staff-a", "地域モデル 担当者", Role.PROGRAMME_STAFF, "programme staff: programme A only"),
    ("staff-b", "基盤整備 担当者", Role.PROGRAMME_STAFF, "programme staff: programme B only"),
    ("oversight", "内閣府 閲覧者", Role.OVERSIGHT, "oversight viewer (read-only)"),
    ("reviewer1", "審査 一郎", Role.REVIEWER, "reviewer"),
    ("reviewer2", "審査 二葉", Role.REVIEWER, "reviewer"),
    ("reviewer3", "審査 三郎", Role.REVIEWER, "reviewer"),
    ("applicant1", "申請 花子", Role.APPLICANT, "applicant: NPO法人 (Tokyo), 社会福祉法人 (Fukuoka)"),
    ("applicant2", "申請 次郎", Role.APPLICANT, "applicant: 任意団体 (Nagano), 一般社団法人 (Osaka)"),
]

# Corporate numbers are made up but carry a valid check digit.
ORGANISATIONS = [
    {
        "name": "特定非営利活動法人 つながりの木",
        "name_kana": "トクテイヒエイリカツドウホウジン ツナガリノキ",
        "legal_form": LegalForm.NPO,
        "corporate_number": "1011105000123",
        "representative_name": "木村 陽子",
        "representative_title": "理事長",
        "postal_code": "160-0022",
        "prefecture": "13",
        "municipality": "新宿区",
        "address": "新宿1-2-3",
        "contact_email": "info@tsunagari-no-ki.example.jp",
        "owner": "applicant1",
    },
    {
        "name": "まちの縁側クラブ",
        "name_kana": "マチノエンガワクラブ",
        "legal_form": LegalForm.VOLUNTARY,
        "corporate_number": "",
        "representative_name": "松本 清",
        "representative_title": "代表",
        "postal_code": "390-0811",
        "prefecture": "20",
        "municipality": "松本市",
        "address": "中央2-4-6",
        "contact_email": "engawa@example.jp",
        "owner": "applicant2",
    },
    {
        "name": "一般社団法人 関西つながり支援センター",
        "name_kana": "イッパンシャダンホウジン カンサイツナガリシエンセンター",
        "legal_form": LegalForm.GENERAL_INC_ASSOC,
        "corporate_number": "1012705000891",
        "representative_name": "大西 誠",
        "representative_title": "代表理事",
        "postal_code": "530-0001",
        "prefecture": "27",
        "municipality": "大阪市北区",
        "address": "梅田3-1-1",
        "contact_email": "office@kansai-tsunagari.example.jp",
        "owner": "applicant2",
    },
    {
        "name": "社会福祉法人 博多ひだまり会",
        "name_kana": "シャカイフクシホウジン ハカタヒダマリカイ",
        "legal_form": LegalForm.SOCIAL_WELFARE,
        "corporate_number": "9019005000234",
        "representative_name": "福田 恵",
        "representative_title": "理事長",
        "postal_code": "812-0011",
        "prefecture": "40",
        "municipality": "福岡市博多区",
        "address": "博多駅前4-5-6",
        "contact_email": "hidamari@example.jp",
        "owner": "applicant1",
    },
]


def demo_email(local_part: str) -> str:
    return f"{local_part}@{DOMAIN}"


def _ensure_user(local_part: str, full_name: str, role: str) -> User:
    is_admin = local_part == "admin"
    user, created = User.objects.get_or_create(
        email=demo_email(local_part),
        defaults={
            "full_name": full_name,
            "role": role,
            "is_staff": is_admin,
            "is_superuser": is_admin,
            "email_verified_at": timezone.now(),
        },
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    return user


def load(out) -> list[tuple[str, str, str]]:
    """Create the demo users and organisations; return their logins."""
    users = {local: _ensure_user(local, name, role) for local, name, role, _label in USERS}
    for data in ORGANISATIONS:
        values = dict(data)
        owner = users[values.pop("owner")]
        organisation, _created = Organisation.objects.update_or_create(
            name=values.pop("name"), defaults=values
        )
        Membership.objects.get_or_create(
            organisation=organisation, user=owner, defaults={"role": Membership.Role.OWNER}
        )
    out.write(f"accounts: {len(users)} demo users, {len(ORGANISATIONS)} organisations")
    return [(demo_email(local), DEMO_PASSWORD, label) for local, _n, _r, label in USERS]
