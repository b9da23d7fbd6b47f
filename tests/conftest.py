"""Shared fixtures for the whole suite."""

import os

import pytest

# Playwright's sync API runs an event loop in the test thread; the ORM calls made by the
# test itself are still synchronous, so Django's async-safety guard is relaxed for tests.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    """Each test stores uploads in its own folder."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _audit_trail_flushable(request):
    """SQLite's trigger refuses DELETE on audit records: empty them before a transactional flush."""
    marker = request.node.get_closest_marker("django_db")
    transactional = bool(
        marker and (marker.kwargs.get("transaction") or marker.kwargs.get("reset_sequences"))
    ) or bool({"transactional_db", "live_server"} & set(request.fixturenames))
    if transactional:
        # Requested here so the database fixture is torn down (flushed) after this one.
        request.getfixturevalue("transactional_db")
    yield
    if transactional:
        from django.db import connection

        from wib.audit.guards import purge_for_test_flush

        purge_for_test_flush(connection)


def _uses_transactional_db(item: pytest.Item) -> bool:
    marker = item.get_closest_marker("django_db")
    if marker and (marker.kwargs.get("transaction") or marker.kwargs.get("reset_sequences")):
        return True
    return bool({"transactional_db", "live_server"} & set(getattr(item, "fixturenames", ())))


def reload_reference_data() -> None:
    """Put back the rows the data migrations load (a transactional test's flush removes them)."""
    import importlib

    from django.apps import apps

    from wib.geography.models import Authority
    from wib.geography.reference import load_reference_data
    from wib.procedures.models import ReferenceValue

    if not Authority.objects.exists():
        load_reference_data(apps)
    if not ReferenceValue.objects.exists():
        seed = importlib.import_module("wib.procedures.migrations.0002_seed_reference_values").seed
        seed(apps, None)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """After a transactional test has flushed the database, restore the reference data."""
    result = yield
    # After the last test the session fixtures have already dropped the test database.
    if _uses_transactional_db(item) and nextitem is not None:
        from pytest_django.plugin import blocking_manager_key

        with item.config.stash[blocking_manager_key].unblock():
            reload_reference_data()
    return result


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the default language (nl), whatever an earlier test activated."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.deactivate()
