"""Helpers shared by the review services."""

from django.utils.translation import gettext as _

from core.errors import DomainError
from grants.models import FundingRound

from ..models import ReviewEvent


def actor(by):
    return by if getattr(by, "pk", None) else None


def record(funding_round, *, by, action, application=None, reason="", changes=None,
           from_status="", to_status="") -> ReviewEvent:
    """The audit row of every review state change."""
    return ReviewEvent.objects.create(
        funding_round_id=getattr(funding_round, "pk", funding_round),
        application=application,
        actor=actor(by),
        action=action,
        reason=reason or "",
        changes=changes or {},
        from_status=from_status,
        to_status=to_status,
    )


def locked_round(funding_round) -> FundingRound:
    return FundingRound.objects.select_for_update().get(pk=funding_round.pk)


def require_reviewing(funding_round) -> None:
    if funding_round.status != FundingRound.Status.REVIEWING:
        raise DomainError(
            _("The round is not under review (its status is %(status)s).")
            % {"status": FundingRound.Status(funding_round.status).label},
            code="round_not_reviewing",
        )
