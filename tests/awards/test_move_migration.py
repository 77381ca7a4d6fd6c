"""The award models moved from grants to the awards app (issue 11) without
moving a row: the tables keep their names, and the migrations change the
project state only. This runs on both engines (CI runs it on PostgreSQL).

The test takes the database back to before the move with rows in it, reads
them through the historical grants models, moves forward again and reads
the same rows through the awards models, reports and findings included.
"""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.recorder import MigrationRecorder

from awards.models import Award, AwardEvent, AwardYear, ReportDeadline
from reporting.models import ProgressReport

from ..factories import ReportFactory

BEFORE_THE_MOVE = [("awards", None)]


def _migrate(targets) -> None:
    MigrationExecutor(connection).migrate(targets)


def _leaves():
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


@pytest.mark.django_db(transaction=True)
def test_award_rows_survive_the_move_both_ways():
    report = ReportFactory()
    award = report.deadline.award
    counts = {model: model.objects.count() for model in (Award, AwardYear, ReportDeadline,
                                                         AwardEvent)}
    assert all(counts.values())
    leaves = _leaves()
    try:
        _migrate(BEFORE_THE_MOVE)
        applied = MigrationRecorder(connection).applied_migrations()
        assert ("grants", "0009_awards_leave_for_awards_app") not in applied
        assert ("awards", "0001_initial") not in applied
        old = MigrationExecutor(connection).loader.project_state(
            [("grants", "0008_event_action_choices"), ("reporting", "0006_event_action_choices")]
        ).apps
        OldAward = old.get_model("grants", "Award")
        OldYear = old.get_model("grants", "AwardYear")
        OldReport = old.get_model("reporting", "ProgressReport")
        assert OldAward._meta.db_table == Award._meta.db_table
        assert OldAward.objects.count() == counts[Award]
        assert OldYear.objects.filter(award_id=award.pk).count() == award.years.count()
        assert OldAward.objects.get(pk=award.pk).award_number == award.award_number
        assert OldReport.objects.get(pk=report.pk).award_id == award.pk
    finally:
        _migrate(leaves)

    assert {model: model.objects.count() for model in counts} == counts
    moved = Award.objects.get(pk=award.pk)
    assert moved.award_number == award.award_number
    assert ProgressReport.objects.get(pk=report.pk).award == moved
    assert moved.reports.get() == ProgressReport.objects.get(pk=report.pk)


def test_the_moved_models_keep_their_tables():
    """db_table pins each table (and the target-group link table) to its old name."""
    from django.apps import apps

    tables = {model._meta.db_table for model in apps.get_app_config("awards").get_models()}
    assert tables == {
        "grants_award", "grants_awardconsortiummember", "grants_awardyear",
        "grants_awardbudgetline", "grants_continuationdecision", "grants_scheduledpayment",
        "grants_payment", "grants_budgetchangerequest", "grants_reportdeadline",
        "grants_awardevent",
    }
    through = Award._meta.get_field("target_groups").remote_field.through
    assert through._meta.db_table == "grants_award_target_groups"
