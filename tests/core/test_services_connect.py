"""With DATABASE_URL, CELERY_BROKER_URL and REDIS_CACHE_URL set (the CI's
PostgreSQL leg), the suite really talks to PostgreSQL, the broker and Redis."""

import os
import uuid

import pytest
from django.conf import settings
from django.core.cache import caches
from django.db import connection
from kombu import Connection

from config.celery import app as celery_app

needs_database_url = pytest.mark.skipif(
    not os.environ.get("DATABASE_URL"), reason="DATABASE_URL is not set: running on SQLite"
)
needs_broker = pytest.mark.skipif(
    not os.environ.get("CELERY_BROKER_URL"),
    reason="CELERY_BROKER_URL is not set: Celery runs eagerly with no broker",
)
needs_redis_cache = pytest.mark.skipif(
    not os.environ.get("REDIS_CACHE_URL"),
    reason="REDIS_CACHE_URL is not set: the cache is in-process memory",
)


@needs_database_url
def test_database_url_switches_to_postgresql(db):
    assert connection.vendor == "postgresql"
    with connection.cursor() as cursor:
        cursor.execute("SELECT version()")
        assert cursor.fetchone()[0].startswith("PostgreSQL")


@needs_broker
def test_broker_is_reachable_publish_and_consume_one_message():
    broker_url = os.environ["CELERY_BROKER_URL"]
    assert broker_url == settings.CELERY_BROKER_URL
    assert celery_app.conf.broker_url == broker_url
    queue_name = f"kodoku-test-{uuid.uuid4().hex}"
    body = {"ping": queue_name}
    with Connection(broker_url, connect_timeout=5) as conn:
        conn.ensure_connection(max_retries=1)
        queue = conn.SimpleQueue(queue_name)
        try:
            queue.put(body)
            message = queue.get(block=True, timeout=5)
            message.ack()
            assert message.payload == body
        finally:
            queue.queue.delete()
            queue.close()


@needs_broker
def test_tests_still_run_tasks_eagerly_with_a_broker():
    assert settings.CELERY_TASK_ALWAYS_EAGER is True
    assert celery_app.conf.task_always_eager is True


@needs_redis_cache
def test_redis_cache_round_trip():
    cache = caches["redis"]
    assert cache.__class__.__name__ == "RedisCache"
    key = f"round-trip-{uuid.uuid4().hex}"
    cache.set(key, {"yen": 2_000_000, "label": "令和5年度"}, timeout=30)
    try:
        assert cache.get(key) == {"yen": 2_000_000, "label": "令和5年度"}
    finally:
        cache.delete(key)
    assert cache.get(key) is None
