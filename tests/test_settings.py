"""Settings come from environment values only: the same code runs on the
embedded SQLite + eager Celery and on PostgreSQL + Redis."""

import json
import os
import secrets
import subprocess
import sys

from django.conf import settings

SERVICE_VARIABLES = {"DATABASE_URL", "CELERY_BROKER_URL", "REDIS_CACHE_URL"}

PROBE = r"""
import json
from config.settings import base
db = base.DATABASES["default"]
print(json.dumps({
    "engine": db["ENGINE"],
    "name": str(db["NAME"]),
    "host": db.get("HOST", ""),
    "options": db.get("OPTIONS", {}),
    "broker": base.CELERY_BROKER_URL,
    "eager": base.CELERY_TASK_ALWAYS_EAGER,
    "cache": base.CACHES["default"]["BACKEND"],
    "cache_location": base.CACHES["default"].get("LOCATION", ""),
    "debug": base.DEBUG,
}))
"""


def _run(args, tmp_path, **environment):
    env = {key: value for key, value in os.environ.items() if key not in SERVICE_VARIABLES}
    env = {key: value for key, value in env.items() if not key.startswith("DJANGO_")}
    env.update(DATA_DIR=str(tmp_path), DJANGO_SETTINGS_MODULE="config.settings.base")
    env.update(environment)
    return subprocess.run(  # noqa: S603
        [sys.executable, *args], cwd=settings.BASE_DIR, env=env,
        capture_output=True, text=True, timeout=120,
    )


def _settings(tmp_path, **environment) -> dict:
    done = _run(["-c", PROBE], tmp_path, **environment)
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout)


def test_default_is_a_sqlite_file_with_wal_and_immediate_transactions_and_eager_celery(tmp_path):
    values = _settings(tmp_path)
    assert values["engine"] == "django.db.backends.sqlite3"
    assert values["name"] == str(tmp_path / "db.sqlite3")
    assert values["options"]["transaction_mode"] == "IMMEDIATE"
    assert values["options"]["timeout"] >= 10
    assert "journal_mode=WAL" in values["options"]["init_command"]
    assert values["broker"] == ""
    assert values["eager"] is True
    assert values["cache"] == "django.core.cache.backends.locmem.LocMemCache"
    assert values["debug"] is True


def test_environment_values_switch_to_postgresql_redis_broker_and_redis_cache(tmp_path):
    values = _settings(
        tmp_path,
        DATABASE_URL="postgres://grants:pw@db.internal:5432/kodoku",
        CELERY_BROKER_URL="redis://broker.internal:6379/0",
        REDIS_CACHE_URL="redis://cache.internal:6379/1",
    )
    assert values["engine"] == "django.db.backends.postgresql"
    assert (values["name"], values["host"]) == ("kodoku", "db.internal")
    assert values["broker"] == "redis://broker.internal:6379/0"
    assert values["eager"] is False
    assert values["cache"] == "django.core.cache.backends.redis.RedisCache"
    assert values["cache_location"] == "redis://cache.internal:6379/1"


def test_debug_off_without_a_secret_key_refuses_to_start(tmp_path):
    done = _run(["-c", PROBE], tmp_path, DJANGO_DEBUG="0")
    assert done.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in done.stderr


def _production_environment() -> dict:
    return {
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(64),
        "DJANGO_ALLOWED_HOSTS": "grants.example.jp",
        "DJANGO_SECURE": "1",
    }


def test_check_deploy_passes_with_production_values(tmp_path):
    environment = {
        **_production_environment(),
        "DATABASE_URL": "postgres://grants@db.internal:5432/kodoku",
        "CELERY_BROKER_URL": "redis://broker.internal:6379/0",
        "REDIS_CACHE_URL": "redis://cache.internal:6379/1",
    }
    done = _run(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"], tmp_path, **environment
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "no issues" in done.stdout


def test_check_deploy_fails_when_production_turns_https_off(tmp_path):
    """The deploy check is a real gate, not a formality."""
    environment = {**_production_environment(), "DJANGO_SECURE": "0"}
    done = _run(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"], tmp_path, **environment
    )
    assert done.returncode != 0
    assert "security.W" in done.stdout + done.stderr
