"""The model report job: queued on commit, built in the background with its
progress stored, safe to run twice, downloadable by staff and oversight."""

import pytest
from django.urls import reverse

from reporting.findings.models import ModelReportJob
from reporting.findings.services import request_model_report
from reporting.findings.tasks import generate_model_report

from .helpers import PERSONAS, pdf_numbers

pytestmark = pytest.mark.django_db


def test_request_builds_the_pdf_after_commit(portfolio, officer,
                                             django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        job = request_model_report(programme=portfolio.programme, fiscal_year=2026, by=officer)
    assert (job.status, len(callbacks)) == ("queued", 1)

    callbacks[0]()

    job.refresh_from_db()
    assert job.status == "done" and job.is_ready
    assert job.progress_done == job.progress_total == 3  # start, one theme, finish
    with job.file.open("rb") as pdf:
        assert 190 in pdf_numbers(pdf.read())


def test_asking_again_while_queued_returns_the_same_job(portfolio, officer,
                                                        django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        first = request_model_report(programme=portfolio.programme, fiscal_year=2026, by=officer)
        second = request_model_report(programme=portfolio.programme, fiscal_year=2026, by=officer)

    assert first.pk == second.pk
    assert ModelReportJob.objects.count() == 1


def test_running_the_task_twice_is_harmless(portfolio, officer,
                                            django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        job = request_model_report(programme=portfolio.programme, fiscal_year=2026, by=officer)
    job.refresh_from_db()
    name, finished = job.file.name, job.finished_at

    generate_model_report(job.pk)

    job.refresh_from_db()
    assert (job.status, job.file.name, job.finished_at) == ("done", name, finished)


def test_a_failure_is_recorded_on_the_job(portfolio, officer, monkeypatch,
                                          django_capture_on_commit_callbacks):
    def broken(*args, **kwargs):
        raise RuntimeError("font missing")

    monkeypatch.setattr("reporting.model_report.build_model_report", broken)
    with django_capture_on_commit_callbacks(execute=True):
        job = request_model_report(programme=portfolio.programme, fiscal_year=2026, by=officer)

    job.refresh_from_db()
    assert (job.status, job.error) == ("failed", "font missing")
    # A failed job does not block a new one.
    monkeypatch.undo()
    with django_capture_on_commit_callbacks(execute=True):
        again = request_model_report(programme=portfolio.programme, fiscal_year=2026, by=officer)
    again.refresh_from_db()
    assert again.pk != job.pk and again.status == "done"


def test_page_shows_progress_then_the_download(client, officer, programme):
    job = ModelReportJob.objects.create(programme=programme, fiscal_year=2026,
                                        status="running", progress_done=2, progress_total=5)
    client.force_login(officer)
    url = reverse("reporting:model_report_job", args=[job.pk])

    html = client.get(url).content.decode()
    status = client.get(url, {"format": "json"}).json()

    assert 'http-equiv="refresh"' in html and 'value="2"' in html
    assert (status["status"], status["percent"], status["download_url"]) == ("running", 40, None)
    assert client.get(reverse("reporting:model_report_download", args=[job.pk])).status_code == 404


def test_dashboard_form_queues_the_report(client, officer, portfolio,
                                          django_capture_on_commit_callbacks):
    client.force_login(officer)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("reporting:model_report_new"),
                               {"programme": portfolio.programme.pk, "fiscal_year": 2026})

    job = ModelReportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("reporting:model_report_job", args=[job.pk])
    assert job.status == "done"  # Celery runs eagerly in tests
    html = client.get(response["Location"]).content.decode()
    assert reverse("reporting:model_report_download", args=[job.pk]) in html


DOWNLOAD = {"applicant": 404, "outsider": 404, "reviewer": 404, "oversight": 200,
            "other_officer": 200, "officer": 200}
GENERATE = {"applicant": 404, "outsider": 404, "reviewer": 404, "oversight": 302,
            "other_officer": 403, "officer": 302}


@pytest.mark.parametrize("persona", PERSONAS)
def test_who_may_generate_and_download(client, request, persona, programme, officer,
                                       django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        job = request_model_report(programme=programme, fiscal_year=2026, by=officer)
    client.force_login(request.getfixturevalue(persona))

    download = client.get(reverse("reporting:model_report_download", args=[job.pk]))
    generate = client.post(reverse("reporting:model_report_new"),
                           {"programme": programme.pk, "fiscal_year": 2027})

    assert download.status_code == DOWNLOAD[persona]
    if download.status_code == 200:
        assert download["Content-Type"] == "application/pdf"
        assert b"".join(download.streaming_content).startswith(b"%PDF")
    assert generate.status_code == GENERATE[persona]
    assert ModelReportJob.objects.filter(fiscal_year=2027).exists() is (
        GENERATE[persona] == 302)
