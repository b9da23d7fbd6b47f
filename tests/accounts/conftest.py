"""Fixtures for access tests: enterprises, their people, mandataries, officials."""

import datetime
import itertools

import pytest
from accounts_helpers import PASSWORD
from django.contrib.auth import get_user_model

from wib.accounts.models import EnterpriseMembership, Mandate, OfficialMembership
from wib.core.identifiers import make_enterprise_number
from wib.geography.models import Authority

_numbers = itertools.count(8_100_001)


@pytest.fixture
def make_enterprise(db):
    from wib.registry.models import Enterprise

    def make():
        return Enterprise.objects.create(number=make_enterprise_number(next(_numbers)))

    return make


@pytest.fixture
def make_user(db):
    counter = itertools.count(1)

    def make(prefix="user", **extra):
        user = get_user_model().objects.create_user(
            username=f"{prefix}{next(counter)}", password=PASSWORD, **extra
        )
        return user

    return make


@pytest.fixture
def make_member(make_user):
    def make(enterprise, *, access_manager=False, single_window=True, prefix="member"):
        user = make_user(prefix)
        EnterpriseMembership.objects.create(
            user=user,
            enterprise=enterprise,
            is_access_manager=access_manager,
            has_single_window_role=single_window,
        )
        return user

    return make


@pytest.fixture
def make_official(make_user):
    def make(authority_code, role="official"):
        user = make_user(f"official-{authority_code}-")
        OfficialMembership.objects.create(
            user=user, authority=Authority.objects.get(code=authority_code), role=role
        )
        return user

    return make


@pytest.fixture
def make_mandate(db):
    def make(employer, mandatary, *, created_by, starts_on=None, ends_on=None):
        return Mandate.objects.create(
            employer=employer,
            mandatary=mandatary,
            starts_on=starts_on or datetime.date(2020, 1, 1),
            ends_on=ends_on,
            created_by=created_by,
        )

    return make


@pytest.fixture
def world(make_enterprise, make_member, make_user, make_official, make_mandate):
    """Two employers, a mandatary for the first one, and one person of each role."""
    employer = make_enterprise()
    other_employer = make_enterprise()
    mandatary = make_enterprise()
    manager = make_member(employer, access_manager=True, prefix="manager")
    employee = make_member(employer, prefix="employee")
    other_manager = make_member(other_employer, access_manager=True, prefix="othermanager")
    mandatary_manager = make_member(mandatary, access_manager=True, prefix="mandmanager")
    mandatary_user = make_member(mandatary, prefix="mandatary")
    mandate = make_mandate(employer, mandatary, created_by=manager)
    admin = make_user("admin", is_staff=True, is_superuser=True)
    return {
        "employer": employer,
        "other_employer": other_employer,
        "mandatary": mandatary,
        "manager": manager,
        "employee": employee,
        "other_manager": other_manager,
        "mandatary_manager": mandatary_manager,
        "mandatary_user": mandatary_user,
        "mandate": mandate,
        "flanders": make_official("flanders"),
        "wallonia": make_official("wallonia"),
        "brussels": make_official("brussels"),
        "german": make_official("german-speaking-community"),
        "immigration": make_official("immigration-office"),
        "supervisor": make_official("flanders", role="supervisor"),
        "admin": admin,
    }


@pytest.fixture(autouse=True)
def _english():
    """Pages are asserted in English: reverse() then yields /en/ URLs."""
    from django.utils import translation

    with translation.override("en"):
        yield
