"""Fixtures for the back-office pages: officials logged in past the second factor, in English."""

import pytest
from django.test import Client
from factories import official

from wib.accounts.testing import login_with_second_factor


@pytest.fixture(autouse=True)
def _english():
    """Pages are asserted in English: reverse() then yields /en/ URLs."""
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture
def official_client(db):
    """`official_client(authority_code, role=...)`: (client, user) of a verified official."""

    def make(authority_code: str = "flanders", *, role: str = "official"):
        user = official(authority_code, role=role)
        client = Client()
        login_with_second_factor(client, user)
        return client, user

    return make
