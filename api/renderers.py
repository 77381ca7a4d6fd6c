"""JSON through orjson (issue 12).

The API list spent more time in `json.dumps` than in its three queries. orjson
writes the same bytes as DRF's JSONRenderer with the project's settings
(UTF-8, compact separators) several times faster. What orjson would write
differently goes through DRF's own encoder instead: datetimes, dates and times
(DRF writes milliseconds and "Z"), decimals, lazy translations, UUIDs and
subclasses of the built-in types. Floats in exponent form are the one
difference left: orjson writes 1e-7 where json.dumps writes 1e-07, the same
number. tests/api/test_renderer.py holds the two
renderers to the same output.
"""

import orjson
from rest_framework.renderers import JSONRenderer as DrfJSONRenderer
from rest_framework.utils.encoders import JSONEncoder

_encoder = JSONEncoder()
_OPTIONS = (
    orjson.OPT_NON_STR_KEYS | orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_PASSTHROUGH_SUBCLASS
    | orjson.OPT_PASSTHROUGH_DATACLASS
)


def _default(value):
    return _encoder.default(value)


class JSONRenderer(DrfJSONRenderer):
    def render(self, data, accepted_media_type=None, renderer_context=None):
        if data is None:
            return b""
        if self.get_indent(accepted_media_type, renderer_context or {}) is not None:
            return super().render(data, accepted_media_type, renderer_context)
        try:
            body = orjson.dumps(data, default=_default, option=_OPTIONS)
        except TypeError:
            # Integers beyond 64 bits and the like: DRF's renderer knows them.
            return super().render(data, accepted_media_type, renderer_context)
        # As DRF does: U+2028 and U+2029 escaped, so the JSON is also valid JavaScript.
        if b"\xe2\x80\xa8" in body or b"\xe2\x80\xa9" in body:
            body = body.replace(b"\xe2\x80\xa8", b"\\u2028").replace(b"\xe2\x80\xa9", b"\\u2029")
        return body
