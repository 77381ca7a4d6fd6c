"""Celery task of the model report. It takes an id and is safe to run twice:
a finished job is left alone, a failed or interrupted one is built again.

NOTE: Celery's autodiscovery imports `reporting.tasks` only; that module
imports this one so a worker knows the task.
"""

from celery import shared_task


@shared_task(name="reporting.generate_model_report")
def generate_model_report(job_id: int) -> None:
    from ..model_report import run_model_report_job

    run_model_report_job(job_id)
