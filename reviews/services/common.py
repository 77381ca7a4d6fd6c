"""Helpers shared by the review services."""

from django.utils.translation import gettext as _

from core.errors import DomainError
from grants.models import FundingRound


def locked_round(funding_round) -> FundingRound:
    return FundingRound.objects.select_for_update().get(pk=funding_round.pk)


def require_reviewing(funding_round) -> None:
    if funding_round.status != FundingRound.Status.REVIEWING:
        raise DomainError(
            _("The round is not under review (its status is %(status)s).")
            % {"status": FundingRound.Status(funding_round.status).label},
            code="round_not_reviewing",
        )
