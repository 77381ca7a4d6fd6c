"""Selection decisions (採択 / 不採択) and the round's move to decided."""

from functools import partial

from django.db import transaction
from django.utils.translation import gettext as _

from applications.models import Application
from applications.services import set_application_status
from awards.services import create_award_from_application
from core.errors import DomainError
from core.money import format_yen
from core.transitions import record
from grants.rules import theme_is_full
from grants.services import mark_round_decided

from ..models import Decision, DecisionBatch, ReviewEvent
from ..ranking import UNDECIDED_STATUSES
from ..tasks import generate_decision_notice
from .common import locked_round, require_reviewing

_STATUS_FOR = {
    Decision.Outcome.AWARDED: Application.Status.AWARDED,
    Decision.Outcome.DECLINED: Application.Status.DECLINED,
}


def _check_award(funding_round, application, amount_yen) -> None:
    if not isinstance(amount_yen, int) or amount_yen <= 0:
        raise DomainError(_("Enter the award amount in whole yen."), code="amount_required",
                          field="amount_yen")
    if amount_yen > application.requested_yen:
        raise DomainError(
            _("The award amount cannot exceed the requested %(requested)s.")
            % {"requested": format_yen(application.requested_yen)},
            code="amount_above_request", field="amount_yen",
        )
    remaining = funding_round.budget_yen - Decision.objects.filter(
        funding_round=funding_round).committed_yen()
    if amount_yen > remaining:
        raise DomainError(
            _("Only %(remaining)s of the round's budget remains.")
            % {"remaining": format_yen(remaining)},
            code="over_budget", field="amount_yen",
        )
    theme = application.theme
    if theme is not None and theme.max_awards is not None:
        awarded = Decision.objects.filter(
            funding_round=funding_round, application__theme=theme).awarded().count()
        if theme_is_full(theme.max_awards, awarded):
            raise DomainError(
                _("Theme %(number)s already has its maximum of %(max)s awards.")
                % {"number": theme.number, "max": theme.max_awards},
                code="theme_full", field="outcome",
            )


def _decide(funding_round, *, application, outcome, by, amount_yen=None, reason="", batch=None):
    application = (
        Application.objects.select_for_update(of=("self",)).select_related("theme").get(pk=application.pk)
    )
    if application.funding_round_id != funding_round.pk:
        raise DomainError(_("The application belongs to another round."), code="wrong_round")
    if Decision.objects.filter(application=application).exists():
        raise DomainError(
            _("Application %(receipt)s has already been decided.")
            % {"receipt": application.receipt_number or application.pk},
            code="already_decided",
        )
    if application.status not in UNDECIDED_STATUSES:
        raise DomainError(
            _("Application %(receipt)s is not waiting for a decision.")
            % {"receipt": application.receipt_number or application.pk},
            code="application_not_reviewable",
        )
    if outcome not in Decision.Outcome.values:
        raise DomainError(_("Choose awarded or declined."), code="outcome_unknown",
                          field="outcome")
    if outcome == Decision.Outcome.AWARDED:
        _check_award(funding_round, application, amount_yen)
    else:
        amount_yen = None
    decision = Decision.objects.create(
        application=application, funding_round=funding_round, outcome=outcome,
        amount_yen=amount_yen, reason=(reason or "").strip(), decided_by=by, batch=batch,
    )
    if application.status != Application.Status.UNDER_REVIEW:
        application = set_application_status(
            application=application, to=Application.Status.UNDER_REVIEW, by=by,
            reason=_("Decided by programme staff."),
        )
    application = set_application_status(
        application=application, to=_STATUS_FOR[outcome], by=by, reason=reason
    )
    if outcome == Decision.Outcome.AWARDED:
        # The award (grants) is made in the same transaction as the decision,
        # so a refused award refuses the decision too.
        create_award_from_application(application=application, amount_yen=amount_yen, by=by)
    record(ReviewEvent, funding_round=funding_round, by=by, action=ReviewEvent.Action.DECIDED,
           application=application, why=reason, to_status=outcome,
           changes={"amount_yen": amount_yen})
    transaction.on_commit(partial(generate_decision_notice.delay, decision.pk))
    return decision


def _finish_if_complete(funding_round, *, by) -> None:
    """The round moves to decided once no application waits for a decision."""
    waiting = Application.objects.filter(
        funding_round=funding_round, status__in=UNDECIDED_STATUSES
    ).exists()
    if not waiting:
        mark_round_decided(funding_round=funding_round, by=by,
                           reason=_("Every application has been decided."))


@transaction.atomic
def record_decision(*, application, outcome, by, amount_yen=None, reason: str = "") -> Decision:
    """Staff record one decision: awarded with an amount up to the request
    and within the remaining budget and the theme's maximum, or declined.
    The notice is generated and e-mailed in the background."""
    funding_round = locked_round(application.funding_round)
    require_reviewing(funding_round)
    decision = _decide(funding_round, application=application, outcome=outcome, by=by,
                       amount_yen=amount_yen, reason=reason)
    _finish_if_complete(funding_round, by=by)
    return decision


@transaction.atomic
def record_decisions(*, funding_round, items, by) -> DecisionBatch:
    """Record many decisions at once (all or none); items are dicts with
    application, outcome, amount_yen and reason. Their notices are a batch
    whose progress the decisions page shows."""
    funding_round = locked_round(funding_round)
    require_reviewing(funding_round)
    items = list(items)
    if not items:
        raise DomainError(_("Choose at least one application to decide."),
                          code="nothing_to_decide", field="decisions")
    batch = DecisionBatch.objects.create(funding_round=funding_round, created_by=by,
                                         total=len(items))
    for item in items:
        _decide(funding_round, application=item["application"], outcome=item["outcome"], by=by,
                amount_yen=item.get("amount_yen"), reason=item.get("reason", ""), batch=batch)
    _finish_if_complete(funding_round, by=by)
    return batch
