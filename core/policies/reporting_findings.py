"""Policies for model-building findings, the oversight dashboard, the model
report and the portfolio exports.

Scope: programme staff and the oversight viewer see every finding and every
figure; applicants and reviewers see none (404). Writes: only staff of the
finding's programme create, edit and delete findings; oversight writes none.
"""

from django.db.models import Q

from .base import NOTHING, is_oversight, is_programme_staff, sees_all_programmes


def findings_visible_to(user) -> Q:
    """Staff and oversight: all findings; everyone else: none."""
    if sees_all_programmes(user):
        return Q()
    return NOTHING


def can_view_oversight(user) -> bool:
    """The oversight dashboard, findings library, outcomes API and exports."""
    return sees_all_programmes(user)


def can_add_finding(user, programme) -> bool:
    """Staff of the programme record its findings."""
    return is_programme_staff(user, programme)


def can_change_finding(user, finding) -> bool:
    """Edit, add or remove evidence, delete: staff of the finding's programme."""
    return is_programme_staff(user, finding.programme)


def can_generate_model_report(user, programme) -> bool:
    """Staff of the programme, and the oversight viewer (the report is a
    reading of data already there; it changes no domain record)."""
    return is_programme_staff(user, programme) or is_oversight(user)


def can_download_model_report(user, job) -> bool:
    """Any staff or oversight user may download a finished model report."""
    return sees_all_programmes(user)


RULES = {
    "reporting.add_finding": can_add_finding,
    "reporting.change_finding": can_change_finding,
    "reporting.delete_finding": can_change_finding,
    "reporting.generate_model_report": can_generate_model_report,
    "reporting.download_model_report": can_download_model_report,
}
