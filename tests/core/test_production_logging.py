"""In production every log line is one JSON object, exceptions included."""

import json
import subprocess
import sys
from pathlib import Path

from test_security_headers import _production_environment

ROOT = Path(__file__).resolve().parents[2]

SCRIPT = """
import logging, django
django.setup()
logger = logging.getLogger("wib.example")
logger.warning("outbox message %s failed", "abc")
try:
    1 / 0
except ZeroDivisionError:
    logger.exception("delivery crashed")
"""


def test_production_logs_are_json_lines():
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT],
        cwd=ROOT,
        env=_production_environment(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    lines = [json.loads(line) for line in result.stderr.splitlines() if line.strip()]
    assert lines[0]["event"] == "outbox message abc failed"
    assert lines[0]["level"] == "warning"
    assert lines[0]["logger"] == "wib.example"
    assert "timestamp" in lines[0]
    assert lines[1]["event"] == "delivery crashed"
    assert "ZeroDivisionError" in lines[1]["exception"]
