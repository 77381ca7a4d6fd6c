"""The API application list without model instances (issue 12).

`ApplicationSummaryOutput` describes a list row (and the schema); building
50 rows through it made five model instances and fifteen serializer fields a
row, ten times the cost of the queries. `summary_rows` reads only the row's
columns with `values()` and writes the same JSON values: the same keys,
labels in the request's language, times as DRF writes them (ISO 8601 in
Japan time). tests/api/test_application_list_rows.py holds it equal to the
serializer.
"""

from django.db.models import Count
from django.utils import timezone

from applications.models import Application
from core.statements import Statement, Statements

COLUMNS = (
    "id", "status", "funding_round_id", "funding_round__programme__code", "organisation_id",
    "organisation__name", "theme_id", "tier_id", "title", "requested_yen", "receipt_number",
    "submitted_at", "lock_version",
)


def _when(value, zone) -> str:
    """As rest_framework.fields.DateTimeField writes it (ISO 8601 in the
    current time zone, "Z" for UTC)."""
    text = value.astimezone(zone).isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


STATEMENTS = Statements()


class Rows:
    """The list for the paginator: counted as it is (no joins in the COUNT),
    sliced as values() rows of COLUMNS.

    With a `key` (the unfiltered list: core.policies.scope_key of the user),
    the COUNT and each page are compiled once per process and key, and after
    that only run: the scopes filter with subqueries on the user's id, so one
    key always means the same SQL and parameters, whatever the data. Without
    a key (filters, search, sorting) the queryset runs as usual."""

    ordered = True

    def __init__(self, queryset, key=None):
        # `queryset`: a QuerySet, or a callable that builds it (not called
        # when every statement is already compiled).
        self._queryset, self.key = queryset, key

    @property
    def queryset(self):
        if callable(self._queryset):
            self._queryset = self._queryset()
        return self._queryset

    def count(self) -> int:
        if self.key is None:
            return self.queryset.count()
        rows = STATEMENTS.get(("count", self.key), self._count_statement).rows()
        return rows[0][0] if rows else 0

    def _count_statement(self) -> Statement:
        query = self.queryset.query.chain()
        query.clear_ordering(force=True)
        query.clear_select_clause()
        query.add_annotation(Count("*"), alias="__count", select=True)
        return Statement(query, self.queryset.db)

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index):
        if self.key is None or not isinstance(index, slice):
            return self.queryset.values(*COLUMNS)[index]

        def build() -> Statement:
            page = self.queryset.values(*COLUMNS)[index]
            return Statement(page.query, page.db)

        statement = STATEMENTS.get(("page", self.key, index.start, index.stop), build)
        return [dict(zip(statement.names, row, strict=True)) for row in statement.rows()]


def summary_rows(rows) -> list[dict]:
    """`rows` from `queryset.values(*COLUMNS)`, as ApplicationSummaryOutput."""
    labels = {value: str(label) for value, label in Application.Status.choices}
    zone = timezone.get_current_timezone()
    out = []
    for row in rows:
        submitted_at = row["submitted_at"]
        out.append({
            "id": row["id"],
            "status": row["status"],
            "status_label": labels.get(row["status"], row["status"]),
            "funding_round": row["funding_round_id"],
            "programme": row["funding_round__programme__code"],
            "organisation": row["organisation_id"],
            "organisation_name": row["organisation__name"],
            "theme": row["theme_id"],
            "tier": row["tier_id"],
            "title": row["title"],
            "requested_yen": row["requested_yen"],
            "receipt_number": row["receipt_number"],
            "submitted_at": None if submitted_at is None else _when(submitted_at, zone),
            "lock_version": row["lock_version"],
        })
    return out
