"""The embedded SQLite file holds a burst of concurrent writers.

pytest-django runs SQLite tests on an in-memory database, which has neither
WAL nor file locks, so the burst runs in a subprocess against the real
settings (config.settings.base) with a fresh file under a temporary DATA_DIR.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

pytestmark = pytest.mark.skipif(
    bool(os.environ.get("DATABASE_URL")),
    reason="DATABASE_URL is set: the suite runs on PostgreSQL, not the embedded SQLite file",
)

THREADS = 8
TRANSACTIONS_PER_THREAD = 25

SCRIPT = r"""
import json, sqlite3, sys, threading

import django
django.setup()

from django.contrib.auth.models import Group
from django.core.management import call_command
from django.db import connection, connections, transaction

call_command("migrate", "auth", verbosity=0)
threads, per_thread = int(sys.argv[1]), int(sys.argv[2])
errors = []
start = threading.Barrier(threads)


def writer(n):
    try:
        start.wait()
        for i in range(per_thread):
            # Read, then write, in one transaction: under DEFERRED the read
            # lock cannot be upgraded while another writer holds the file and
            # SQLite fails at once with "database is locked".
            with transaction.atomic():
                Group.objects.count()
                Group.objects.create(name=f"burst-{n}-{i}")
    except Exception as exc:
        errors.append(f"{type(exc).__name__}: {exc}")
    finally:
        connections.close_all()


workers = [threading.Thread(target=writer, args=(n,)) for n in range(threads)]
for worker in workers:
    worker.start()
for worker in workers:
    worker.join()

with connection.cursor() as cursor:
    journal_mode = cursor.execute("PRAGMA journal_mode").fetchone()[0]
    busy_timeout = cursor.execute("PRAGMA busy_timeout").fetchone()[0]
    foreign_keys = cursor.execute("PRAGMA foreign_keys").fetchone()[0]

# IMMEDIATE takes the write lock at BEGIN: while a transaction is open, even
# before it writes, a second writer that will not wait is refused.
blocked = False
with transaction.atomic():
    other = sqlite3.connect(str(connection.settings_dict["NAME"]), timeout=0)
    try:
        other.execute("BEGIN IMMEDIATE")
    except sqlite3.OperationalError as exc:
        blocked = "locked" in str(exc)
    other.close()

print(json.dumps({
    "errors": errors,
    "rows": Group.objects.filter(name__startswith="burst-").count(),
    "names": len(set(Group.objects.values_list("name", flat=True))),
    "journal_mode": journal_mode,
    "busy_timeout": busy_timeout,
    "foreign_keys": foreign_keys,
    "transaction_mode": connection.transaction_mode,
    "begin_blocks_other_writers": blocked,
    "database": str(connection.settings_dict["NAME"]),
}))
"""


@pytest.fixture(scope="module")
def burst(tmp_path_factory):
    data_dir = tmp_path_factory.mktemp("sqlite-burst")
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "CELERY_BROKER_URL", "REDIS_CACHE_URL"}
    }
    env.update(DJANGO_SETTINGS_MODULE="config.settings.base", DATA_DIR=str(data_dir))
    done = subprocess.run(  # noqa: S603
        [sys.executable, "-c", SCRIPT, str(THREADS), str(TRANSACTIONS_PER_THREAD)],
        cwd=settings.BASE_DIR, env=env, capture_output=True, text=True, timeout=180,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1]), data_dir


def test_burst_of_concurrent_writes_completes_without_database_is_locked(burst):
    result, data_dir = burst
    assert result["errors"] == []
    assert result["rows"] == THREADS * TRANSACTIONS_PER_THREAD
    assert result["names"] == THREADS * TRANSACTIONS_PER_THREAD
    assert Path(result["database"]) == data_dir / "db.sqlite3"


def test_wal_journal_immediate_transactions_and_busy_timeout_are_in_effect(burst):
    result, _ = burst
    assert result["journal_mode"] == "wal"
    assert result["transaction_mode"] == "IMMEDIATE"
    assert result["begin_blocks_other_writers"] is True
    assert result["busy_timeout"] >= 10_000
    assert result["foreign_keys"] == 1
