"""Chart labels cut to fit never become the same text for two different
categories (issue 13.11): テーマ1 and テーマ2 of one long round title stay
told apart, on the pages (SVG) and in the model report PDF."""

import re

from reporting import charts

ROUND = "令和8年度 孤独・孤立対策 モデル調査 テーマ"


def test_long_labels_sharing_a_beginning_stay_distinct():
    labels = [f"{ROUND}1 居場所づくり", f"{ROUND}2 見守り", "子ども"]
    shorts = charts.short_labels(labels)
    assert len(set(shorts)) == 3
    assert all(len(s) <= charts.MAX_LABEL_CHARS for s in shorts)
    assert shorts[2] == "子ども"
    assert "居場所づくり" in shorts[0] or "1" in shorts[0]


def test_labels_differing_only_in_the_middle_are_kept_whole():
    labels = ["あ" * 20 + "甲" + "い" * 20, "あ" * 20 + "乙" + "い" * 20]
    assert charts.short_labels(labels) == labels


def test_the_same_label_twice_stays_the_same():
    assert charts.short_labels(["同じ名前" * 6] * 2)[0] == charts.short_labels(["同じ名前" * 6])[0]


def test_svg_shows_distinct_category_texts():
    svg = str(charts.bar_chart_svg(
        chart_id="c", title="t", categories=[f"{ROUND}1 居場所づくり", f"{ROUND}2 見守り"],
        series=[charts.Series("参加者", [10, 20])]))
    shown = re.findall(r'text-anchor="end"><title>[^<]*</title>([^<]*)</text>', svg)
    assert len(shown) == 2 and shown[0] != shown[1]


def test_pdf_chart_category_names_are_distinct():
    drawing = charts.pdf_bar_chart([(f"{ROUND}1 居場所づくり", 5), (f"{ROUND}2 見守り", 7)],
                                   title="t")
    chart = drawing.contents[-1]
    names = chart.categoryAxis.categoryNames
    assert len(set(names)) == 2
