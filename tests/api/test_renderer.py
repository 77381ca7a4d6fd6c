"""Issue 12: the API writes JSON with orjson (api.renderers.JSONRenderer). Its
bytes must be exactly what DRF's JSONRenderer writes with the project's
settings, for plain values and for everything orjson would write its own way."""

import datetime as dt
import json
import uuid
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy, override
from rest_framework.renderers import JSONRenderer as DrfJSONRenderer

from api.renderers import JSONRenderer

TOKYO = ZoneInfo("Asia/Tokyo")
PAYLOADS = [
    {"count": 3, "next": None, "previous": None, "results": []},
    {"title": "居場所 & <つながり> \"引用\" \\ \u2028 絵文字😀", "yen": 2_000_000, "ok": True},
    [1, -2, 3.5, 0.1, 2.675, 1e16, None, False, "", "¥1,000"],
    {"at": dt.datetime(2026, 4, 1, 9, 30, 15, 123456, tzinfo=TOKYO),
     "utc": dt.datetime(2026, 3, 31, 15, 0, tzinfo=dt.UTC),
     "naive": dt.datetime(2026, 3, 31, 15, 0, 0, 5000),
     "day": dt.date(2027, 3, 31), "time": dt.time(23, 59, 59, 999999)},
    {"decimal": Decimal("12.50"), "uuid": uuid.UUID(int=7), "safe": mark_safe("<b>x</b>"),
     "lazy": gettext_lazy("This field is required."), "tuple": (1, 2), "nested": {"a": [{}]}},
    {1: "int key", "2": "str key"},
    {"big": 2**70},
]


@pytest.mark.parametrize("payload", PAYLOADS, ids=range(len(PAYLOADS)))
@pytest.mark.parametrize("language", ["ja", "en"])
def test_same_bytes_as_drf(payload, language):
    with override(language):
        assert JSONRenderer().render(payload) == DrfJSONRenderer().render(payload)


def test_exponent_floats_are_the_same_numbers():
    payload = {"small": 1e-7, "large": 1.5e300}
    body = JSONRenderer().render(payload)
    assert json.loads(body) == json.loads(DrfJSONRenderer().render(payload)) == payload


def test_indent_and_empty_bodies_as_drf():
    context = {"indent": 2}
    payload = {"a": [1, {"b": "日本語"}]}
    assert JSONRenderer().render(payload, renderer_context=context) == \
        DrfJSONRenderer().render(payload, renderer_context=context)
    assert JSONRenderer().render(None) == b""


@pytest.mark.django_db
def test_api_answers_through_it(api_as, open_round):
    response = api_as("officer").get("/api/v1/rounds/")
    assert response.status_code == 200
    assert isinstance(response.accepted_renderer, JSONRenderer)
    assert response.content == DrfJSONRenderer().render(response.data)
