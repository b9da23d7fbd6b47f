"""The employer section "only once": what the enterprise register knows, look-ups, manual entry."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation
from factories import (
    EnterpriseFactory,
    EstablishmentUnitFactory,
    MandateFactory,
    MembershipFactory,
    employer_user,
    official,
    pdf_upload,
    section_payloads,
)

from wib.accounts.testing import act_for, login_with_second_factor
from wib.audit.models import AuditRecord
from wib.files import services
from wib.files.models import File
from wib.procedures.registry import get_procedure
from wib.registry.models import Address, Code, Denomination
from wib.registry.services import ensure_enterprise

pytestmark = pytest.mark.django_db


def _name(enterprise, name: str, language: str = "2") -> None:
    Denomination.objects.create(
        entity_number=enterprise.number,
        language=language,
        type_of_denomination="001",
        denomination=name,
    )


def _listed_enterprise(name: str, *, postcode: str = "1630", refnis: str = "23100"):
    """An enterprise as the KBO publishes it: names in two languages, legal form, seat, a unit."""
    enterprise = EnterpriseFactory(juridical_form="014")
    _name(enterprise, f"{name} NV", "2")
    _name(enterprise, f"{name} SA", "1")
    for language, description in (("NL", "Naamloze vennootschap"), ("FR", "Société anonyme")):
        Code.objects.get_or_create(
            category="JuridicalForm", code="014", language=language, description=description
        )
    Address.objects.create(
        entity_number=enterprise.number,
        type_of_address="REGO",
        zipcode="1000",
        municipality_nl="Brussel",
        municipality_fr="Bruxelles",
        street_nl="Wetstraat",
        street_fr="Rue de la Loi",
        house_number="16",
    )
    unit = EstablishmentUnitFactory(
        enterprise=enterprise,
        postcode=postcode,
        municipality_refnis=refnis,
        municipality_nl="Linkebeek",
        municipality_fr="Linkebeek",
        street_nl="Stationsstraat",
        street_fr="Rue de la Gare",
        house_number="12",
        authority_code="flanders",
    )
    return enterprise, unit


def _section_url(file: File, language: str = "en") -> str:
    with translation.override(language):
        return reverse(
            "web:applications:section", kwargs={"public_id": file.public_id, "section": "employer"}
        )


def _signed_in(user, enterprise) -> Client:
    client = Client()
    login_with_second_factor(client, user)
    act_for(client, enterprise)
    return client


def _draft(user, employer) -> File:
    return services.start_file(procedure_code="single-permit", employer=employer, actor=user)


def test_the_register_details_of_a_listed_employer_are_shown_in_the_reader_language():
    enterprise, unit = _listed_enterprise("Bouwwerken Peeters")
    user = employer_user(enterprise)
    file = _draft(user, enterprise)
    client = _signed_in(user, enterprise)

    french = client.get(_section_url(file, "fr")).content.decode()
    assert "Bouwwerken Peeters SA" in french
    assert "Société anonyme" in french
    assert "Rue de la Loi 16, 1000 Bruxelles" in french
    assert f'value="{unit.number}"' in french  # the unit is offered as a radio choice

    dutch = client.get(_section_url(file, "nl")).content.decode()
    assert "Bouwwerken Peeters NV" in dutch
    assert "Naamloze vennootschap" in dutch
    assert "Wetstraat 16, 1000 Brussel" in dutch
    # What the register knows is not asked again.
    assert 'name="employer_name"' not in dutch
    assert 'name="registered_office_postcode"' not in dutch


def test_choosing_a_unit_decides_the_authority_and_shows_why():
    enterprise, unit = _listed_enterprise("Linkebeek Logistics")
    user = employer_user(enterprise)
    file = _draft(user, enterprise)
    client = _signed_in(user, enterprise)
    response = client.post(
        _section_url(file),
        {
            "enterprise_number": str(enterprise),
            "establishment": unit.number,
            "version": file.version,
            "later": "1",
        },
    )
    assert response.status_code == 302
    file.refresh_from_db()
    assert file.authority.code == "flanders"
    page = client.get(_section_url(file)).content.decode()
    assert "Competent authority:" in page
    assert file.authority_explanation and file.authority_explanation in page


@pytest.fixture
def mandatary_world():
    """A social secretariat with mandates from two employers; a third employer gave none."""
    first, _first_unit = _listed_enterprise("Alpha Bouw")
    second, second_unit = _listed_enterprise("Beta Techniek", postcode="1410", refnis="25110")
    second_unit.authority_code = "wallonia"
    second_unit.save()
    foreign, foreign_unit = _listed_enterprise("Geheim Gamma")
    secretariat = EnterpriseFactory()
    MandateFactory(employer=first, mandatary=secretariat)
    MandateFactory(employer=second, mandatary=secretariat)
    user = MembershipFactory(enterprise=secretariat).user
    file = _draft(user, first)
    client = _signed_in(user, first)
    return {
        "client": client,
        "file": file,
        "secretariat": secretariat,
        "second": second,
        "second_unit": second_unit,
        "foreign": foreign,
        "foreign_unit": foreign_unit,
    }


def test_a_mandatary_looks_up_an_employer_it_acts_for_without_saving(mandatary_world):
    world = mandatary_world
    client, file = world["client"], world["file"]
    page = client.get(_section_url(file)).content.decode()
    assert 'name="lookup"' in page  # offered: the user acts for several employers
    version = file.version

    response = client.post(
        _section_url(file),
        {"enterprise_number": str(world["second"]), "lookup": "1", "version": version},
    )
    assert response.status_code == 200
    text = response.content.decode()
    assert "Beta Techniek" in text
    assert f'value="{world["second_unit"].number}"' in text
    assert not response.context["form"].errors  # nothing else is judged on a look-up
    file.refresh_from_db()
    assert file.version == version and file.employer.number != world["second"].number
    assert not file.section_complete("employer")


def test_a_mandatary_saving_a_looked_up_employer_applies_for_it(mandatary_world):
    world = mandatary_world
    client, file = world["client"], world["file"]
    response = client.post(
        _section_url(file),
        {
            "enterprise_number": str(world["second"]),
            "establishment": world["second_unit"].number,
            "version": file.version,
            "later": "1",
        },
    )
    assert response.status_code == 302
    file.refresh_from_db()
    assert file.employer == world["second"]
    assert file.mandatary == world["secretariat"]
    assert file.authority.code == "wallonia"
    assert "enterprise_number" not in file.section_data("employer")
    assert AuditRecord.objects.filter(
        action="file.change_employer", target_id=str(file.public_id)
    ).exists()


def test_a_look_up_of_an_enterprise_not_acted_for_is_refused_and_reveals_nothing(mandatary_world):
    world = mandatary_world
    client, file = world["client"], world["file"]
    version = file.version
    for extra in ({"lookup": "1"}, {"later": "1"}):
        response = client.post(
            _section_url(file),
            {
                "enterprise_number": str(world["foreign"]),
                "establishment": world["foreign_unit"].number,
                "version": version,
                **extra,
            },
        )
        assert response.status_code == 200
        assert response.context["form"].has_error("enterprise_number", "employer_not_allowed")
        text = response.content.decode()
        assert "You cannot apply for enterprise" in text
        assert "Geheim Gamma" not in text
        assert world["foreign_unit"].number not in text
    file.refresh_from_db()
    assert file.version == version and file.employer.number != world["foreign"].number


def test_an_employer_missing_from_the_register_is_entered_by_hand_up_to_the_official():
    enterprise = ensure_enterprise(number=EnterpriseFactory.build().number)
    user = employer_user(enterprise)
    file = _draft(user, enterprise)
    client = _signed_in(user, enterprise)

    page = client.get(_section_url(file)).content.decode()
    assert "is not listed in the published enterprise register" in page
    assert "The register holds no name" in page
    assert "The register holds no establishment unit" in page
    assert 'name="employer_name"' in page and 'name="registered_office_postcode"' in page

    refused = client.post(
        _section_url(file),
        {
            "enterprise_number": str(enterprise),
            "establishment": "other",
            "postcode": "2000",
            "registered_office_postcode": "99",
            "version": file.version,
        },
    )
    assert refused.context["form"].has_error(
        "registered_office_postcode", "registered_office_postcode_format"
    )

    response = client.post(
        _section_url(file),
        {
            "enterprise_number": str(enterprise),
            "employer_name": "Nieuw Atelier BV",
            "registered_office_postcode": "9000",
            "registered_office_street": "Veldstraat 3",
            "establishment": "other",
            "postcode": "2000",
            "street": "Meir 1",
            "version": file.version,
            "later": "1",
        },
    )
    assert response.status_code == 302
    file.refresh_from_db()
    saved = file.section_data("employer")
    assert saved["employer_name"] == "Nieuw Atelier BV"
    assert saved["registered_office_postcode"] == "9000"
    assert file.authority.code == "flanders"

    payloads = section_payloads(file.procedure_code)
    for section in ("worker", "employment", "stay"):
        file = services.save_section(
            file=file,
            section=section,
            data=payloads[section],
            actor=user,
            expected_version=file.version,
        )
    for requirement in get_procedure(file.procedure_code).required_documents(
        authority_code="flanders", category=file.category
    ):
        services.attach_document(
            file=file, kind=requirement.kind, uploaded_file=pdf_upload(), actor=user
        )
    file.refresh_from_db()
    check = client.get(
        reverse("web:applications:check", kwargs={"public_id": file.public_id})
    ).content.decode()
    for shown in ("Nieuw Atelier BV", "9000", "Veldstraat 3"):
        assert shown in check

    services.submit_file(
        file=file, actor=user, declaration_accepted=True, expected_version=file.version
    )
    officer = Client()
    login_with_second_factor(officer, official("flanders"))
    page = officer.get(
        reverse("backoffice:file", kwargs={"public_id": file.public_id})
    ).content.decode()
    assert f"Nieuw Atelier BV ({enterprise})" in page
    assert "Postcode of the registered office" in page and "Veldstraat 3" in page
