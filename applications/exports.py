"""CSV and XLSX exports of the staff list.

SECURITY: text that a spreadsheet would run as a formula is neutralised
(core.exports.neutralise). Both formats are built from the same rows.
"""

import csv
from io import BytesIO, StringIO

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

from core.exports import neutralise
from core.prefectures import prefecture_name_ja


def _area(application) -> str:
    if application.is_nationwide:
        return _("Nationwide")
    return "、".join(prefecture_name_ja(c) for c in application.prefectures or [] if c)


def headers() -> list[str]:
    return [
        _("Receipt number"), _("Status"), _("Funding round"), _("Theme"), _("Scale tier"),
        _("Organisation"), _("Legal form"), _("Corporate number"), _("Prefecture"),
        _("Activity area"), _("Project title"), _("Requested amount (yen)"), _("Submitted at"),
        _("Screening note"),
    ]


def rows(queryset):
    """One row per application; values neutralised, yen as integers."""
    for a in queryset:
        submitted = timezone.localtime(a.submitted_at).strftime("%Y-%m-%d %H:%M") if a.submitted_at else ""
        yield [
            neutralise(v) for v in (
                a.receipt_number, a.get_status_display(), a.funding_round.title,
                str(a.theme) if a.theme else "", str(a.tier) if a.tier else "",
                a.organisation.name, a.organisation.get_legal_form_display(),
                a.organisation.corporate_number,
                prefecture_name_ja(a.organisation.prefecture) if a.organisation.prefecture else "",
                _area(a), a.title, a.requested_yen, submitted, a.screening_note,
            )
        ]


def to_csv(queryset) -> bytes:
    """UTF-8 with a byte-order mark so Excel reads the Japanese correctly."""
    buffer = StringIO()
    writer = csv.writer(buffer)
    writer.writerow(headers())
    writer.writerows(rows(queryset))
    return buffer.getvalue().encode("utf-8-sig")


def to_xlsx(queryset) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Applications")[:31]
    sheet.append(headers())
    for row in rows(queryset):
        sheet.append(row)
    sheet.freeze_panes = "A2"
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
