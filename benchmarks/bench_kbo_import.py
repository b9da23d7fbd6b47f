"""Time the KBO open-data import and the enterprise lookup on PostgreSQL and SQLite.

    .venv/bin/python benchmarks/bench_kbo_import.py \
        --zip var/bench/KboOpenData_0140_2025_06_Full.zip \
        --postgres postgres://postgres@127.0.0.1:5432/wib_bench --sqlite var/bench/bench.sqlite3

Each database is recreated empty (registry tables only), the import runs as a child process
(`manage.py import_kbo`, under `nice`) whose peak resident memory is read with getrusage, then
a second child times N lookups of `enterprise_details` and prints the median.
"""

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PYTHON = str(ROOT / ".venv" / "bin" / "python")
MANAGE = str(ROOT / "manage.py")

LOOKUP_CHILD = r"""
import json, random, statistics, sys, time
import django
django.setup()
from wib.registry.models import Enterprise
from wib.registry.selectors import enterprise_details

count = int(sys.argv[1])
top = Enterprise.objects.order_by("-id").values_list("id", flat=True).first() or 0
rng = random.Random(7)
ids = rng.sample(range(1, top + 1), min(count, top))
numbers = list(Enterprise.objects.filter(id__in=ids).values_list("number", flat=True))
enterprise_details(numbers[0])  # warm the connection and the geography tables
timings = []
units = 0
for number in numbers:
    started = time.perf_counter()
    details = enterprise_details(number)
    timings.append((time.perf_counter() - started) * 1000)
    units += len(details.establishments)
timings.sort()
print(json.dumps({
    "lookups": len(timings),
    "median_ms": round(statistics.median(timings), 3),
    "p95_ms": round(timings[int(len(timings) * 0.95) - 1], 3),
    "units_seen": units,
}))
"""


def run(command: list[str], env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(command, env=env, cwd=ROOT, check=True, capture_output=True, text=True)


def reset_postgres(url: str) -> None:
    import psycopg

    base, name = url.rsplit("/", 1)
    with psycopg.connect(f"{base}/postgres", autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
        connection.execute(f'CREATE DATABASE "{name}"')


def bench(label: str, database_url: str, zip_path: Path, lookups: int) -> dict:
    env = dict(
        os.environ, DATABASE_URL=database_url, DJANGO_SETTINGS_MODULE="wib.config.settings.dev"
    )
    env["PYTHONPATH"] = str(ROOT / "src")
    run([PYTHON, MANAGE, "migrate", "registry", "--skip-checks", "-v0"], env)
    log_path = zip_path.with_suffix(f".{label}.log")
    started = time.monotonic()
    with open(log_path, "w") as log, open(f"{log_path}.out", "w") as out:
        process = subprocess.Popen(
            [
                "nice",
                PYTHON,
                MANAGE,
                "import_kbo",
                str(zip_path),
                "--skip-checks",
                "--progress-every",
                "500000",
            ],
            env=env,
            cwd=ROOT,
            stdout=out,
            stderr=log,
        )
        # wait4 gives the resource usage of this one child (ru_maxrss in KiB on Linux).
        _pid, status, usage = os.wait4(process.pid, 0)
        process.returncode = os.waitstatus_to_exitcode(status)
    seconds = time.monotonic() - started
    stderr = log_path.read_text()
    stdout = Path(f"{log_path}.out").read_text()
    if process.returncode != 0:
        sys.stderr.write(stderr)
        raise SystemExit(f"{label}: import failed with status {status}")
    peak_kib = usage.ru_maxrss
    lookup = json.loads(run([PYTHON, "-c", LOOKUP_CHILD, str(lookups)], env).stdout)
    result = {
        "database": label,
        "import_seconds": round(seconds, 1),
        "peak_rss_mb": round(peak_kib / 1024, 1),
        "import_cpu_seconds": round(usage.ru_utime + usage.ru_stime, 1),
        "progress": stderr.strip().splitlines()[-6:],
        "message": stdout.strip(),
        **lookup,
    }
    print(json.dumps(result, indent=2, ensure_ascii=False), flush=True)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--zip", type=Path, required=True)
    parser.add_argument("--postgres", help="URL of a throw-away database, e.g. .../wib_bench")
    parser.add_argument("--sqlite", type=Path, help="path of a throw-away SQLite file")
    parser.add_argument("--lookups", type=int, default=1000)
    arguments = parser.parse_args()
    if arguments.postgres:
        reset_postgres(arguments.postgres)
        bench("postgresql", arguments.postgres, arguments.zip, arguments.lookups)
    if arguments.sqlite:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{arguments.sqlite}{suffix}").unlink(missing_ok=True)
        bench("sqlite", f"sqlite:///{arguments.sqlite.resolve()}", arguments.zip, arguments.lookups)


if __name__ == "__main__":
    main()
