"""Shared vocabulary of the programmes (see shared/DOMAIN.md)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class LegalForm(models.TextChoices):
    NPO = "npo", _("NPO corporation (NPO法人)")
    CERTIFIED_NPO = "certified_npo", _("Certified NPO corporation (認定NPO法人)")
    GENERAL_INC_ASSOC = "general_assoc", _("General incorporated association (一般社団法人)")
    GENERAL_INC_FOUND = "general_found", _("General incorporated foundation (一般財団法人)")
    PUBLIC_INT_ASSOC = "public_assoc", _("Public interest incorporated association (公益社団法人)")
    PUBLIC_INT_FOUND = "public_found", _("Public interest incorporated foundation (公益財団法人)")
    SOCIAL_WELFARE = "social_welfare", _("Social welfare corporation (社会福祉法人)")
    VOLUNTARY = "voluntary", _("Unincorporated voluntary group (任意団体)")
    LOCAL_GOVERNMENT = "local_government", _("Local government (地方公共団体)")
    OTHER = "other", _("Other")


# Forms without legal personality have no 法人番号 (corporate number).
LEGAL_FORMS_WITHOUT_CORPORATE_NUMBER = frozenset({LegalForm.VOLUNTARY, LegalForm.OTHER})


def corporate_number_required(legal_form: str) -> bool:
    return legal_form not in LEGAL_FORMS_WITHOUT_CORPORATE_NUMBER
