"""Reads for the application pages, exports and API (the selectors)."""

from django.db.models import Count, Prefetch
from django.utils import timezone

from grants.models import FundingRound

from .models import Application, ApplicationVersion


def applications_for_screening(user):
    """The staff list: submitted and later applications the user may see.
    Drafts stay private to their organisation until submitted."""
    return (
        Application.objects.visible_to(user)
        .exclude(status=Application.Status.DRAFT)
        .select_related("funding_round__programme", "organisation", "theme", "tier")
    )


def applications_listed_for(user):
    """The API list: the screening list for staff and oversight, everything
    in scope (drafts included) for applicants."""
    from core.policies import sees_all_programmes

    if sees_all_programmes(user):
        return applications_for_screening(user)
    return Application.objects.visible_to(user).select_related(
        "funding_round__programme", "organisation", "theme", "tier"
    )


def status_counts(queryset) -> list[dict]:
    """[{status, label, count}] in the order of Application.Status."""
    counts = dict(
        queryset.order_by().values_list("status").annotate(n=Count("id"))
    )
    return [
        {"status": value, "label": label, "count": counts.get(value, 0)}
        for value, label in Application.Status.choices
        if counts.get(value)
    ]


def applications_of_member(user):
    """The applicant's dashboard: every application of their organisations."""
    from core.policies import of_member

    return (
        Application.objects.filter(of_member(user))
        .select_related("funding_round__programme", "organisation", "theme", "tier")
        .prefetch_related(
            Prefetch("versions", queryset=ApplicationVersion.objects.order_by("number"))
        )
        .order_by("funding_round__closes_at", "-updated_at")
    )


def rounds_accepting_now():
    now = timezone.now()
    return (
        FundingRound.objects.filter(
            status=FundingRound.Status.OPEN, opens_at__lte=now, closes_at__gt=now
        )
        .select_related("programme")
        .order_by("closes_at")
    )


def application_for_page(queryset, user, pk):
    """One application with what its pages show, scoped to the user."""
    from core.views import get_visible_or_404

    return get_visible_or_404(
        queryset.select_related("funding_round__programme", "organisation", "theme", "tier"),
        user, pk=pk,
    )


def days_left(closes_at) -> int:
    """Whole days from today to the closing day, in Japan time."""
    return (timezone.localtime(closes_at).date() - timezone.localdate()).days
