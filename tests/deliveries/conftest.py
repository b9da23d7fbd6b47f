"""Fixtures for the outbox tests: the eBox simulator served by the live server."""

import pytest


@pytest.fixture
def ebox(live_server, settings, transactional_db):
    """Point the eBox connector at the simulator served by the live server; return its base URL."""
    settings.WIB_EBOX_URL = live_server.url + "/simulators/ebox"
    settings.WIB_SIMULATORS_ENABLED = True
    return settings.WIB_EBOX_URL
