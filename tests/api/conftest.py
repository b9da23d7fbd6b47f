"""Fixtures of the API tests: an employer with a file, a stranger with another, tokens."""

from __future__ import annotations

import pytest
from factories import EnterpriseFactory, FileFactory, employer_user, mandatary_user

from wib.api.tokens import create_api_token


@pytest.fixture
def world(db):
    employer = EnterpriseFactory()
    user = employer_user(employer)
    own = FileFactory(employer=employer, created_by=user, state="submitted")
    draft = FileFactory(employer=employer, created_by=user, state="draft", worker_name="Li Wei")
    stranger_employer = EnterpriseFactory()
    stranger = employer_user(stranger_employer)
    foreign = FileFactory(employer=stranger_employer, created_by=stranger, state="submitted")
    return {
        "employer": employer,
        "user": user,
        "own": own,
        "draft": draft,
        "stranger": stranger,
        "foreign": foreign,
        "stranger_employer": stranger_employer,
    }


@pytest.fixture
def token_for():
    def make(user, enterprise, name="integration"):
        _token, secret = create_api_token(actor=user, acting_enterprise=enterprise, name=name)
        return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}

    return make


@pytest.fixture
def mandated(world):
    """A mandatary's user acting for the world's employer."""
    user, firm = mandatary_user(world["employer"])
    return user, firm
