"""Helpers of the findings tests: read figures back out of HTML and PDFs."""

import base64
import re
import zlib

PERSONAS = ["applicant", "outsider", "reviewer", "oversight", "other_officer", "officer"]


def dashboard_total(html: str, key: str) -> int:
    """The number shown in the dashboard's totals for `key`."""
    match = re.search(rf'data-total="{key}">([^<]*)<', html)
    assert match, key
    return int(re.sub(r"[^\d-]", "", match.group(1)))


def pdf_strings(pdf: bytes) -> list[str]:
    """The ASCII text drawn on the PDF's pages, one item per text run.

    NOTE: the embedded IPAexGothic subset maps ASCII to itself, so digits
    and commas appear as they are; Japanese glyphs become other codes."""
    runs = []
    for match in re.finditer(rb"stream\r?\n(.*?)endstream", pdf, re.S):
        data = match.group(1).strip()
        if not data.startswith(b"x"):
            try:
                data = base64.a85decode(data[:-2] if data.endswith(b"~>") else data)
            except ValueError:
                continue
        try:
            text = zlib.decompressobj().decompress(data)
        except zlib.error:
            continue
        for run in re.findall(rb"\(((?:[^()\\]|\\.)*)\)\s*Tj", text):
            decoded = re.sub(rb"\\([0-7]{1,3})", lambda m: bytes([int(m.group(1), 8)]), run)
            runs.append(decoded.decode("latin-1"))
    return runs


def pdf_numbers(pdf: bytes) -> set[int]:
    """Every whole number printed in the PDF (1,234 → 1234)."""
    numbers = set()
    for run in pdf_strings(pdf):
        for token in re.findall(r"\d[\d,]*", run):
            numbers.add(int(token.replace(",", "")))
    return numbers
