"""Decision notices (採択通知書 / 不採択通知書) as PDFs through core.pdf.

SECURITY: a notice goes to the applicant: it names no reviewer and carries
only the comments reviewers wrote for the applicant, unsigned.
"""

from django.utils import timezone
from django.utils.translation import gettext as _
from reportlab.lib.units import mm
from reportlab.platypus import Spacer

from core.fiscal import wareki_fiscal_year_label
from core.money import format_yen
from core.pdf import build_pdf, para, table

from .queries import applicant_comments


def notice_title(decision) -> str:
    if decision.is_awarded:
        return _("Notice of selection (採択通知書)")
    return _("Notice of non-selection (不採択通知書)")


def notice_filename(decision) -> str:
    kind = "award" if decision.is_awarded else "decline"
    return f"notice-{kind}-{decision.application.receipt_number or decision.application_id}.pdf"


def notice_content(decision) -> dict:
    """Everything the notice says, as plain text (tests read this)."""
    application = decision.application
    organisation = application.organisation
    funding_round = decision.funding_round
    representative = " ".join(
        part for part in (organisation.representative_title, organisation.representative_name)
        if part
    )
    rows = [
        (_("Receipt number"), application.receipt_number),
        (_("Project title"), application.title),
        (_("Funding round"), f"{wareki_fiscal_year_label(funding_round.fiscal_year)} "
                             f"{funding_round.title}"),
        (_("Result"), _("Selected") if decision.is_awarded else _("Not selected")),
    ]
    if decision.is_awarded:
        rows.append((_("Award amount"), format_yen(decision.amount_yen)))
    if decision.is_awarded:
        body = _("After review, your application has been selected as follows.")
    else:
        body = _("After careful review, we regret that your application has not been selected.")
    return {
        "title": notice_title(decision),
        "date": timezone.localtime(decision.decided_at).date().isoformat(),
        "addressee": _("%(organisation)s, %(representative)s") % {
            "organisation": organisation.name, "representative": representative,
        },
        "sender": funding_round.programme.funder_name,
        "body": body,
        "rows": rows,
        "reason": decision.reason,
        "comments": applicant_comments(application.pk),
    }


def build_notice_pdf(decision) -> bytes:
    content = notice_content(decision)
    flowables = [
        para(content["date"], "Normal"),
        para(content["addressee"], "Normal"),
        para(content["sender"], "Normal"),
        Spacer(1, 6 * mm),
        para(content["title"], "Title"),
        para(content["body"]),
        table([[label, value] for label, value in content["rows"]], col_widths=[45 * mm, 125 * mm],
              header=False),
    ]
    if content["reason"]:
        flowables += [para(_("Reason"), "Heading3"), para(content["reason"])]
    if content["comments"]:
        flowables.append(para(_("Comments from the review"), "Heading3"))
        for number, comment in enumerate(content["comments"], 1):
            flowables.append(para(_("Comment %(n)s") % {"n": number}, "Heading3"))
            flowables.append(para(comment))
    return build_pdf(flowables, title=content["title"], author=content["sender"])
