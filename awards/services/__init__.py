"""Every write to awards, by topic: creation from an awarded application,
the reporting schedule, years (budgets, continuation, start, status),
payments and settlement, and budget change requests (変更承認申請).

Higher apps call in: reviews' decision service creates awards, reporting
marks a year reported when its annual report (実績報告) is accepted. The
package's public functions are listed here, so callers import
`awards.services` and need not know which module holds what."""

from .budget_changes import (
    approve_budget_change,
    reject_budget_change,
    request_budget_change,
    withdraw_budget_change,
)
from .creation import (
    create_award_from_application,
)
from .payments import (
    record_payment,
    schedule_payment,
    settle_award_year,
)
from .schedule import (
    set_report_due_date,
)
from .years import (
    add_award_year,
    change_award_status,
    is_redistribution_only,
    is_reduced,
    mark_year_reported,
    record_continuation,
    set_year_budget,
    start_award_year,
    year_budget_editable,
)

__all__ = [
    "add_award_year",
    "approve_budget_change",
    "change_award_status",
    "create_award_from_application",
    "is_redistribution_only",
    "is_reduced",
    "mark_year_reported",
    "record_continuation",
    "record_payment",
    "reject_budget_change",
    "request_budget_change",
    "schedule_payment",
    "set_report_due_date",
    "set_year_budget",
    "settle_award_year",
    "start_award_year",
    "withdraw_budget_change",
    "year_budget_editable",
]
