"""`manage.py resolve_authority`: JSON lines in input order, exit status 2 on unknown postcodes."""

import json
import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command


def run_command(*args: str) -> list[dict]:
    out = StringIO()
    call_command("resolve_authority", *args, stdout=out)
    return [json.loads(line) for line in out.getvalue().splitlines()]


def test_prints_one_json_line_per_postcode_in_input_order():
    lines = run_command("--postcode", "1630", "--postcode", "1180", "--postcode", "4700")

    assert [line["postcode"] for line in lines] == ["1630", "1180", "4700"]
    assert [line["authority"] for line in lines] == [
        "flanders",
        "brussels",
        "german-speaking-community",
    ]
    assert lines[0]["municipality"]["refnis"] == "23100"
    assert lines[0]["municipality"]["names"]["nl"] == "Linkebeek"
    assert lines[1]["municipality"]["names"] == {
        "nl": "Ukkel",
        "fr": "Uccle",
        "de": "Uccle",
        "en": "Uccle",
    }
    assert lines[0]["rule"] == "place-of-employment"
    assert lines[0]["explanation"] == (
        "Linkebeek (1630) lies in the Flemish Region, so the Flemish Region decides on the "
        "work permit."
    )


def test_municipality_pairs_with_the_postcode_in_the_same_position():
    lines = run_command("--postcode", "1050", "--postcode", "1040", "--municipality", "21009")
    assert lines[0]["municipality"]["refnis"] == "21009"
    assert lines[0]["rule"] == "place-of-employment"
    assert lines[1]["municipality"]["refnis"] == "21004"
    assert lines[1]["rule"] == "postcode-spans-two-municipalities"


def test_unknown_postcode_prints_nothing_and_exits_2():
    out = StringIO()
    with pytest.raises(CommandError) as caught:
        call_command("resolve_authority", "--postcode", "1630", "--postcode", "9999", stdout=out)
    assert caught.value.returncode == 2
    assert "9999" in str(caught.value)
    assert out.getvalue() == ""


def test_residence_basis_option():
    lines = run_command("--postcode", "4700", "--basis", "residence")
    assert lines[0]["rule"] == "worker-residence"


def _run_manage(*args: str, tmp_path: Path) -> subprocess.CompletedProcess:
    env = {
        **os.environ,
        # A database that cannot exist: the command must not need one.
        "DATABASE_URL": f"sqlite:///{tmp_path}/missing-folder/never.sqlite3",
        "DJANGO_SETTINGS_MODULE": "wib.config.settings.dev",
    }
    return subprocess.run(
        [sys.executable, "manage.py", "resolve_authority", *args],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_command_line_without_a_database(tmp_path):
    result = _run_manage(
        "--postcode", "1410", "--postcode", "4960", "--postcode", "4720", tmp_path=tmp_path
    )

    assert result.returncode == 0, result.stderr
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [(line["postcode"], line["authority"]) for line in lines] == [
        ("1410", "wallonia"),
        ("4960", "wallonia"),
        ("4720", "german-speaking-community"),
    ]
    assert not (tmp_path / "missing-folder").exists()


def test_command_line_unknown_postcode_exits_2_with_message(tmp_path):
    result = _run_manage("--postcode", "1630", "--postcode", "abcd", tmp_path=tmp_path)

    assert result.returncode == 2
    assert result.stdout == ""
    assert "abcd" in result.stderr
    assert "not a Belgian postcode" in result.stderr
