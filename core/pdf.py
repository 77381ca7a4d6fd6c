"""PDF building blocks: the one registered Japanese font and safe paragraphs.

IPAexGothic (IPA Font License, assets/fonts/) is embedded as a TrueType
subset, so text renders on any viewer. NOTE: reportlab's CID fonts are not
embedded and Noto CJK (CFF outlines) fails to load, so neither is used. The
font lives in core rather than reporting/ because applications (a lower app)
render receipts too; every PDF in the project registers it through here.
"""

from functools import cache
from io import BytesIO

from django.conf import settings
from django.utils.html import escape
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle

FONT = "IPAexGothic"


@cache
def register_font() -> str:
    pdfmetrics.registerFont(TTFont(FONT, str(settings.FONT_PATH)))
    return FONT


@cache
def styles() -> dict[str, ParagraphStyle]:
    register_font()
    base = getSampleStyleSheet()
    result = {}
    for name in ("Title", "Heading1", "Heading2", "Heading3", "Normal", "BodyText"):
        style = base[name].clone(name)
        style.fontName = FONT
        style.wordWrap = "CJK"  # break lines anywhere in Japanese text
        result[name] = style
    result["Small"] = ParagraphStyle("Small", parent=result["Normal"], fontSize=8, leading=10)
    return result


def para(text, style: str = "BodyText") -> Paragraph:
    """A paragraph of user text. SECURITY: escaped, so markup in user input
    (<, >, &) cannot inject reportlab tags; newlines become line breaks."""
    safe = escape("" if text is None else str(text)).replace("\n", "<br/>")
    return Paragraph(safe, styles()[style])


def table(rows, col_widths=None, header: bool = True) -> Table:
    """A grid of cells; strings are wrapped in escaped paragraphs."""
    cells = [[para(c, "Small") if not hasattr(c, "wrap") else c for c in row] for row in rows]
    result = Table(cells, colWidths=col_widths, repeatRows=1 if header else 0)
    commands = [
        ("GRID", (0, 0), (-1, -1), 0.5, colors.grey),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ]
    if header:
        commands.append(("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#E8EEF5")))
    result.setStyle(TableStyle(commands))
    return result


def build_pdf(flowables, *, title: str, author: str = "") -> bytes:
    """Render flowables on A4 with the embedded font; returns the PDF bytes."""
    register_font()
    buffer = BytesIO()
    doc = SimpleDocTemplate(
        buffer, pagesize=A4, title=title, author=author,
        leftMargin=18 * mm, rightMargin=18 * mm, topMargin=18 * mm, bottomMargin=18 * mm,
    )
    doc.build(list(flowables))
    return buffer.getvalue()
