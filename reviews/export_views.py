"""Downloads of a round's ranking and decisions (CSV, XLSX): staff and
oversight of the round only (others 404), as the pages themselves."""

from django.http import Http404
from django.views.decorators.http import require_GET

from core.views import require_perm

from .exports import export_response
from .views import review_round


@require_GET
def round_export(request, pk, kind, fmt):
    if kind not in ("ranking", "decisions") or fmt not in ("csv", "xlsx"):
        raise Http404
    funding_round = review_round(request, pk)
    require_perm(request.user, "reviews.view_ranking", funding_round)
    return export_response(funding_round, kind, fmt)
