"""CSV and XLSX of a round's ranking and decisions, in the screen's order.

Callers pass a round the user may see (reviews.views.review_round) and
nothing here widens it. SECURITY: text cells that a spreadsheet would read as
a formula get a leading quote (core.exports.neutralise). In XLSX,
yen are integers formatted #,##0, scores two decimals, moments real
date-times in Japan time.
"""

import csv
from datetime import datetime
from io import BytesIO, StringIO

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from core.exports import neutralise

from .models import Recommendation
from .queries import round_decisions, round_proposal
from .ranking import round_ranking

YEN = "yen"
SCORE = "score"
MOMENT = "moment"
FORMATS = {YEN: "#,##0", SCORE: "0.00", MOMENT: "yyyy-mm-dd hh:mm"}



def _score(value):
    return round(value, 2) if value is not None else None


def _moment(value):
    return timezone.localtime(value).replace(tzinfo=None) if value else None


def ranking_table(funding_round):
    """(columns, rows): one row per ranked application, grouped by theme and
    tier as on the ranking page."""
    ranking = round_ranking(funding_round)
    RECOMMENDATIONS = dict(Recommendation.choices)  # noqa: N806
    columns = [
        (_("Theme"), None), (_("Scale tier"), None), (_("Rank"), None),
        (_("Overall rank"), None), (_("Receipt number"), None), (_("Project title"), None),
        (_("Organisation"), None), (_("Requested amount (yen)"), YEN), (_("Reviews"), None),
        (_("Mean"), SCORE), (_("Median"), SCORE), (_("Std. dev."), SCORE),
        (_("Calibrated"), SCORE), (_("Recommendations"), None), (_("Reviewers disagree"), None),
    ]
    rows = []
    for theme, tier, ranked in ranking.groups:
        for row in ranked:
            app = row.application
            recommendations = "、".join(
                f"{RECOMMENDATIONS.get(key, key)}×{n}" for key, n in row.recommendations.items()
            )
            rows.append([
                str(theme) if theme else "", tier.name if tier else "", row.rank,
                row.overall_rank, app.receipt_number, app.title, app.organisation,
                app.requested_yen, row.count, _score(row.mean), _score(row.median),
                _score(row.stdev), _score(row.calibrated), recommendations,
                _("Yes") if row.disagreement else _("No"),
            ])
    return columns, rows


PROPOSAL_REASONS = {
    "minimum": gettext_lazy("Selected (theme minimum)"), "rank": gettext_lazy("Selected"),
    "budget": gettext_lazy("Does not fit the budget"),
    "theme_full": gettext_lazy("Theme maximum reached"),
    "unscored": gettext_lazy("No submitted review"),
}


def decisions_table(funding_round):
    """(columns, rows): the proposal over the undecided applications, then the
    decisions already recorded, as on the decisions page."""
    _ranking, proposal = round_proposal(funding_round)
    themes = {t.pk: t for t in funding_round.themes.all()}
    columns = [
        (_("State"), None), (_("Receipt number"), None), (_("Project title"), None),
        (_("Organisation"), None), (_("Theme"), None), (_("Overall rank"), None),
        (_("Calibrated"), SCORE), (_("Requested amount (yen)"), YEN), (_("Amount (yen)"), YEN),
        (_("Proposal or outcome"), None), (_("Reason"), None), (_("Decided at (JST)"), MOMENT),
    ]
    rows = []
    for row in proposal.rows:
        app = row.ranked.application
        theme = themes.get(app.theme_id)
        rows.append([
            _("Proposed"), app.receipt_number, app.title, app.organisation,
            str(theme) if theme else "", row.ranked.overall_rank, _score(row.ranked.calibrated),
            app.requested_yen, row.amount_yen if row.selected else None,
            str(PROPOSAL_REASONS.get(row.reason) or _("Not selected")), "", None,
        ])
    for decision in round_decisions(funding_round).select_related("application__theme"):
        app = decision.application
        rows.append([
            _("Decided"), app.receipt_number, app.title, app.organisation.name,
            str(app.theme) if app.theme else "", None, None, app.requested_yen,
            decision.amount_yen, decision.get_outcome_display(), decision.reason,
            _moment(decision.decided_at),
        ])
    return columns, rows


def to_csv(columns, rows) -> bytes:
    """UTF-8 with a byte-order mark so Excel reads the Japanese correctly."""
    buffer = StringIO()
    writer = csv.writer(buffer)
    writer.writerow([label for label, _kind in columns])
    for row in rows:
        writer.writerow([
            value.strftime("%Y-%m-%d %H:%M") if isinstance(value, datetime) else neutralise(value)
            for value in row
        ])
    return buffer.getvalue().encode("utf-8-sig")


def to_xlsx(columns, rows, *, sheet: str) -> bytes:
    workbook = Workbook()
    worksheet = workbook.active
    worksheet.title = sheet[:31]
    worksheet.append([label for label, _kind in columns])
    for row in rows:
        worksheet.append([neutralise(value) for value in row])
    for index, (label, kind) in enumerate(columns, start=1):
        letter = get_column_letter(index)
        worksheet.column_dimensions[letter].width = max(10, min(40, len(str(label)) * 2 + 2))
        if kind:
            for (cell,) in worksheet.iter_rows(min_row=2, min_col=index, max_col=index):
                cell.number_format = FORMATS[kind]
    worksheet.freeze_panes = "A2"
    worksheet.auto_filter.ref = worksheet.dimensions
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def export_response(funding_round, kind: str, fmt: str) -> HttpResponse:
    columns, rows = (ranking_table if kind == "ranking" else decisions_table)(funding_round)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    if fmt == "csv":
        response = HttpResponse(to_csv(columns, rows), content_type="text/csv; charset=utf-8")
    else:
        sheet = _("Ranking") if kind == "ranking" else _("Decisions")
        response = HttpResponse(
            to_xlsx(columns, rows, sheet=sheet),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    name = f"{kind}-round{funding_round.pk}-{stamp}.{fmt}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
