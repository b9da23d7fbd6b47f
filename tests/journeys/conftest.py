"""Fixtures for the end-to-end journeys: the simulators served by the live server, in English."""

import importlib

import pytest
from django.apps import apps
from django.utils import translation


@pytest.fixture(autouse=True)
def _english():
    """Pages and messages are asserted in English: reverse() then yields /en/ URLs."""
    with translation.override("en"):
        yield


@pytest.fixture
def reference_data(transactional_db):
    """The reference data the data migrations load (authorities, municipalities, postcodes,
    salary thresholds), put back after an earlier transactional test's flush removed it.

    Not `serialized_rollback`: its restore collides with the content types that a flush of a
    non-serialized transactional test recreates, so it breaks depending on the test order.
    """
    from wib.geography.reference import load_reference_data

    load_reference_data(apps)
    importlib.import_module("wib.procedures.migrations.0002_seed_reference_values").seed(apps, None)


@pytest.fixture
def simulators(live_server, settings, reference_data):
    """Point the eBox and the authorities' systems at the simulators; return the site's URL."""
    settings.WIB_SIMULATORS_ENABLED = True
    settings.WIB_EBOX_URL = live_server.url + "/simulators/ebox"
    settings.WIB_AUTHORITY_SYSTEM_URLS = {
        code: f"{live_server.url}/simulators/agency/{code}/files"
        for code in (
            "flanders",
            "brussels",
            "wallonia",
            "german-speaking-community",
            "immigration-office",
        )
    }
    return live_server.url
