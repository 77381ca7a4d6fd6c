"""Demo applications load in both programmes and loading again changes nothing."""

import io

import pytest

from accounts import demo as accounts_demo
from applications import demo
from applications.models import Application, ApplicationVersion
from applications.rules import application_problems
from grants import demo as grants_demo

pytestmark = pytest.mark.django_db


def load_all():
    out = io.StringIO()
    accounts_demo.load(out)
    grants_demo.load(out)
    demo.load(out)


def test_demo_applications_in_both_programmes_idempotently(mailoutbox):
    load_all()
    rows = set(Application.objects.values_list("funding_round__programme__code", "status"))
    assert rows == {
        (demo.CODE_A, "submitted"), (demo.CODE_A, "draft"), (demo.CODE_A, "returned"),
        (demo.CODE_B, "submitted"), (demo.CODE_B, "draft"),
    }
    for version in ApplicationVersion.objects.select_related("application"):
        assert version.receipt_number == version.application.receipt_number
    submitted = Application.objects.filter(status="submitted")
    assert all(application_problems(a) == [] for a in submitted)

    before = (list(Application.objects.order_by("pk").values()),
              list(ApplicationVersion.objects.order_by("pk").values()))
    load_all()
    after = (list(Application.objects.order_by("pk").values()),
             list(ApplicationVersion.objects.order_by("pk").values()))
    assert after == before
