"""Policies for reviews. Issue 4 fills these in."""

from django.db.models import Q

from .base import NOTHING


def reviewer_application_scope(user) -> Q:
    """Applications a reviewer may open: assigned to them and not conflicted.

    SECURITY: a conflicted reviewer must never see the application (404).
    Issue 4 defines this over reviews.Assignment / ConflictOfInterest; until
    then reviewers see nothing.
    """
    return NOTHING


RULES: dict = {}
