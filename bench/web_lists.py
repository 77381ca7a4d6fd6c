"""Benchmark: the staff application list, an application's page and the API
list, served as in production (gunicorn -w 2, DEBUG off), next to a raw SQL +
json.dumps floor over the same rows and the same queries (bench/_floor.py).

For each engine (SQLite always; PostgreSQL when DATABASE_URL names one) and
N = 1,000 and 10,000 applications (bench/_seed.py): the queries each page
runs, req/s and latency at 10 connections (Debian's wrk, or a bounded Python
client when wrk is missing), the API's share of the floor's req/s, the time
of the list queries and, at the largest N, their EXPLAIN plans.

All traffic goes to 127.0.0.1 on ports 18120 (the app) and 18121 (the floor)
only; every load run is bounded in time (--seconds, default 8).

    .venv/bin/python bench/web_lists.py                  # human-readable
    .venv/bin/python bench/web_lists.py --json           # rows for bench/run.py
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/kodoku_bench \\
        .venv/bin/python bench/web_lists.py --sizes 1000,10000 --seconds 10
    .venv/bin/python bench/web_lists.py --api-only        # the API list and the floor only
"""

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
APP_PORT, FLOOR_PORT = 18120, 18121
SECRET = "bench-secret-key-not-for-production-0123456789abcdef"
CONNECTIONS = 10
PAGES = ("staff list", "detail", "API list")
ROUNDS = 4  # alternating API/floor runs (side_by_side)


def _arg(name: str, default: str) -> str:
    return sys.argv[sys.argv.index(name) + 1] if name in sys.argv else default


# --- Load ---------------------------------------------------------------------------


def _wrk(url: str, headers: dict, seconds: int) -> dict:
    command = ["wrk", "-t2", f"-c{CONNECTIONS}", f"-d{seconds}s", "--latency", "--timeout", "10s"]
    for name, value in headers.items():
        command += ["-H", f"{name}: {value}"]
    out = subprocess.run(command + [url], capture_output=True, text=True, check=True,
                         timeout=seconds + 30).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    latency = {p: _ms(re.search(rf"\s{p}%\s+([\d.]+\w+)", out).group(1)) for p in ("50", "99")}
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {"rps": rps, "p50_ms": latency["50"], "p99_ms": latency["99"],
            "errors": int(errors.group(1)) if errors else 0, "client": "wrk"}


def _ms(text: str) -> float:
    value, unit = re.match(r"([\d.]+)(\w+)", text).groups()
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def _python_load(url: str, headers: dict, seconds: int) -> dict:
    """At most 10 threads × 5,000 requests, for at most `seconds`."""
    import http.client
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    deadline = time.perf_counter() + seconds
    latencies, errors, lock = [], [0], threading.Lock()

    def worker():
        conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
        for _ in range(5_000):
            if time.perf_counter() > deadline:
                break
            started = time.perf_counter()
            conn.request("GET", parts.path or "/", headers=headers)
            response = conn.getresponse()
            response.read()
            with lock:
                latencies.append((time.perf_counter() - started) * 1000)
                errors[0] += response.status >= 400
        conn.close()

    started = time.perf_counter()
    threads = [threading.Thread(target=worker) for _ in range(CONNECTIONS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - started
    latencies.sort()
    return {"rps": len(latencies) / elapsed, "p50_ms": latencies[len(latencies) // 2],
            "p99_ms": latencies[int(len(latencies) * 0.99)], "errors": errors[0],
            "client": "python"}


def load(url: str, headers: dict, seconds: int) -> dict:
    check = urllib.request.Request(url, headers=headers)
    with urllib.request.urlopen(check, timeout=30) as response:  # noqa: S310 - 127.0.0.1 only
        assert response.status == 200 and response.url == url, (url, response.url)
    if shutil.which("wrk"):
        return _wrk(url, headers, seconds)
    return _python_load(url, headers, seconds)


def side_by_side(api_url: str, api_headers: dict, floor_url: str, seconds: int,
                 rounds: int = ROUNDS) -> tuple[dict, dict]:
    """The API list and the floor in alternating short runs (A B B A A B ...), so
    a load that comes and goes on a shared machine falls on both alike. Each
    figure is the median over the rounds; the share is the median of the
    rounds' own ratios."""
    runs = {"api": [], "floor": []}
    each = max(2, seconds // 2)
    for k in range(rounds):
        order = ("api", "floor") if k % 2 == 0 else ("floor", "api")
        for which in order:
            url, headers = (api_url, api_headers) if which == "api" else (floor_url, {})
            runs[which].append(load(url, headers, each))

    def median(values):
        values = sorted(values)
        middle = len(values) // 2
        return values[middle] if len(values) % 2 else (values[middle - 1] + values[middle]) / 2

    def summary(items):
        return {"rps": median([m["rps"] for m in items]),
                "p50_ms": median([m["p50_ms"] for m in items]),
                "p99_ms": median([m["p99_ms"] for m in items]),
                "errors": sum(m["errors"] for m in items), "client": items[0]["client"],
                "rounds": [round(m["rps"], 1) for m in items]}

    api, floor = summary(runs["api"]), summary(runs["floor"])
    api["share"] = median([a["rps"] / f["rps"] for a, f in
                           zip(runs["api"], runs["floor"], strict=True)])
    return api, floor


# --- Servers ------------------------------------------------------------------------


def _serve(app: str, port: int, env: dict) -> subprocess.Popen:
    server = subprocess.Popen(
        [str(Path(sys.executable).parent / "gunicorn"), "-w", "2", "-b", f"127.0.0.1:{port}",
         "--log-level", "warning", app],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        start_new_session=True,
    )
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2)  # noqa: S310
            return server
        except urllib.error.HTTPError:
            return server  # it answers (a redirect to the login page, a 401)
        except OSError:
            time.sleep(0.3)
    server.kill()
    raise RuntimeError(f"{app} did not start on port {port}: {server.stderr.read()[-500:]}")


def _stop(server: subprocess.Popen) -> None:
    os.killpg(server.pid, signal.SIGTERM)
    try:
        server.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)


# --- One engine, in its own process ---------------------------------------------------


def _explain(connection, sql: str) -> tuple[list[str], float]:
    """The plan and the best of five runs of the statement (ms)."""
    with connection.cursor() as cursor:
        prefix = "EXPLAIN " if connection.vendor == "postgresql" else "EXPLAIN QUERY PLAN "
        cursor.execute(prefix + sql)
        plan = [" | ".join(str(c) for c in row) if connection.vendor != "postgresql" else row[0]
                for row in cursor.fetchall()]
        best = float("inf")
        for _ in range(5):
            started = time.perf_counter()
            cursor.execute(sql)
            cursor.fetchall()
            best = min(best, (time.perf_counter() - started) * 1000)
    return plan, best


def _kind(sql: str) -> str:
    if "COUNT(" in sql.upper() and "GROUP BY" in sql.upper():
        return "status counts"
    if "COUNT(" in sql.upper():
        return "count"
    return "page"


def run_engine(url: str, sizes: list[int], seconds: int) -> list[dict]:
    os.environ.update({"DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "config.settings.test",
                       "DJANGO_SECRET_KEY": SECRET})
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.sessions.backends.db import SessionStore
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice
    from rest_framework.authtoken.models import Token

    from bench._seed import seed

    call_command("migrate", verbosity=0)
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.base", "DJANGO_DEBUG": "0",
           "DJANGO_SECURE": "0", "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
           "DATA_DIR": tempfile.mkdtemp(prefix="kodoku-bench-"), "DB_CONN_MAX_AGE": "600"}
    env.pop("REDIS_CACHE_URL", None)
    env.pop("CELERY_BROKER_URL", None)
    subprocess.run([sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"],
                   cwd=ROOT, env=env, check=True)
    results = []
    for n in sizes:
        call_command("flush", interactive=False, verbosity=0)
        data = seed(n)
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")  # as autovacuum would after a bulk load
        staff = data["staff"]
        token = Token.objects.create(user=staff).key
        # Programme staff give a one-time code after the password: the session
        # names their (confirmed) TOTP device, as django_otp.login leaves it.
        device = TOTPDevice.objects.create(user=staff, name="bench", confirmed=True)
        session = SessionStore()
        session.update({"_auth_user_id": str(staff.pk), "_auth_user_hash":
                        staff.get_session_auth_hash(), "_auth_user_backend":
                        "django.contrib.auth.backends.ModelBackend",
                        DEVICE_ID_SESSION_KEY: device.persistent_id})
        session.create()
        detail = data["applications"][n // 2].pk
        paths = {"staff list": "/applications/manage/", "detail": f"/applications/{detail}/",
                 "API list": "/api/v1/applications/"}
        cookie = {"Cookie": f"{settings.SESSION_COOKIE_NAME}={session.session_key}"}
        auth = {"Authorization": f"Token {token}"}
        headers = {"staff list": cookie, "detail": cookie, "API list": auth}
        client = Client()
        client.force_login(staff)
        client_session = client.session
        client_session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        client_session.save()
        api = Client(HTTP_AUTHORIZATION=auth["Authorization"])
        captured = {}
        for page, path in paths.items():
            get = api.get if page == "API list" else client.get
            get(path)
            with CaptureQueriesContext(connection) as queries:
                response = get(path)
            assert response.status_code == 200, (page, response.status_code)
            captured[page] = [q["sql"] for q in queries.captured_queries]
        plans = {}
        for page in ("staff list", "API list"):
            for sql in captured[page]:
                if '"applications_application"' in sql and "django_session" not in sql:
                    plan, ms = _explain(connection, sql)
                    plans[f"{page}: {_kind(sql)}"] = {"plan": plan, "ms": round(ms, 3)}
        queries_file = Path(env["DATA_DIR"]) / "floor.json"
        queries_file.write_text(json.dumps(captured["API list"]), encoding="utf-8")
        connection.close()
        app = _serve("config.wsgi:application", APP_PORT, env)
        floor = _serve("bench._floor:application", FLOOR_PORT,
                       {**env, "FLOOR_DATABASE_URL": url, "FLOOR_QUERIES": str(queries_file)})
        try:
            measured = {page: load(f"http://127.0.0.1:{APP_PORT}{path}", headers[page], seconds)
                        for page, path in paths.items()
                        if page != "API list" and "--api-only" not in sys.argv}
            measured["API list"], measured["floor"] = side_by_side(
                f"http://127.0.0.1:{APP_PORT}{paths['API list']}", headers["API list"],
                f"http://127.0.0.1:{FLOOR_PORT}/api/v1/applications/", seconds)
        finally:
            _stop(app)
            _stop(floor)
        results.append({"engine": connection.vendor, "n": n, "measured": measured,
                        "queries": {p: len(q) for p, q in captured.items()}, "plans": plans})
    call_command("flush", interactive=False, verbosity=0)
    return results


# --- Report ---------------------------------------------------------------------------


def rows_for_run(results: list[dict]) -> list[dict]:
    rows = []
    for r in results:
        floor = r["measured"]["floor"]
        for page in PAGES:
            if page not in r["measured"]:
                continue
            m = r["measured"][page]
            share = (f"; {m['share']:.0%} of the raw-SQL floor (median of {ROUNDS} alternating "
                     f"runs; floor {floor['rps']:.0f} req/s)" if page == "API list" else "")
            target = {"staff list": 1 / 60}.get(page)
            rows.append({
                "bench": "web_lists",
                "case": f"{r['engine']}, N={r['n']:,}: {page}",
                "seconds": round(1 / m["rps"], 4) if m["rps"] else None,
                "target_seconds": round(target, 4) if target else None,
                "figures": f"{r['queries'][page]} queries; {m['rps']:.1f} req/s at "
                           f"{CONNECTIONS} connections; p50 {m['p50_ms']:.1f} ms, p99 "
                           f"{m['p99_ms']:.1f} ms{share}; {m['errors']} errors ({m['client']})",
            })
    return rows


def human(results: list[dict]) -> str:
    lines = [f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}; gunicorn -w 2, DEBUG off, "
             f"{CONNECTIONS} connections; {os.cpu_count()} CPUs; load average "
             f"{os.getloadavg()[0]:.2f}", "",
             "| Engine | N | Page | Queries | req/s | p50 ms | p99 ms | Share of floor |",
             "| --- | ---: | --- | ---: | ---: | ---: | ---: | ---: |"]
    for r in results:
        for page in (*PAGES, "floor"):
            if page not in r["measured"]:
                continue
            m = r["measured"][page]
            share = {"API list": f"{m.get('share', 0):.0%}", "floor": "100%"}.get(page, "")
            queries = r["queries"].get(page, r["queries"]["API list"])
            lines.append(f"| {r['engine']} | {r['n']:,} | {page if page != 'floor' else 'raw SQL floor'} "
                         f"| {queries} | {m['rps']:.1f} | {m['p50_ms']:.1f} | {m['p99_ms']:.1f} "
                         f"| {share} |")
    lines += ["", "List queries, best of 5 (ms):", "",
              "| Engine | Query | " + " | ".join(f"N={r['n']:,}" for r in results[:2]) + " |"]
    by_engine = {}
    for r in results:
        by_engine.setdefault(r["engine"], []).append(r)
    for engine, runs in by_engine.items():
        for name in runs[0]["plans"]:
            cells = " | ".join(f"{run['plans'].get(name, {}).get('ms', '—')}" for run in runs)
            lines.append(f"| {engine} | {name} | {cells} |")
    for engine, runs in by_engine.items():
        largest = runs[-1]
        lines += ["", f"EXPLAIN at N={largest['n']:,} ({engine}):"]
        for name, item in largest["plans"].items():
            lines.append(f"  {name}:")
            lines += [f"    {line}" for line in item["plan"]]
    return "\n".join(lines)


def main() -> list[dict]:
    sizes = [int(s) for s in _arg("--sizes", "1000,10000").split(",")]
    seconds = int(_arg("--seconds", "8"))
    engines = [f"sqlite:///{tempfile.mkdtemp(prefix='kodoku-bench-')}/bench.sqlite3"]
    if os.environ.get("DATABASE_URL", "").startswith("postgres"):
        engines.append(os.environ["DATABASE_URL"])
    results = []
    for url in engines:
        done = subprocess.run(
            [sys.executable, __file__, "--one", url, "--sizes", ",".join(map(str, sizes)),
             "--seconds", str(seconds), *(["--api-only"] if "--api-only" in sys.argv else [])],
            cwd=ROOT, capture_output=True, text=True, check=False, timeout=3600,
        )
        if done.returncode != 0:
            raise RuntimeError(done.stderr[-2000:])
        results.extend(json.loads(done.stdout.strip().splitlines()[-1]))
    return results


if __name__ == "__main__":
    if "--one" in sys.argv:
        print(json.dumps(run_engine(_arg("--one", ""), [int(s) for s in _arg(
            "--sizes", "1000").split(",")], int(_arg("--seconds", "8")))))
        sys.exit(0)
    results = main()
    if "--json" in sys.argv:
        print(json.dumps(rows_for_run(results)))
    else:
        print(human(results))
