"""The raw-SQL floor for bench/web_lists.py: a WSGI app without Django.

Each request runs the statements the API list ran (read from the JSON file
named by FLOOR_QUERIES: the token lookup, the COUNT and the page query, as
Django sent them) on one DB-API connection per worker, and writes
{"count", "next", "previous", "results"} with json.dumps, the page query's
rows as dicts. It is what the API list cannot beat: the same queries and
the same rows, with nothing in between.
"""

import json
import os
import sqlite3
from datetime import date, datetime

_connection = None


def _connect():
    url = os.environ["FLOOR_DATABASE_URL"]
    if url.startswith("sqlite:///"):
        return sqlite3.connect(url.removeprefix("sqlite:///"), check_same_thread=False)
    import psycopg

    return psycopg.connect(url.replace("postgres://", "postgresql://", 1), autocommit=True)


def _plain(value):
    return value.isoformat() if isinstance(value, date | datetime) else value


with open(os.environ.get("FLOOR_QUERIES", "/dev/null"), encoding="utf-8") as _file:
    QUERIES = json.load(_file) if os.environ.get("FLOOR_QUERIES") else []


def application(environ, start_response):
    global _connection
    if _connection is None:
        _connection = _connect()
    cursor = _connection.cursor()
    count, results = 0, []
    for sql in QUERIES:
        cursor.execute(sql)
        rows = cursor.fetchall()
        if sql.lstrip().upper().startswith("SELECT COUNT("):
            count = rows[0][0]
        else:
            names = [d[0] for d in cursor.description]
            results = [{n: _plain(v) for n, v in zip(names, row, strict=True)} for row in rows]
    body = json.dumps({"count": count, "next": None, "previous": None, "results": results},
                      ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    start_response("200 OK", [("Content-Type", "application/json"),
                              ("Content-Length", str(len(body)))])
    return [body]
