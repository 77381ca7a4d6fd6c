"""The report form never loses what was typed (issue 13.2): an activity row
saved in the background survives 下書き保存, and a submit refused by the
personal-data check comes back with every activity row as typed."""

import pytest
from django.urls import reverse

from tests.factories import ReportFactory

pytestmark = pytest.mark.django_db


def _page_data(report, **extra) -> dict:
    """What the freshly loaded edit page posts: one empty extra activity row."""
    return {"lock_version": report.lock_version, "summary": "", "act-TOTAL_FORMS": 1,
            "act-INITIAL_FORMS": 0, "act-0-sessions_held": 0, "act-0-participants_total": 0,
            **extra}


ROW = {"act-0-name": "居場所カフェ", "act-0-description": "毎週土曜",
       "act-0-sessions_held": 12, "act-0-participants_total": 150}


def test_an_autosaved_activity_survives_saving_the_draft(client, award, applicant):
    report = ReportFactory(award=award, kind="interim", by=applicant)
    client.force_login(applicant)
    data = _page_data(report, summary="毎週開催", **ROW)
    autosaved = client.post(reverse("reporting:report_autosave", args=[report.pk]), data)
    assert autosaved.status_code == 200
    assert report.activities.get().name == "居場所カフェ"

    # The page is the same one (INITIAL_FORMS still 0); only the version moved on.
    data["lock_version"] = autosaved.json()["lock_version"]
    response = client.post(reverse("reporting:report_edit", args=[report.pk]),
                           {**data, "action": "save"})
    assert response.status_code == 302
    activity = report.activities.get()
    assert (activity.name, activity.sessions_held, activity.participants_total) == (
        "居場所カフェ", 12, 150)


def test_a_submit_refused_for_personal_data_keeps_every_activity_row(client, award, applicant):
    report = ReportFactory(award=award, kind="interim", by=applicant)
    client.force_login(applicant)
    data = _page_data(report, summary="連絡は 090-1234-5678 まで", action="submit",
                      **{"act-TOTAL_FORMS": 2, **ROW, "act-1-name": "訪問",
                         "act-1-sessions_held": 3, "act-1-participants_total": 9})
    response = client.post(reverse("reporting:report_edit", args=[report.pk]), data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "居場所カフェ" in page and "毎週土曜" in page and "訪問" in page
    formset = response.context["formset"]
    assert [f["name"].value() for f in formset.forms if f["name"].value()] == ["居場所カフェ", "訪問"]
    report.refresh_from_db()
    assert report.status == "draft"
    assert sorted(report.activities.values_list("name", flat=True)) == ["居場所カフェ", "訪問"]
    # The page carries the saved version: saving again works without a conflict.
    again = dict(data, action="save", lock_version=response.context["form"]["lock_version"].value())
    assert client.post(reverse("reporting:report_edit", args=[report.pk]), again).status_code == 302
    assert report.activities.count() == 2
