"""Benchmark: the oversight dashboard, GET /api/v1/outcomes/ and the model
report PDF for 500 awards × 3 fiscal years × 2 reports (interim and annual)
× 5 activities, in a temporary SQLite file (DATA_DIR is a temp directory, so
var/db.sqlite3 is never touched).

The query count must not depend on the number of awards: the dashboard and
the endpoint are measured at 50 awards and again at 500.

    .venv/bin/python bench/outcomes.py          # human-readable
    .venv/bin/python bench/outcomes.py --json   # rows for bench/run.py
"""

import json
import os
import random
import sys
import tempfile
import time
import tracemalloc
from datetime import date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.test"
os.environ.pop("DATABASE_URL", None)
os.environ["DATA_DIR"] = tempfile.mkdtemp(prefix="kodoku-bench-outcomes-")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402
from django_otp import DEVICE_ID_SESSION_KEY  # noqa: E402
from django_otp.plugins.otp_totp.models import TOTPDevice  # noqa: E402

YEARS = (2024, 2025, 2026)
N_THEMES = 5
ACTIVITIES = ("居場所", "訪問", "食堂", "相談", "交流会")
CATEGORIES = (("personnel", "人件費"), ("honoraria", "謝金"), ("consumables", "消耗品費"))
GROUPS = (("older_alone", "一人暮らしの高齢者"), ("children_youth", "子ども・若者"),
          ("parents_young_children", "子育て中の親"), ("middle_aged_men", "中高年の男性"),
          ("multi_generation", "多世代"))


class Portfolio:
    """The shared rows, then `add(n)` awards with all their reports."""

    def __init__(self):
        from accounts.models import Role, User
        from grants.models import ExpenseCategory, FundingRound, Programme, TargetGroup, Theme
        from reporting.models import FeatureTag

        self.rnd = random.Random(2026)
        now = timezone.now()
        self.officer = User.objects.create(email="staff@bench.jp", full_name="職員",
                                           role=Role.PROGRAMME_STAFF)
        self.oversight = User.objects.create(email="view@bench.jp", full_name="閲覧",
                                             role=Role.OVERSIGHT)
        self.programme = Programme.objects.create(code="bench", name_ja="ベンチ事業")
        self.programme.staff.add(self.officer)
        self.round = FundingRound.objects.create(
            programme=self.programme, fiscal_year=YEARS[0], title_ja="ベンチ公募", status="decided",
            opens_at=now - timedelta(days=900), closes_at=now - timedelta(days=800),
            budget_yen=115_000_000, max_award_years=3,
        )
        self.themes = [Theme.objects.create(funding_round=self.round, number=n,
                                            title_ja=f"テーマ{n}")
                       for n in range(1, N_THEMES + 1)]
        self.categories = [ExpenseCategory.objects.get_or_create(code=c, defaults={"name_ja": n})[0]
                           for c, n in CATEGORIES]
        self.groups = [TargetGroup.objects.get_or_create(code=c, defaults={"name_ja": n})[0]
                       for c, n in GROUPS]
        self.tags = list(FeatureTag.objects.all())
        self.count = 0

    def add(self, n: int) -> None:
        from accounts.models import Organisation
        from applications.models import Application
        from awards.models import (
            Award,
            AwardBudgetLine,
            AwardYear,
            Payment,
            ReportDeadline,
        )
        from reporting.findings.models import Finding, FindingEvidence
        from reporting.models import (
            ActivityParticipantCount,
            ExpenseActual,
            IndicatorActual,
            ProgressReport,
            ReportActivity,
        )

        rnd, start = self.rnd, self.count
        numbers = range(start, start + n)
        organisations = Organisation.objects.bulk_create(
            Organisation(name=f"NPO法人 ベンチ{i}", legal_form="npo", representative_name="代表",
                         prefecture=f"{1 + i % 47:02d}", municipality="市",
                         contact_email=f"o{i}@bench.jp") for i in numbers)
        applications = Application.objects.bulk_create(
            Application(funding_round=self.round, organisation=o, status="awarded",
                        theme=self.themes[i % N_THEMES], title=f"事業{i}",
                        prefectures=[f"{1 + i % 47:02d}"])
            for i, o in zip(numbers, organisations, strict=True))
        awards = Award.objects.bulk_create(
            Award(award_number=f"BENCH-{i:05d}", application=a, organisation_id=a.organisation_id,
                  funding_round=self.round, theme=a.theme, title=a.title,
                  prefectures=a.prefectures, start_on=date(YEARS[0], 4, 1),
                  end_on=date(YEARS[-1] + 1, 3, 31), approved_yen=3_000_000)
            for i, a in zip(numbers, applications, strict=True))
        years = AwardYear.objects.bulk_create(
            AwardYear(award=a, fiscal_year=y, state="active", approved_yen=1_000_000)
            for a in awards for y in YEARS)
        AwardBudgetLine.objects.bulk_create(
            AwardBudgetLine(award_year=y, expense_category=c, approved_yen=a)
            for y in years for c, a in zip(self.categories, (600_000, 300_000, 100_000),
                                           strict=True))
        Payment.objects.bulk_create(
            Payment(award_year=y, kind="advance", amount_yen=500_000,
                    paid_on=date(y.fiscal_year, 7, 1)) for y in years)
        deadlines = ReportDeadline.objects.bulk_create(
            ReportDeadline(award=y.award, award_year=y, kind=kind, fiscal_year=y.fiscal_year,
                           due_on=due)
            for y in years
            for kind, due in (("interim", date(y.fiscal_year, 10, 31)),
                              ("annual", date(y.fiscal_year + 1, 4, 30))))
        reports = ProgressReport.objects.bulk_create(
            ProgressReport(
                award=d.award, deadline=d, kind=d.kind, fiscal_year=d.fiscal_year,
                status=rnd.choice(["submitted", "accepted", "accepted"]),
                summary="活動した。", outcomes="見守りが生まれた。", problems="男性が少ない。",
                submitted_at=timezone.make_aware(
                    datetime.combine(d.due_on, datetime.min.time())
                    + timedelta(days=rnd.randint(-10, 5), hours=rnd.randint(8, 20))),
            ) for d in deadlines)
        through = ProgressReport.feature_tags.through
        through.objects.bulk_create(
            through(progressreport=r, featuretag=t) for r in reports
            for t in rnd.sample(self.tags, 2))
        activities = ReportActivity.objects.bulk_create(
            (ReportActivity(report=r, name=name, sessions_held=rnd.randint(1, 50),
                            participants_total=rnd.randint(10, 400), sort_order=k)
             for r in reports for k, name in enumerate(ACTIVITIES)), batch_size=5_000)
        ActivityParticipantCount.objects.bulk_create(
            (ActivityParticipantCount(activity=a, target_group=g, count=a.participants_total // 3)
             for a in activities for g in rnd.sample(self.groups, 2)), batch_size=5_000)
        indicators = IndicatorActual.objects.bulk_create(
            IndicatorActual(report=r, name="居場所の延べ参加者数", unit="人", target=500,
                            actual=rnd.randint(100, 900)) for r in reports)
        ExpenseActual.objects.bulk_create(
            ExpenseActual(report=r, expense_category=c, actual_yen=a)
            for r in reports if r.kind == "annual"
            for c, a in zip(self.categories, (580_000, 290_000, 95_000), strict=True))
        findings = Finding.objects.bulk_create(
            Finding(kind=rnd.choice(Finding.Kind.values), statement=f"知見{a.award_number}",
                    programme=self.programme, theme=a.theme, award=a, fiscal_year=YEARS[-1],
                    prefectures=a.prefectures)
            for a in awards)
        annual = {(r.award_id, r.fiscal_year): r for r in reports if r.kind == "annual"}
        by_report = {i.report_id: i for i in indicators}
        FindingEvidence.objects.bulk_create(
            row for f in findings for row in (
                FindingEvidence(finding=f, report=annual[(f.award_id, YEARS[-1])],
                                field="outcomes", quote="見守りが生まれた"),
                FindingEvidence(finding=f, report=annual[(f.award_id, YEARS[-1])],
                                indicator_actual=by_report[annual[(f.award_id, YEARS[-1])].pk]),
            ))
        self.count += n


def _measure(fn, repeat: int = 3) -> tuple[float, int]:
    """Best wall time of `repeat` runs, and the queries of one run."""
    best, queries = float("inf"), 0
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = fn()
            best = min(best, time.perf_counter() - started)
        assert response.status_code == 200, response.status_code
        queries = len(captured.captured_queries)
    return best, queries


def _pdf(programme, fiscal_year) -> tuple[float, int, int, int]:
    """Wall time and queries of one build; peak memory of a second build
    under tracemalloc (which slows Python down several times, so it is not
    timed)."""
    from reporting.model_report import build_model_report

    steps = []
    started = time.perf_counter()
    with CaptureQueriesContext(connection) as captured:
        pdf = build_model_report(programme, fiscal_year, progress=lambda d, t: steps.append(d))
    seconds = time.perf_counter() - started
    tracemalloc.start()
    build_model_report(programme, fiscal_year)
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return seconds, peak, len(pdf), len(captured.captured_queries)


def main() -> list[dict]:
    call_command("migrate", verbosity=0)
    settings.DEBUG = False
    portfolio = Portfolio()
    web = Client()
    web.force_login(portfolio.oversight)
    # Oversight viewers give a one-time code after the password: the session
    # names their TOTP device, as django_otp.login leaves it.
    device = TOTPDevice.objects.create(user=portfolio.oversight, name="bench", confirmed=True)
    session = web.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    assert web.get(reverse("reporting:dashboard")).status_code == 200
    dashboard = reverse("reporting:dashboard")
    outcomes = reverse("v1:outcomes")
    rows, measured = [], {}
    for total in (50, 500):
        started = time.perf_counter()
        portfolio.add(total - portfolio.count)
        setup = time.perf_counter() - started
        measured[total] = {
            "dashboard": _measure(lambda: web.get(dashboard)),
            "dashboard FY": _measure(lambda: web.get(dashboard, {"fiscal_year": YEARS[-1]})),
            "outcomes": _measure(lambda: web.get(outcomes)),
        }
        measured[total]["setup"] = setup
    for name in ("dashboard", "dashboard FY", "outcomes"):
        small, large = measured[50][name], measured[500][name]
        label = {"dashboard": "GET /reporting/oversight/",
                 "dashboard FY": f"GET /reporting/oversight/?fiscal_year={YEARS[-1]}",
                 "outcomes": "GET /api/v1/outcomes/"}[name]
        rows.append({
            "bench": "outcomes",
            "case": f"{label}, 500 awards × 3 FY × 2 reports × 5 activities",
            "seconds": round(large[0], 3),
            "target_seconds": 1.0,
            "figures": (f"{large[1]} queries at 500 awards, {small[1]} at 50 "
                        f"({'same' if large[1] == small[1] else 'DIFFERENT'}); "
                        f"{small[0]:.3f} s at 50 awards"),
        })
    seconds, peak, size, queries = _pdf(portfolio.programme, YEARS[-1])
    rows.append({
        "bench": "outcomes",
        "case": f"model report PDF FY{YEARS[-1]}, 500 awards (5 themes)",
        "seconds": round(seconds, 3),
        "target_seconds": 10.0,
        "figures": (f"peak Python memory {peak / 2**20:.1f} MiB (tracemalloc); "
                    f"{size / 1024:.0f} KiB; {queries} queries; data setup "
                    f"{measured[50]['setup'] + measured[500]['setup']:.1f} s (not timed)"),
    })
    return rows


if __name__ == "__main__":
    rows = main()
    if "--json" in sys.argv:
        print(json.dumps(rows, ensure_ascii=False))
    else:
        for row in rows:
            print(f"{row['case']}: {row['seconds']} s (target {row['target_seconds']} s) "
                  f"— {row['figures']}")
