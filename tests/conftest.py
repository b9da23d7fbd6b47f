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
