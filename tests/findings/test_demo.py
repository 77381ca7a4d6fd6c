"""`load_demo` puts findings with evidence on the demo reports, once."""

from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from reporting import aggregates
from reporting.findings.models import Finding, FindingEvent, FindingEvidence

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def frozen_time():
    """The demo is dated relative to today; run it today, not in 2028."""
    with time_machine.travel(timezone.now(), tick=True):
        yield


def test_demo_findings_are_made_once_with_evidence(demo):
    counts = (Finding.objects.count(), FindingEvidence.objects.count(),
              FindingEvent.objects.count())

    call_command("load_demo", stdout=StringIO())

    assert "demo findings" in demo
    assert counts[0] >= 5 and counts[1] >= counts[0]
    assert (Finding.objects.count(), FindingEvidence.objects.count(),
            FindingEvent.objects.count()) == counts
    assert set(Finding.objects.values_list("kind", flat=True)) == set(Finding.Kind.values)
    figures = aggregates.outcomes(aggregates.OutcomeScope())
    assert figures["totals"]["participants"] > 0
    assert figures["by_target_group"] and figures["by_feature_tag"]
