"""受付票 (application receipt) as a PDF, from a frozen version."""

from django.utils.translation import gettext as _
from reportlab.lib.units import mm
from reportlab.platypus import Spacer

from core.dates import format_datetime
from core.fiscal import fiscal_year_label
from core.money import format_yen
from core.pdf import build_pdf, para, table


def receipt_pdf(version) -> bytes:
    """Round, organisation, title, receipt number, time (JST) and the budget
    totals by fiscal year and expense category, as submitted."""
    content = version.content
    facts = [
        [_("Receipt number"), version.receipt_number],
        [_("Version"), str(version.number)],
        [_("Submitted at"), format_datetime(version.submitted_at, seconds=True)],
        [_("Programme"), content["funding_round"]["programme_name"]],
        [_("Funding round"), content["funding_round"]["title"]],
        [_("Organisation"), content["organisation"]["name"]],
        [_("Corporate number"), content["organisation"]["corporate_number"] or "—"],
        [_("Project title"), content["title"]],
        [_("Theme"), (content.get("theme") or {}).get("title", "")],
        [_("Scale tier"), (content.get("tier") or {}).get("name", "")],
        [_("Requested amount"), format_yen(content["requested_yen"])],
    ]
    flowables = [
        para("受付票", "Title"),
        para(_("Application receipt"), "Heading3"),
        table(facts, col_widths=[45 * mm, 125 * mm], header=False),
        Spacer(1, 6 * mm),
        para(_("Budget by fiscal year and expense category"), "Heading2"),
        table(_budget_rows(content["budget_lines"])),
        Spacer(1, 6 * mm),
        para(_("This receipt confirms that the application above was received at the time "
               "shown (Japan time)."), "Small"),
    ]
    return build_pdf(flowables, title=f"受付票 {version.receipt_number}",
                     author=content["funding_round"]["programme_name"])


def _budget_rows(lines) -> list[list[str]]:
    years = sorted({line["fiscal_year"] for line in lines})
    categories: dict[str, dict[int, int]] = {}
    for line in lines:
        row = categories.setdefault(line["expense_category_name"], {})
        row[line["fiscal_year"]] = row.get(line["fiscal_year"], 0) + line["amount_yen"]
    rows = [[_("Expense category"), *[fiscal_year_label(y) for y in years], _("Total")]]
    for name, by_year in categories.items():
        rows.append([name, *[format_yen(by_year.get(y, 0)) for y in years],
                     format_yen(sum(by_year.values()))])
    totals = [sum(line["amount_yen"] for line in lines if line["fiscal_year"] == y) for y in years]
    rows.append([_("Total"), *[format_yen(t) for t in totals], format_yen(sum(totals))])
    return rows
