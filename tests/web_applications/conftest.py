"""Fixtures for the applicant's pages: employers in the register, signed-in clients."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.utils import translation
from factories import EnterpriseFactory, EstablishmentUnitFactory, employer_user

from wib.accounts.testing import act_for
from wib.registry.models import Denomination

PLACES = {
    # Linkebeek is Flemish; Waterloo, 5 km further south, is Walloon.
    "linkebeek": {
        "postcode": "1630",
        "refnis": "23100",
        "name": "Linkebeek",
        "authority": "flanders",
    },
    "waterloo": {
        "postcode": "1410",
        "refnis": "25110",
        "name": "Waterloo",
        "authority": "wallonia",
    },
}


@dataclass
class Employer:
    enterprise: object
    unit: object
    user: object
    authority: str


@pytest.fixture(autouse=True)
def _english():
    """Pages are asserted in English, the source language (URLs get the /en/ prefix)."""
    with translation.override("en"):
        yield


def make_employer(place: str) -> Employer:
    data = PLACES[place]
    enterprise = EnterpriseFactory()
    Denomination.objects.create(
        entity_number=enterprise.number,
        language="2",
        type_of_denomination="001",
        denomination=f"{data['name']} Engineering",
    )
    unit = EstablishmentUnitFactory(
        enterprise=enterprise,
        postcode=data["postcode"],
        municipality_refnis=data["refnis"],
        municipality_nl=data["name"],
        municipality_fr=data["name"],
        street_nl="Stationsstraat",
        street_fr="Rue de la Gare",
        house_number="12",
        authority_code=data["authority"],
    )
    return Employer(
        enterprise=enterprise,
        unit=unit,
        user=employer_user(enterprise),
        authority=data["authority"],
    )


def signed_in(client, employer: Employer):
    client.force_login(employer.user)
    act_for(client, employer.enterprise)
    return client


@pytest.fixture
def linkebeek(db) -> Employer:
    return make_employer("linkebeek")


@pytest.fixture
def waterloo(db) -> Employer:
    return make_employer("waterloo")


@pytest.fixture
def new_employer(db):
    """`new_employer("linkebeek")`: an enterprise with a unit there and a user acting for it."""
    return make_employer


@pytest.fixture
def sign_in(client):
    """`sign_in(employer)`: the test client, signed in as the employer's user acting for it."""
    return lambda employer: signed_in(client, employer)
