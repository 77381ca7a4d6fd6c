"""reporting.demo: awards with two fiscal years of reports, idempotently."""

from io import StringIO

from django.core.management import call_command

from awards.models import Award, AwardEvent, AwardYear, BudgetChangeRequest, Payment
from reporting.models import ProgressReport, ReportEvent, ReportVersion

MODELS = [Award, AwardYear, AwardEvent, Payment, BudgetChangeRequest, ProgressReport,
          ReportVersion, ReportEvent]


def _counts():
    return {model.__name__: model.objects.count() for model in MODELS}


def test_demo_awards_have_two_years_of_reports(demo):
    continued = Award.objects.get(title__startswith="新宿")
    stopped = Award.objects.get(title__startswith="松本")

    assert sorted(set(continued.reports.values_list("fiscal_year", flat=True))) == [
        continued.years.first().fiscal_year, continued.years.last().fiscal_year]
    assert list(continued.years.values_list("state", flat=True)) == ["settled", "active"]
    annual = continued.reports.get(kind="annual", fiscal_year=continued.years.last().fiscal_year)
    assert (annual.status, annual.versions.count()) == ("submitted", 2)
    assert BudgetChangeRequest.objects.filter(status="pending").count() == 1

    assert stopped.status == "completed"
    assert list(stopped.years.values_list("state", flat=True)) == ["settled", "stopped"]
    first = stopped.years.first()
    assert first.to_return_yen == 0 and first.payments.filter(kind="refund").exists()


def test_demo_twice_changes_nothing(demo):
    before = _counts()
    call_command("load_demo", stdout=StringIO())
    assert _counts() == before
