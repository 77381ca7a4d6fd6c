"""Delivery backends that stand in for a broken mail server in tests."""

import smtplib

from django.core.mail.backends.base import BaseEmailBackend


class DownBackend(BaseEmailBackend):
    """The SMTP server is unreachable."""

    def send_messages(self, email_messages):
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")


class RefusingBackend(BaseEmailBackend):
    """The server refuses every recipient for good (550)."""

    def send_messages(self, email_messages):
        raise smtplib.SMTPRecipientsRefused(
            {address: (550, b"5.1.1 No such user") for m in email_messages
             for address in m.recipients()}
        )


class WorkerKilled(BaseException):
    """Not an Exception: like SIGKILL, nothing in the worker catches it."""


class KilledWorkerBackend(BaseEmailBackend):
    """The worker dies while it talks to the server."""

    def send_messages(self, email_messages):
        raise WorkerKilled
