"""Correlated subqueries for list pages (issue 12).

A list that annotates counts of related rows with `Count("x", distinct=True)`
joins every related table at once (themes × tiers × applications for a round)
and then needs GROUP BY and DISTINCT over the product. `count_of` counts each
relation in its own correlated subquery instead, which reads the foreign-key
index and keeps the list query flat however many rows are related.
"""

from django.db.models import Count, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce


def count_of(queryset, field: str, outer: str = "pk"):
    """COUNT of `queryset` rows whose `field` is the outer row's `outer`;
    0 when there are none. `count_of(Theme.objects, "funding_round")`."""
    counted = (
        queryset.filter(**{field: OuterRef(outer)}).order_by()
        .values(field).annotate(n=Count("pk")).values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))
