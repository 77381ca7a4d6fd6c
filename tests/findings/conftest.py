"""A hand-computed portfolio, frozen at 2028-06-01 12:00 JST.

Programme `programme` (staffed by `officer`), one FY2026 round (two years),
theme 1, target group older_alone.

Award A (organisation of `applicant`, Tokyo 13), FY2026 and FY2027:
  FY2026 interim: 居場所 60                      (not counted: interim)
  FY2026 annual:  居場所 120 (older_alone 50), 訪問 30
  FY2027 annual:  居場所 80 (older_alone 20)
  advance payment FY2026: 500,000
Award B (another organisation, Osaka 27), FY2026 only started:
  FY2026 annual:  居場所 40

Cumulative participants (annual reports only):
  total 270 = 120 + 30 + 80 + 40
  A's 居場所 across two fiscal years: 120 + 80 = 200
  FY2026: 190, FY2027: 80; older_alone: 70; Tokyo 230, Osaka 40
Money: approved 4,000,000 (2 awards × 2 years × 1,000,000),
  paid 500,000, actual 3,000,000 (three annual reports at the approved amounts)
Deadlines by timeliness (now 2028-06-01):
  on time 2 (A annual FY2026 at 16:59 on the due date, B annual FY2026)
  late 2 (A interim FY2026, A annual FY2027 at 17:00 on the due date)
  overdue 3 (A interim FY2027, A final, B interim FY2026)
  not yet due 3 (B's FY2027 interim, annual and final: year not started)
"""

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from awards.services import record_payment
from core.vocab import LegalForm
from reporting.models import ProgressReport
from tests.factories import (
    AwardFactory,
    HandedInReportFactory,
    OpenRoundFactory,
    OrganisationFactory,
    TargetGroupFactory,
    start_year,
)

JST = ZoneInfo("Asia/Tokyo")
NOW = datetime(2028, 6, 1, 12, 0, tzinfo=JST)

TOTAL_PARTICIPANTS = 270
IBASHO_OF_A = 200


@pytest.fixture(autouse=True)
def frozen_time():
    with time_machine.travel(NOW, tick=False):
        yield


@dataclass
class Portfolio:
    programme: object
    funding_round: object
    award_a: object
    award_b: object
    reports: dict


def _submitted_at(report, moment):
    ProgressReport.objects.filter(pk=report.pk).update(submitted_at=moment)


def build_portfolio(programme, organisation, *, by=None) -> Portfolio:
    TargetGroupFactory(code="older_alone", name_ja="独居高齢者")
    funding_round = OpenRoundFactory(programme=programme, fiscal_year=2026)
    award_a = AwardFactory(
        application__funding_round=funding_round, application__organisation=organisation,
        application__prefectures=["13"], start_on=date(2026, 4, 1),
    )
    award_b = AwardFactory(
        application__funding_round=funding_round,
        application__organisation=OrganisationFactory(
            name="大阪つながり食堂", prefecture="27", legal_form=LegalForm.VOLUNTARY,
            corporate_number=""),
        application__prefectures=["27"], start_on=date(2026, 4, 1),
    )
    start_year(award_a, 2027, by=by)
    reports = {
        "a_interim_2026": HandedInReportFactory(
            award=award_a, kind="interim", fiscal_year=2026, by=by,
            activities=[{"name": "居場所", "participants_total": 60}]),
        "a_annual_2026": HandedInReportFactory(
            award=award_a, kind="annual", fiscal_year=2026, by=by,
            feature_tags=["loose_participation", "multi_generation"],
            activities=[
                {"name": "居場所", "sessions_held": 48, "participants_total": 120,
                 "participants_by_group": {"older_alone": 50}},
                {"name": "訪問", "sessions_held": 10, "participants_total": 30},
            ]),
        "a_annual_2027": HandedInReportFactory(
            award=award_a, kind="annual", fiscal_year=2027, by=by,
            feature_tags=["loose_participation"],
            activities=[{"name": "居場所", "sessions_held": 40, "participants_total": 80,
                         "participants_by_group": {"older_alone": 20}}]),
        "b_annual_2026": HandedInReportFactory(
            award=award_b, kind="annual", fiscal_year=2026, by=by,
            activities=[{"name": "居場所", "sessions_held": 12, "participants_total": 40}]),
    }
    _submitted_at(reports["a_interim_2026"], datetime(2026, 11, 2, 10, 0, tzinfo=JST))
    _submitted_at(reports["a_annual_2026"], datetime(2027, 4, 30, 16, 59, tzinfo=JST))
    _submitted_at(reports["a_annual_2027"], datetime(2028, 4, 30, 17, 0, tzinfo=JST))
    _submitted_at(reports["b_annual_2026"], datetime(2027, 4, 1, 9, 0, tzinfo=JST))
    record_payment(award_year=award_a.years.get(fiscal_year=2026), kind="advance",
                   amount_yen=500_000, paid_on=date(2026, 5, 1), by=by)
    for report in reports.values():
        report.refresh_from_db()
    return Portfolio(programme, funding_round, award_a, award_b, reports)


@pytest.fixture
def portfolio(programme, organisation, officer):
    return build_portfolio(programme, organisation, by=officer)
