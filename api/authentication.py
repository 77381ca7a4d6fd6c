"""Token authentication with its query compiled once (issue 12).

Every API request looks its token up; building and compiling that one query
cost more than the application list's page query. The statement is DRF's
own (`Token.objects.select_related("user").get(key=...)`), compiled with a
placeholder key and run with the request's key; the row becomes the same
Token and User instances as the ORM makes. Refusals are DRF's: an unknown key
or an inactive user is 401 with DRF's messages. tests/api/test_token_statement.py
holds it to DRF's class.
"""

from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions
from rest_framework.authtoken.models import Token

from core.statements import Statement

_PLACEHOLDER = "kodoku-token-placeholder"
_statement = None


def _token_statement() -> Statement:
    global _statement
    if _statement is None:
        queryset = Token.objects.select_related("user").filter(key=_PLACEHOLDER)[:2]
        _statement = Statement(queryset.query, queryset.db, bound=(_PLACEHOLDER,))
    return _statement


def _instance(model, klass_info, row, db):
    fields = model._meta.concrete_fields
    start = klass_info["select_fields"][0]
    values = row[start:start + len(fields)]
    return model.from_db(db, [f.attname for f in fields], values)


class TokenAuthentication(authentication.TokenAuthentication):
    def authenticate_credentials(self, key):
        statement = _token_statement()
        rows = statement.rows(key)
        if len(rows) != 1:
            raise exceptions.AuthenticationFailed(_("Invalid token."))
        info = statement.klass_info
        token = _instance(Token, info, rows[0], statement.db)
        related = info["related_klass_infos"][0]
        user = _instance(related["model"], related, rows[0], statement.db)
        token.user = user
        if not user.is_active:
            raise exceptions.AuthenticationFailed(_("User inactive or deleted."))
        return (user, token)
