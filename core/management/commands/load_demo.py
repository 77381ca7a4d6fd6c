"""Load demo data for every app, idempotently: `python manage.py load_demo`.

Each app that has demo data provides `<app>/demo.py` with `load(out)`; they
run in INSTALLED_APPS order (lowest first), so core names no higher app.
"""

import logging
from importlib import import_module
from importlib.util import find_spec

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction
from django.test.utils import override_settings


class Command(BaseCommand):
    help = "Create demo programmes, rounds, users and organisations (safe to run again)."

    def handle(self, *args, **options):
        # NOTE: demo e-mails (receipts, invitations) stay in memory, and eager
        # Celery's "Task … succeeded" lines stay quiet, so the console of
        # `make run` shows the logins.
        trace = logging.getLogger("celery.app.trace")
        level = trace.level
        trace.setLevel(logging.WARNING)
        try:
            with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
                logins = self._load_all()
        finally:
            trace.setLevel(level)
        if logins:
            self.stdout.write(self.style.SUCCESS("Demo logins (e-mail / password / role):"))
            for email, password, role in logins:
                self.stdout.write(f"  {email:<32} {password:<14} {role}")
            self.stdout.write(
                "Programme staff, oversight and reviewer logins (admin too) set up two-factor "
                "authentication at their first login: scan the QR code with an authenticator "
                "app, or type the secret key shown under it (README: Accounts and sign-in "
                "security)."
            )

    def _load_all(self) -> list[tuple[str, str, str]]:
        logins: list[tuple[str, str, str]] = []
        for config in apps.get_app_configs():
            module_name = f"{config.name}.demo"
            if find_spec(module_name) is None:
                continue
            with transaction.atomic():
                module = import_module(module_name)
                logins.extend(module.load(self.stdout) or [])
        return logins
