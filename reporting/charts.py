"""Bar charts drawn on the server: SVG for the pages, reportlab graphics for
the model report PDF.

Readable without colour: every bar carries its label and its value as
text, series differ by pattern (solid, hatched, dotted) as well as by shade,
the legend names each pattern in words, and the pages print a data table
under every chart. SVG text is escaped (format_html); reportlab graphics
strings are drawn as plain text, never parsed as markup.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django.utils.html import escape, format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

LABEL_WIDTH = 230
BAR_AREA = 330
VALUE_WIDTH = 140
BAR_HEIGHT = 16
BAR_GAP = 4
GROUP_GAP = 10
MAX_LABEL_CHARS = 18

# (fill, pattern) per series: the shade alone never carries the meaning.
PATTERNS = ("solid", "hatch", "dots", "cross")
SHADES = ("#0b57a4", "#14662c", "#7a4d00", "#5a2d82")


@dataclass
class Series:
    label: str
    values: Sequence[int | None]


def _number(value) -> str:
    return "—" if value is None else f"{int(value):,}"


def _short(label: str) -> str:
    label = str(label)
    return label if len(label) <= MAX_LABEL_CHARS else label[: MAX_LABEL_CHARS - 1] + "…"


def short_labels(labels: Sequence[str]) -> list[str]:
    """Labels cut to MAX_LABEL_CHARS, never two different labels cut to the
    same text: labels that would collide (テーマ1 and テーマ2 of one long
    round title) keep their ends around a middle "…", or stay whole."""
    labels = [str(label) for label in labels]
    result = [_short(label) for label in labels]
    groups: dict[str, list[int]] = {}
    for index, short in enumerate(result):
        groups.setdefault(short, []).append(index)
    for indexes in groups.values():
        if len({labels[i] for i in indexes}) < 2:
            continue
        for head in range(MAX_LABEL_CHARS // 2, 0, -1):
            tail = MAX_LABEL_CHARS - 1 - head
            tried = [_elide(labels[i], head, tail) for i in indexes]
            if len(set(tried)) == len({labels[i] for i in indexes}):
                break
        else:
            tried = [labels[i] for i in indexes]
        for i, short in zip(indexes, tried, strict=True):
            result[i] = short
    return result


def _elide(label: str, head: int, tail: int) -> str:
    return label if len(label) <= head + tail + 1 else f"{label[:head]}…{label[-tail:]}"


def _pattern_defs(chart_id: str, count: int) -> SafeString:
    defs = []
    for index in range(count):
        pattern, shade = PATTERNS[index % len(PATTERNS)], SHADES[index % len(SHADES)]
        pid = f"{chart_id}-p{index}"
        if pattern == "solid":
            body = format_html('<rect width="8" height="8" fill="{}"/>', shade)
        elif pattern == "hatch":
            body = format_html(
                '<rect width="8" height="8" fill="#fff"/>'
                '<path d="M-2,2 l4,-4 M0,8 l8,-8 M6,10 l4,-4" stroke="{}" stroke-width="2.5"/>',
                shade)
        elif pattern == "dots":
            body = format_html(
                '<rect width="8" height="8" fill="#fff"/><circle cx="4" cy="4" r="2.2" fill="{}"/>',
                shade)
        else:
            body = format_html(
                '<rect width="8" height="8" fill="#fff"/>'
                '<path d="M0,4 h8 M4,0 v8" stroke="{}" stroke-width="2"/>', shade)
        defs.append(format_html(
            '<pattern id="{}" width="8" height="8" patternUnits="userSpaceOnUse">{}</pattern>',
            pid, body))
    return mark_safe("".join(defs))  # noqa: S308 - every part built with format_html


def bar_chart_svg(*, chart_id: str, title: str, categories: Sequence[str],
                  series: Sequence[Series], unit: str = "",
                  value_format: Callable[[int | None], str] = _number) -> SafeString:
    """Horizontal bars, one group per category and one bar per series.
    Returns safe SVG markup; all text is escaped."""
    categories = [str(c) for c in categories]
    per_group = len(series) * (BAR_HEIGHT + BAR_GAP) + GROUP_GAP
    legend_height = 24 if len(series) > 1 else 0
    height = 30 + legend_height + max(1, len(categories)) * per_group
    width = LABEL_WIDTH + BAR_AREA + VALUE_WIDTH
    peak = max([v or 0 for s in series for v in s.values] + [1])
    title_id, desc_id = f"{chart_id}-title", f"{chart_id}-desc"
    desc = "; ".join(
        f"{category}: " + ", ".join(
            f"{s.label} {value_format(s.values[i])}{unit}" for s in series)
        for i, category in enumerate(categories)
    )
    parts = [format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" width="{w}" '
        'height="{h}" viewBox="0 0 {w} {h}" aria-labelledby="{t} {d}" '
        'style="max-width:100%;height:auto;font-size:12px">'
        '<title id="{t}">{title}</title><desc id="{d}">{desc}</desc><defs>{defs}</defs>'
        '<text x="0" y="16" font-weight="bold">{title}</text>',
        w=width, h=height, t=title_id, d=desc_id, title=title, desc=desc,
        defs=_pattern_defs(chart_id, len(series)),
    )]
    y = 30
    if len(series) > 1:
        x = 0
        for index, s in enumerate(series):
            parts.append(format_html(
                '<rect x="{x}" y="{y}" width="16" height="12" fill="url(#{pid})" stroke="#1b1b1b"/>'
                '<text x="{tx}" y="{ty}">{label}</text>',
                x=x, y=y, pid=f"{chart_id}-p{index}", tx=x + 20, ty=y + 11, label=s.label))
            x += 28 + 13 * len(s.label)
        y += legend_height
    shorts = short_labels(categories)
    for i, category in enumerate(categories):
        parts.append(format_html(
            '<text x="{x}" y="{y}" text-anchor="end"><title>{full}</title>{short}</text>',
            x=LABEL_WIDTH - 8, y=y + BAR_HEIGHT - 3, full=category, short=shorts[i]))
        for index, s in enumerate(series):
            value = s.values[i]
            length = round(BAR_AREA * (value or 0) / peak)
            parts.append(format_html(
                '<g><title>{cat} — {name}: {val}{unit}</title>'
                '<rect x="{x}" y="{y}" width="{w}" height="{h}" fill="url(#{pid})" '
                'stroke="#1b1b1b" stroke-width="0.5"/>'
                '<text x="{tx}" y="{ty}">{val}{unit}{suffix}</text></g>',
                cat=category, name=s.label, val=value_format(value), unit=unit,
                x=LABEL_WIDTH, y=y, w=max(length, 1), h=BAR_HEIGHT, pid=f"{chart_id}-p{index}",
                tx=LABEL_WIDTH + max(length, 1) + 4, ty=y + BAR_HEIGHT - 3,
                suffix=f" ({s.label})" if len(series) > 1 else ""))
            y += BAR_HEIGHT + BAR_GAP
        y += GROUP_GAP
    parts.append(mark_safe("</svg>"))  # noqa: S308 - constant markup
    return format_html_join("", "{}", ((p,) for p in parts))


def legend_text(series: Sequence[Series]) -> str:
    """Words for the patterns, for a caption under the chart."""
    names = {"solid": "■", "hatch": "▨", "dots": "⁙", "cross": "╋"}
    return ", ".join(f"{names[PATTERNS[i % len(PATTERNS)]]} {escape(s.label)}"
                     for i, s in enumerate(series))


# --- PDF (reportlab graphics) ----------------------------------------------------------


def pdf_bar_chart(rows: Sequence[tuple[str, int]], *, title: str, width: float = 480,
                  value_format: Callable[[int | None], str] = _number):
    """A reportlab Drawing: horizontal bars with the category name left of
    each bar and the value printed at its end, in the embedded font."""
    from reportlab.graphics.charts.barcharts import HorizontalBarChart
    from reportlab.graphics.shapes import Drawing, String
    from reportlab.lib import colors

    from core.pdf import register_font

    font = register_font()
    rows = list(rows) or [("—", 0)]
    bar_space = 18
    height = 30 + bar_space * len(rows)
    drawing = Drawing(width, height)
    drawing.add(String(0, height - 12, title, fontName=font, fontSize=10))
    chart = HorizontalBarChart()
    chart.x, chart.y = 170, 5
    chart.width, chart.height = width - 170 - 70, bar_space * len(rows)
    # reportlab draws the first category at the bottom; reverse to read
    # top-down in the order of the table.
    ordered = list(reversed(rows))
    chart.data = [[int(v or 0) for _label, v in ordered]]
    chart.categoryAxis.categoryNames = short_labels([label for label, _v in ordered])
    chart.categoryAxis.labels.fontName = font
    chart.categoryAxis.labels.fontSize = 8
    chart.categoryAxis.labels.boxAnchor = "e"
    chart.categoryAxis.labels.dx = -4
    chart.valueAxis.valueMin = 0
    chart.valueAxis.visible = False
    chart.bars[0].fillColor = colors.HexColor(SHADES[0])
    chart.bars[0].strokeColor = colors.black
    chart.barLabelFormat = lambda value: value_format(value)
    chart.barLabels.fontName = font
    chart.barLabels.fontSize = 8
    chart.barLabels.boxAnchor = "w"
    chart.barLabels.dx = 3
    drawing.add(chart)
    return drawing
