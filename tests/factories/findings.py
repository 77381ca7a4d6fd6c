"""Factories for findings and for reports handed in, made through the
services (as the pages make them).

`HandedInReportFactory(award=award, kind="annual", fiscal_year=2026,
activities=[{"name": "居場所", "participants_total": 120}])` starts, fills
and submits a report; expense actuals default to the approved amounts.
"""

import factory

from awards.models import AwardYear
from awards.services import record_continuation, start_award_year
from reporting.findings.models import Finding
from reporting.models import ProgressReport

from .grants import ProgrammeFactory

__all__ = ["FindingFactory", "HandedInReportFactory", "start_year"]


def start_year(award, fiscal_year: int, *, by=None) -> AwardYear:
    """Decide to continue and start a later year of an award."""
    year = award.years.get(fiscal_year=fiscal_year)
    if year.state == AwardYear.State.PLANNED:
        record_continuation(award=award, fiscal_year=fiscal_year, decision="continue",
                            reason="順調に進捗", by=by)
        start_award_year(award_year=year, by=by)
        year.refresh_from_db()
    return year


class HandedInReportFactory(factory.Factory):
    """A submitted report of an award's deadline (default: the first
    year's annual report), with activities, texts and tags."""

    class Meta:
        model = ProgressReport

    award = None
    kind = "annual"
    fiscal_year = None
    activities = factory.LazyFunction(lambda: [{"name": "居場所", "participants_total": 10}])
    feature_tags: list = []
    summary = "毎週の居場所を開いた。"
    outcomes = "参加者同士の見守りが生まれた。"
    know_how = "予約不要にした。"
    problems = "男性の参加が少ない。"
    by = None

    @classmethod
    def _create(cls, model_class, award, kind, fiscal_year, by, **data):
        from reporting.services import save_report_draft, start_report, submit_report

        deadlines = award.deadlines.filter(kind=kind)
        if fiscal_year is not None:
            deadlines = deadlines.filter(fiscal_year=fiscal_year)
        deadline = deadlines.order_by("fiscal_year").first()
        report = start_report(deadline=deadline, by=by)
        if report.has_expenses and "expense_actuals" not in data:
            data["expense_actuals"] = [
                {"expense_category": line.expense_category.code, "actual_yen": line.approved_yen}
                for line in deadline.award_year.budget_lines.select_related("expense_category")
            ]
        report = save_report_draft(report=report, data=data, lock_version=report.lock_version,
                                   by=by)
        return submit_report(report=report, by=by)

    @classmethod
    def _build(cls, model_class, *args, **kwargs):
        raise NotImplementedError("HandedInReportFactory only creates")


class FindingFactory(factory.django.DjangoModelFactory):
    """A bare finding row (no event); tests of behaviour use the services."""

    class Meta:
        model = Finding

    kind = Finding.Kind.OUTCOME
    statement = factory.Sequence(lambda n: f"居場所の常連が新しい参加者を迎えるようになった{n}。")
    programme = factory.SubFactory(ProgrammeFactory)
    fiscal_year = 2026
