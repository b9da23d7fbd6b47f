"""Every translation catalogue under src/wib is complete, compiled and up to date."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest

SRC = Path(__file__).resolve().parents[1] / "src"
WIB = SRC / "wib"
REQUIRED_LANGUAGES = ("nl", "fr", "de")
ALL_LANGUAGES = ("nl", "fr", "de", "en")
PO_FILES = sorted(WIB.glob("**/locale/*/LC_MESSAGES/django.po"))


def _label(path: Path) -> str:
    return str(path.relative_to(SRC))


def _key(entry: polib.POEntry | polib.MOEntry) -> tuple[str, str]:
    return (entry.msgctxt or "", entry.msgid)


def _translation(entry: polib.POEntry | polib.MOEntry) -> object:
    if entry.msgid_plural:
        return tuple(entry.msgstr_plural[index] for index in sorted(entry.msgstr_plural))
    return entry.msgstr


def test_there_are_catalogues_in_every_language():
    assert PO_FILES, "no django.po under src/wib"
    project = {path.parts[-3] for path in (WIB / "locale").glob("*/LC_MESSAGES/django.po")}
    assert project >= set(ALL_LANGUAGES)


@pytest.mark.parametrize("po_path", PO_FILES, ids=_label)
def test_catalogue_has_no_fuzzy_or_empty_entries(po_path):
    language = po_path.parts[-3]
    catalogue = polib.pofile(str(po_path))
    fuzzy = [entry.msgid for entry in catalogue if "fuzzy" in entry.flags and not entry.obsolete]
    assert fuzzy == [], f"{_label(po_path)}: fuzzy entries {fuzzy}"
    if language in REQUIRED_LANGUAGES:
        empty = [entry.msgid for entry in catalogue.untranslated_entries()]
        assert empty == [], f"{_label(po_path)}: untranslated entries {empty}"


@pytest.mark.parametrize("po_path", PO_FILES, ids=_label)
def test_compiled_catalogue_matches_its_source(po_path):
    mo_path = po_path.with_suffix(".mo")
    assert mo_path.exists(), f"{_label(mo_path)} is missing: run compilemessages"
    source = polib.pofile(str(po_path))
    # What msgfmt would write: translated, non-fuzzy, non-obsolete entries.
    expected = {_key(entry): _translation(entry) for entry in source.translated_entries()}
    compiled = {
        _key(entry): _translation(entry) for entry in polib.mofile(str(mo_path)) if entry.msgid
    }
    assert compiled == expected, f"{_label(mo_path)} is out of date: run compilemessages"


def _copy_sources(destination: Path) -> None:
    """The sources makemessages reads, and each catalogue folder (empty), in a scratch tree."""
    for path in WIB.rglob("*"):
        relative = path.relative_to(WIB)
        if "__pycache__" in relative.parts or "static" in relative.parts:
            continue
        if path.is_dir() and path.name == "locale":
            (destination / relative).mkdir(parents=True, exist_ok=True)
        elif path.suffix in {".py", ".html", ".txt"} and "locale" not in relative.parts:
            target = destination / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, target)


@pytest.fixture(scope="module")
def fresh_catalogues(tmp_path_factory):
    """Run makemessages once over a copy of the sources: msgids as the code has them today."""
    if shutil.which("xgettext") is None:
        pytest.fail("xgettext (GNU gettext) is not installed: `make test` installs it")
    scratch = tmp_path_factory.mktemp("messages") / "wib"
    _copy_sources(scratch)
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "wib.config.settings.test",
        "PYTHONPATH": str(SRC),
    }
    subprocess.run(
        [
            sys.executable,
            "-m",
            "django",
            "makemessages",
            "-l",
            "nl",
            "--add-location=file",
            "--no-obsolete",
            "--no-wrap",
        ],
        cwd=scratch,
        env=environment,
        check=True,
        capture_output=True,
        timeout=120,
    )
    return scratch


@pytest.mark.parametrize(
    "po_path", [path for path in PO_FILES if path.parts[-3] == "nl"], ids=_label
)
def test_catalogue_has_every_message_of_the_code(po_path, fresh_catalogues):
    fresh_path = fresh_catalogues / po_path.relative_to(WIB)
    fresh = {}
    if fresh_path.exists():
        fresh = {_key(entry): entry for entry in polib.pofile(str(fresh_path))}
    current = {_key(entry) for entry in polib.pofile(str(po_path)) if not entry.obsolete}
    missing = sorted(set(fresh) - current)
    # Name the source files, so that whoever owns them knows the catalogue to refresh.
    sources = sorted({path for key in missing for path, _line in fresh[key].occurrences})
    assert missing == [], (
        f"{_label(po_path)} lacks {len(missing)} message(s), "
        f"e.g. {[key[1] for key in missing[:5]]}, from {sources}: run makemessages in that "
        "app (an app without its own locale folder lands in the project catalogue "
        "src/wib/locale) and translate"
    )
