"""Test settings: base plus fast hashing, locmem e-mail and cache, eager Celery."""

import os
import tempfile

os.environ.setdefault("DJANGO_DEBUG", "0")
os.environ.setdefault("DJANGO_SECRET_KEY", "test-secret-key-not-for-production-0123456789abcdef")
os.environ.setdefault("DJANGO_SECURE", "0")
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")
os.environ.setdefault("DATA_DIR", tempfile.mkdtemp(prefix="kodoku-test-"))

from .base import *  # noqa: E402,F403
from .base import CACHES as CONFIGURED_CACHES  # noqa: E402
from .base import LOGGING, STORAGES  # noqa: E402

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# NOTE: Django's test runner sets EMAIL_BACKEND to locmem anyway; the outbox
# delivers to locmem too, so django.core.mail.outbox sees delivered mail.
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
OUTBOX_DELIVERY_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
if os.environ.get("REDIS_CACHE_URL"):
    # NOTE: tests keep a per-process default cache so they cannot leak into
    # each other; the configured Redis cache stays reachable for the
    # connection test in tests/core/test_services_connect.py.
    CACHES["redis"] = {**CONFIGURED_CACHES["default"], "KEY_PREFIX": f"test-{os.getpid()}"}
# Tasks run in-process even when CELERY_BROKER_URL names a real broker.
CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
# Sessions made by the test client's force_login count as two-factor
# verified (tests/conftest.py marks them); nothing else sets this.
OTP_TRUST_FORCE_LOGIN = True
# django-axes logs every login at INFO; tests log in thousands of times.
LOGGING = {**LOGGING, "loggers": {"axes": {"level": "WARNING"}}}
