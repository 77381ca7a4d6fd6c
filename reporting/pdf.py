"""The PDF of a submitted report version (core.pdf: IPAexGothic embedded).

SECURITY: every piece of user text goes through core.pdf.para/table, which
escape it; nothing typed by an organisation reaches reportlab markup.
"""

from django.utils import timezone
from django.utils.translation import gettext as _
from reportlab.lib.units import mm
from reportlab.platypus import Spacer

from core.fiscal import fiscal_year_label, wareki_fiscal_year_label
from core.money import format_yen
from core.pdf import build_pdf, para, table
from grants.models import ExpenseCategory, TargetGroup

from .forms import TEXT_LABELS
from .models import FeatureTag, ReportVersion


def _names(model, codes) -> dict[str, str]:
    return {obj.code: obj.name for obj in model.objects.filter(code__in=list(codes))}


def report_pdf(version: ReportVersion) -> bytes:
    report = version.report
    award = report.award
    content = version.content
    fy = content.get("fiscal_year") or report.fiscal_year
    title = f"{award.award_number} {report.get_kind_display()} {fiscal_year_label(fy)}"
    story = [
        para(report.get_kind_display(), "Title"),
        table([
            [_("Award"), f"{award.award_number} {award.title}"],
            [_("Organisation"), award.organisation.name],
            [_("Fiscal year"), f"{fiscal_year_label(fy)} ({wareki_fiscal_year_label(fy)})"],
            [_("Version"), str(version.number)],
            [_("Submitted at"),
             timezone.localtime(version.submitted_at).strftime("%Y-%m-%d %H:%M") + " JST"],
        ], col_widths=[40 * mm, 134 * mm], header=False),
        Spacer(1, 4 * mm),
    ]
    tags = _names(FeatureTag, content.get("feature_tags", []))
    if tags:
        story += [para(_("Features"), "Heading2"),
                  para(" / ".join(tags.get(c, c) for c in content["feature_tags"]))]
    story += _activities(content)
    story += _indicators(content)
    for field, label in TEXT_LABELS.items():
        if content.get(field):
            story += [para(str(label), "Heading2"), para(content[field])]
    story += _expenses(content)
    return build_pdf(story, title=title, author=award.organisation.name)


def _activities(content) -> list:
    activities = content.get("activities") or []
    if not activities:
        return []
    groups = _names(TargetGroup, {c for a in activities for c in a.get("participants_by_group", {})})
    rows = [[_("Activity"), _("Sessions held"), _("Cumulative participants (延べ人数)"),
             _("By target group")]]
    for a in activities:
        by_group = ", ".join(
            f"{groups.get(code, code)}: {count}"
            for code, count in (a.get("participants_by_group") or {}).items()
        )
        name = a.get("name", "")
        if a.get("description"):
            name = f"{name}\n{a['description']}"
        rows.append([name, str(a.get("sessions_held", 0)), str(a.get("participants_total", 0)),
                     by_group])
    return [para(_("Activities"), "Heading2"),
            table(rows, col_widths=[62 * mm, 22 * mm, 32 * mm, 58 * mm])]


def _indicators(content) -> list:
    rows = content.get("indicator_actuals") or []
    if not rows:
        return []
    lines = [[_("Indicator"), _("Target"), _("Actual"), _("Note")]]
    for r in rows:
        unit = r.get("unit") or ""
        lines.append([
            r.get("name", ""),
            "" if r.get("target") is None else f"{r['target']} {unit}",
            "" if r.get("actual") is None else f"{r['actual']} {unit}",
            r.get("note", ""),
        ])
    return [para(_("Indicators"), "Heading2"),
            table(lines, col_widths=[60 * mm, 28 * mm, 28 * mm, 58 * mm])]


def _expenses(content) -> list:
    rows = content.get("expense_actuals") or []
    if not rows:
        return []
    names = _names(ExpenseCategory, [r.get("expense_category") for r in rows])
    lines = [[_("Expense category"), _("Approved"), _("Actual"), _("Explanation")]]
    for r in rows:
        lines.append([
            names.get(r.get("expense_category"), r.get("expense_category", "")),
            format_yen(r.get("approved_yen")), format_yen(r.get("actual_yen")),
            r.get("explanation", ""),
        ])
    total_approved = sum(r.get("approved_yen") or 0 for r in rows)
    total_actual = sum(r.get("actual_yen") or 0 for r in rows)
    lines.append([_("Total"), format_yen(total_approved), format_yen(total_actual), ""])
    return [para(_("Expenses against the approved budget"), "Heading2"),
            table(lines, col_widths=[40 * mm, 32 * mm, 32 * mm, 70 * mm])]
