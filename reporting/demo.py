"""Demo awards and progress reports.

Runs last (INSTALLED_APPS order). Every application already awarded (by the
review decisions) becomes an award. So that the pages show a whole
multi-year life even before any decision exists, two awards are made from a
two-year call two fiscal years back (FY2024 in 2026), based on the demo
organisations' submitted applications:

- つながりの木 (municipal tier): FY1 paid, reported and settled; continued;
  FY2 annual report revised and resubmitted, waiting for staff; the final
  report begun as a draft and not submitted, its deadline passed (overdue).
- まちの縁側クラブ (school-district tier): FY1 settled with an over-paid
  advance refunded; not continued (stop) and completed.

Last, demo_timeline dates the whole history over the past months.

Idempotent: the round is keyed by (programme, fiscal year), applications by
(round, organisation, title), awards by application; every step runs only
from the state before it.
"""

from datetime import date

from accounts.models import Organisation, User
from applications.models import Application, BudgetLine, Indicator
from applications.services import set_application_status
from awards import services as award_services
from awards.models import Award, AwardYear, Payment
from core.errors import DomainError
from core.fiscal import current_fiscal_year, fiscal_year_bounds
from grants import services as round_services
from grants.models import ExpenseCategory, FundingRound, FundingRoundEvent, TargetGroup

from . import demo_timeline, services
from .findings import demo as findings_demo
from .models import ProgressReport

DEMO_DOMAIN = "demo.kodoku.jp"
CODE_A = "npo-community"

AWARDS = [
    {
        "key": "tsunagari", "corporate_number": "1011105000123", "tier": "municipal", "theme": 2,
        "title": "新宿・まちの縁側食堂プロジェクト（複数年度）", "prefectures": ["13"],
        "groups": ["older_alone", "parents_young_children"],
        "budget": {"personnel": 900_000, "consumables": 300_000, "honoraria": 200_000},
        "indicators": [("居場所の延べ参加者数", "人", 800), ("見守り訪問件数", "件", 120)],
        "continue": True,
    },
    {
        "key": "engawa", "name": "まちの縁側クラブ", "tier": "school_district", "theme": 1,
        "title": "松本・縁側でつながる多世代の場（複数年度）", "prefectures": ["20"],
        "groups": ["multi_generation"],
        "budget": {"honoraria": 250_000, "meetings": 150_000, "consumables": 50_000},
        "indicators": [("多世代交流会の延べ参加者数", "人", 300)],
        "continue": False,
    },
]


def _user(local_part: str) -> User | None:
    return User.objects.filter(email=f"{local_part}@{DEMO_DOMAIN}").first()


def _past_round(by) -> FundingRound | None:
    """A decided two-year call of programme A, two fiscal years back."""
    year = current_fiscal_year() - 2
    existing = FundingRound.objects.filter(programme__code=CODE_A, fiscal_year=year).first()
    if existing is not None:
        return existing if existing.max_award_years >= 2 else None
    source = FundingRound.objects.filter(programme__code=CODE_A).order_by("fiscal_year").first()
    if source is None or source.fiscal_year >= year:
        return None
    funding_round = round_services.copy_round(source=source, by=by, fiscal_year=year)
    FundingRound.objects.filter(pk=funding_round.pk).update(
        status=FundingRound.Status.DECIDED, max_award_years=2,
        title_ja=f"令和{year - 2018}年度 地域における孤独・孤立対策に関するNPO等の取組モデル調査 公募"
                 "（複数年度）",
        title_en=f"FY{year} call: community model projects by NPOs (two years)",
    )
    FundingRoundEvent.objects.create(
        funding_round=funding_round, actor=by, action=FundingRoundEvent.Action.STATUS,
        from_status=FundingRound.Status.DRAFT, to_status=FundingRound.Status.DECIDED,
        reason="デモデータ: 複数年度の公募（審査・採択済み）",
    )
    funding_round.refresh_from_db()
    return funding_round


def _organisation(spec) -> Organisation | None:
    if spec.get("corporate_number"):
        return Organisation.objects.filter(corporate_number=spec["corporate_number"]).first()
    return Organisation.objects.filter(name=spec["name"]).first()


def _awarded_application(funding_round, organisation, spec) -> Application:
    """A demo application of the past call, moved to awarded through the
    application service (each move leaves an event)."""
    application, created = Application.objects.get_or_create(
        funding_round=funding_round, organisation=organisation, title=spec["title"],
        defaults={
            "theme": funding_round.themes.filter(number=spec["theme"]).first(),
            "tier": funding_round.tiers.filter(code=spec["tier"]).first(),
            "summary": "地域の誰もが気軽に立ち寄れる居場所を開き、見守りと交流を組み合わせる。",
            "prefectures": spec["prefectures"],
        },
    )
    if created:
        categories = dict(ExpenseCategory.objects.values_list("code", "pk"))
        total = 0
        for year in funding_round.fiscal_years:
            for code, amount in spec["budget"].items():
                BudgetLine.objects.create(application=application, fiscal_year=year,
                                          expense_category_id=categories[code],
                                          amount_yen=amount)
                total += amount
            for name, unit, target in spec["indicators"]:
                Indicator.objects.create(application=application, name=name, unit=unit,
                                         fiscal_year=year, target=target)
        application.target_groups.set(TargetGroup.objects.filter(code__in=spec["groups"]))
        Application.objects.filter(pk=application.pk).update(requested_yen=total)
    path = [Application.Status.SUBMITTED, Application.Status.UNDER_REVIEW,
            Application.Status.AWARDED]
    for status in path:
        application.refresh_from_db()
        if status in Application.TRANSITIONS.get(application.status, ()):
            set_application_status(application=application, to=status, by=None,
                                   reason="デモデータ")
    application.refresh_from_db()
    return application


def _content(spec, fy: int, kind: str, budget: dict) -> dict:
    groups = spec["groups"]
    share = 0.5 if kind == "interim" else 1
    data = {
        "summary": f"{fy}年度は居場所を定期的に開き、地域の見守りと交流を続けた。",
        "outcomes": "常連の参加者同士で声をかけ合う関係が生まれ、欠席者の安否確認につながった。",
        "know_how": "予約不要・出入り自由にすると、初めての人も立ち寄りやすい。",
        "problems": "男性や働く世代の参加が少ない。会場費の確保が課題。",
        "episodes": "最初は一言も話さなかった参加者が、半年後には配膳を手伝うようになった。",
        "voices": "ここに来ると誰かと話せるのがうれしい。\n家の外に行く場所ができた。",
        "sustainability_plan": "会費と地域の寄付、自治体の協働事業で継続する。",
        "feature_tags": ["loose_participation", "community_ties"]
        + (["multi_generation"] if "multi_generation" in groups else ["role_creation"]),
        "activities": [
            {"name": "居場所（地域食堂）", "sessions_held": int(48 * share),
             "participants_total": int(798 * share),
             "participants_by_group": {groups[0]: int(300 * share)}},
            {"name": "見守り訪問", "sessions_held": int(20 * share),
             "participants_total": int(16 * share) or 1},
        ],
    }
    if kind != "final":
        data["expense_actuals"] = [
            {"expense_category": code, "actual_yen": int(amount * share * 0.95)}
            for code, amount in budget.items()
        ]
    return data


def _report(award, kind, fy, spec, *, org_user, staff, accept=True, revise=False):
    deadline = award.deadlines.filter(kind=kind, fiscal_year=fy).first()
    if deadline is None:
        return None
    report = services.start_report(deadline=deadline, by=org_user)
    if report.status == ProgressReport.Status.DRAFT and not report.versions.exists():
        budget = dict(AwardYear.objects.get(pk=deadline.award_year_id).budget_lines
                      .values_list("expense_category__code", "approved_yen"))
        report = services.save_report_draft(report=report, data=_content(spec, fy, kind, budget),
                                            lock_version=report.lock_version, by=org_user)
        report = services.submit_report(report=report, by=org_user)
    if report.status == ProgressReport.Status.SUBMITTED and revise and report.versions.count() == 1:
        report = services.request_report_revision(
            report=report, by=staff, comment="活動ごとの参加者の内訳（対象別）を追記してください。")
    if report.status == ProgressReport.Status.REVISION_REQUESTED:
        report = services.save_report_draft(
            report=report, data={"problems": "男性や働く世代の参加が少ない。夜間の回を試行する。"},
            lock_version=report.lock_version, by=org_user)
        report = services.submit_report(report=report, by=org_user)
    if accept and report.status == ProgressReport.Status.SUBMITTED:
        report = services.accept_report(report=report, by=staff)
    return report


def _overdue_draft(award, fy: int, *, org_user) -> None:
    """The final report begun but not submitted, its deadline passed: the
    overdue flags show on the award list, 'my awards' and the report form."""
    deadline = award.deadlines.filter(kind="final", fiscal_year=fy).first()
    if deadline is None or getattr(deadline, "report", None) is not None:
        return
    report = services.start_report(deadline=deadline, by=org_user)
    services.save_report_draft(report=report, lock_version=report.lock_version, by=org_user, data={
        "summary": f"{fy}年度で2年間の事業を終えた。最終報告は取りまとめ中。",
        "problems": "参加者アンケートの集計が遅れている。",
    })


def _pay(year, kind, amount, paid_on, staff) -> None:
    if amount > 0 and not year.payments.filter(kind=kind).exists():
        award_services.record_payment(award_year=year, kind=kind, amount_yen=amount,
                                      paid_on=paid_on, by=staff)


def _first_year(award, spec, *, org_user, staff) -> None:
    year = award.years.order_by("fiscal_year").first()
    fy = year.fiscal_year
    # Half in advance; the group that stops had everything in advance and
    # returns what the confirmed amount did not use.
    advance = year.approved_yen // 2 if spec["continue"] else year.approved_yen
    _pay(year, Payment.Kind.ADVANCE, advance, date(fy, 7, 1), staff)
    _report(award, "interim", fy, spec, org_user=org_user, staff=staff)
    _report(award, "annual", fy, spec, org_user=org_user, staff=staff)
    year.refresh_from_db()
    if year.state == AwardYear.State.REPORTED:
        confirmed = year.approved_yen * 95 // 100
        award_services.settle_award_year(award_year=year, confirmed_yen=confirmed, by=staff,
                                         reason="実績報告の確認により確定")
        year.refresh_from_db()
    _pay(year, Payment.Kind.SETTLEMENT, year.settlement_due_yen, date(fy + 1, 6, 10), staff)
    _pay(year, Payment.Kind.REFUND, year.to_return_yen, date(fy + 1, 6, 20), staff)


def _second_year(award, spec, *, org_user, staff) -> None:
    years = list(award.years.order_by("fiscal_year"))
    nxt = years[1]
    if spec["continue"]:
        if nxt.state == AwardYear.State.PLANNED:
            award_services.record_continuation(
                award=award, fiscal_year=nxt.fiscal_year, decision="continue",
                reason="中間・実績報告で居場所の定着と見守りの成果を確認したため継続する。", by=staff)
            award_services.start_award_year(award_year=nxt, by=staff)
            award_services.request_budget_change(
                award_year=nxt, from_category="personnel", to_category="consumables",
                amount_yen=50_000, reason="食材費の値上がりに対応するため", by=org_user)
            award_services.request_budget_change(
                award_year=nxt, from_category="personnel", to_category="honoraria",
                amount_yen=100_000, reason="講師を招いた研修会を追加するため", by=org_user)
        nxt.refresh_from_db()
        _pay(nxt, Payment.Kind.ADVANCE, nxt.approved_yen // 2, date(nxt.fiscal_year, 7, 1), staff)
        _report(award, "interim", nxt.fiscal_year, spec, org_user=org_user, staff=staff)
        _report(award, "annual", nxt.fiscal_year, spec, org_user=org_user, staff=staff,
                accept=False, revise=True)
        _overdue_draft(award, nxt.fiscal_year, org_user=org_user)
        return
    if nxt.state == AwardYear.State.PLANNED:
        award_services.record_continuation(
            award=award, fiscal_year=nxt.fiscal_year, decision="stop",
            reason="団体の体制変更により、初年度の成果をもって終了する。", by=staff)
    _report(award, "final", years[0].fiscal_year, spec, org_user=org_user, staff=staff)
    award.refresh_from_db()
    if award.status == Award.Status.ACTIVE:
        award_services.change_award_status(award=award, to=Award.Status.COMPLETED, by=staff,
                                           reason="最終報告の受理")


def load(out) -> list[tuple[str, str, str]]:
    """Awards of awarded applications, plus two demo multi-year awards."""
    staff = _user("staff")
    made = 0
    for application in Application.objects.filter(status=Application.Status.AWARDED,
                                                  award__isnull=True):
        try:
            award_services.create_award_from_application(application=application, by=staff)
            made += 1
        except DomainError as error:
            out.write(f"reporting: no award for application {application.pk}: {error}")
    funding_round = _past_round(staff)
    if funding_round is None:
        out.write(f"reporting: {made} awards from decisions; no past call for the demo awards")
        return []
    for spec in AWARDS:
        organisation = _organisation(spec)
        owner = organisation and organisation.memberships.order_by("id").first()
        if owner is None:
            continue
        application = _awarded_application(funding_round, organisation, spec)
        first, _last = fiscal_year_bounds(funding_round.fiscal_year)
        award = award_services.create_award_from_application(
            application=application, by=staff, start_on=first.replace(month=7),
        )
        _first_year(award, spec, org_user=owner.user, staff=staff)
        _second_year(award, spec, org_user=owner.user, staff=staff)
        made += 1
    out.write(f"reporting: {made} awards with reports")
    findings_demo.load(out)
    demo_timeline.date_history()
    return []
