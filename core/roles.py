"""The platform roles of a user account.

They live in core so that the policy package (core.policies) can decide on
them without importing accounts, which sits above core. accounts.models.User
stores the role; the values are what the database holds.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    PROGRAMME_STAFF = "staff", _("Programme staff")
    OVERSIGHT = "oversight", _("Oversight viewer")
    REVIEWER = "reviewer", _("Reviewer")
    APPLICANT = "applicant", _("Applicant")
