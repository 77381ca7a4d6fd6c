"""Demo findings on the demo reports, so the findings library, the dashboard
and the model report have content. Called by reporting/demo.py after the
demo awards and reports exist.

Idempotent: a finding is keyed by (programme, statement) and made once,
through reporting.findings.services, with quotes taken from the reports
(a quote no longer in a report is skipped, with a line on `out`).
"""

from accounts.models import User
from core.errors import DomainError
from grants.models import Programme, TargetGroup

from ..models import FeatureTag, ProgressReport
from .models import Finding
from .services import create_finding

DEMO_DOMAIN = "demo.kodoku.jp"
CODE_A = "npo-community"

FINDINGS = [
    {
        "kind": Finding.Kind.OUTCOME, "per_award": True,
        "statement": "常連の参加者同士の声かけが、欠席者の安否確認という自然な見守りにつながった。",
        "quotes": [("outcomes", "欠席者の安否確認につながった")],
        "features": ["community_ties"], "indicators": True,
    },
    {
        "kind": Finding.Kind.KNOW_HOW,
        "statement": "予約不要・出入り自由にすると、初めての人も居場所に立ち寄りやすい。",
        "quotes": [("know_how", "予約不要・出入り自由にすると")],
        "features": ["loose_participation"],
    },
    {
        "kind": Finding.Kind.OUTCOME,
        "statement": "配膳などの役割を任せることで、口数の少なかった参加者が場の担い手になった。",
        "quotes": [("episodes", "配膳を手伝うようになった")],
        "features": ["role_creation"],
    },
    {
        "kind": Finding.Kind.PROBLEM,
        "statement": "男性や働く世代の参加が少なく、平日昼の開催だけでは届かない層がある。",
        "quotes": [("problems", "男性や働く世代の参加が少ない")],
        "groups": ["middle_aged_men"],
    },
    {
        "kind": Finding.Kind.RECOMMENDATION,
        "statement": "夜間や週末の回を設け、働く世代が参加できる時間帯を試す。",
        "quotes": [("problems", "夜間の回を試行する")],
    },
]


def _annual_reports(programme):
    return (
        ProgressReport.objects.filter(
            award__funding_round__programme=programme, kind=ProgressReport.Kind.ANNUAL,
            status__in=ProgressReport.HANDED_IN,
        )
        .select_related("award", "award__theme")
        .order_by("award__award_number", "fiscal_year")
    )


def _evidence(reports, spec) -> list[dict]:
    items = []
    for report in reports:
        for field, quote in spec["quotes"]:
            if quote in getattr(report, field):
                items.append({"report": report, "field": field, "quote": quote})
        if spec.get("indicators"):
            items += [{"indicator_actual": row}
                      for row in report.indicator_actuals.filter(actual__isnull=False)]
    return items


def _make(programme, spec, reports, *, staff, out, award=None) -> bool:
    statement = spec["statement"]
    if Finding.objects.filter(programme=programme, statement=statement,
                              award=award).exists():
        return False
    evidence = _evidence(reports, spec)
    if not evidence:
        return False
    sources = [item.get("report") or item["indicator_actual"].report for item in evidence]
    prefectures = sorted({c for report in sources for c in report.award.prefectures or []})
    data = {
        "kind": spec["kind"], "statement": statement, "fiscal_year": sources[0].fiscal_year,
        "award": award, "prefectures": prefectures,
        "feature_tags": list(FeatureTag.objects.filter(code__in=spec.get("features", []))),
        "target_groups": list(TargetGroup.objects.filter(code__in=spec.get("groups", []))),
    }
    if award is None and len({r.award.theme_id for r in reports}) == 1:
        data["theme"] = reports[0].award.theme
    try:
        create_finding(programme=programme, data=data, evidence=evidence, by=staff)
    except DomainError as error:
        out.write(f"reporting: demo finding skipped ({statement[:20]}…): {error}")
        return False
    return True


def load(out) -> list[tuple[str, str, str]]:
    """Findings on the handed-in annual reports of programme A."""
    programme = Programme.objects.filter(code=CODE_A).first()
    staff = User.objects.filter(email=f"staff@{DEMO_DOMAIN}").first()
    if programme is None:
        return []
    reports = list(_annual_reports(programme))
    made = 0
    for spec in FINDINGS:
        if spec.get("per_award"):
            for award in {r.award for r in reports}:
                own = [r for r in reports if r.award_id == award.pk]
                made += _make(programme, spec, own, staff=staff, out=out, award=award)
        else:
            made += _make(programme, spec, reports, staff=staff, out=out)
    out.write(f"reporting: {made} demo findings")
    return []
