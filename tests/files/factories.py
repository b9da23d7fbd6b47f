"""Factories for files and the people around them, reusable by every area's tests."""

from __future__ import annotations

import datetime

import factory
from django.core.files.uploadedfile import SimpleUploadedFile

from wib.accounts.models import EnterpriseMembership, Mandate, OfficialMembership, User
from wib.core.identifiers import make_enterprise_number, make_establishment_number, make_insz
from wib.files.models import File
from wib.geography.models import Authority
from wib.procedures.registry import get_procedure
from wib.registry.models import Enterprise, EstablishmentUnit

# The smallest PDF the upload check accepts: the magic bytes and an end marker.
PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

# A postcode per authority, for places of employment and residences.
POSTCODES = {
    "flanders": "2000",
    "brussels": "1000",
    "wallonia": "5000",
    "german-speaking-community": "4700",
}


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = "Test"
    last_name = factory.Sequence(lambda n: f"Person{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.org")


class WorkerUserFactory(UserFactory):
    national_register_number = factory.Sequence(
        lambda n: make_insz(
            datetime.date(1990, 1, 1) + datetime.timedelta(days=n), 1 + 2 * (n % 400)
        )
    )


class EnterpriseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Enterprise
        django_get_or_create = ("number",)

    number = factory.Sequence(lambda n: make_enterprise_number(4_000_000 + n))
    status = "AC"
    listed_in_register = True


class EstablishmentUnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EstablishmentUnit

    number = factory.Sequence(lambda n: make_establishment_number(20_000_000 + n))
    enterprise = factory.SubFactory(EnterpriseFactory)
    enterprise_number = factory.LazyAttribute(lambda unit: unit.enterprise.number)
    postcode = "2000"
    authority_code = "flanders"
    listed_in_register = True


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EnterpriseMembership

    user = factory.SubFactory(UserFactory)
    enterprise = factory.SubFactory(EnterpriseFactory)
    has_single_window_role = True


class MandateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Mandate

    employer = factory.SubFactory(EnterpriseFactory)
    mandatary = factory.SubFactory(EnterpriseFactory)
    starts_on = datetime.date(2020, 1, 1)
    created_by = factory.SubFactory(UserFactory)


def employer_user(enterprise: Enterprise | None = None) -> User:
    """A person with the single-window role in an enterprise (created if not given)."""
    membership = MembershipFactory(enterprise=enterprise or EnterpriseFactory())
    return membership.user


def mandatary_user(employer: Enterprise) -> tuple[User, Enterprise]:
    """A person of a mandatary enterprise that holds an active mandate from the employer."""
    mandatary = EnterpriseFactory()
    MandateFactory(employer=employer, mandatary=mandatary)
    return MembershipFactory(enterprise=mandatary).user, mandatary


def official(authority_code: str, *, role: str = "official") -> User:
    user = UserFactory()
    OfficialMembership.objects.create(
        user=user, authority=Authority.objects.get(code=authority_code), role=role
    )
    return user


def pdf_upload(name: str = "document.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF_BYTES, content_type="application/pdf")


def section_payloads(procedure_code: str, *, authority_code: str = "flanders") -> dict[str, dict]:
    """Valid form data for every section of the procedure, placing the file with the authority."""
    postcode = POSTCODES[authority_code]
    short_stay = procedure_code == "short-stay-work-authorisation"
    return {
        "employer": {"postcode": postcode, "street": "Teststraat 1"},
        "residence": {"postcode": postcode, "street": "Teststraat 1"},
        "worker": {
            "first_name": "Asha",
            "last_name": "Rao",
            "birth_date": "1992-03-04",
            "nationality": "IN",
            "insz": "",
            "passport_number": "P1234567",
        },
        "employment": {
            # "other" has no salary threshold, so any salary passes.
            "category": "other",
            "job_title": "Engineer",
            "start_date": "2026-09-01",
            "end_date": "2026-10-15" if short_stay else "",
            "gross_salary": "70000",
            "salary_period": "yearly",
            "joint_committee": "200",
        },
        "stay": {"in_belgium": "no", "consular_post": "New Delhi"},
    }


class FileFactory(factory.django.DjangoModelFactory):
    """A file placed directly in a state (no services run): for table and selector tests.

    Sections are complete and the authority set; use `complete_draft` to go through services.
    """

    class Meta:
        model = File

    procedure_code = "single-permit"
    reference = factory.Sequence(lambda n: f"WIB-2026-TEST-{n:04d}")
    employer = factory.SubFactory(EnterpriseFactory)
    created_by = factory.SubFactory(UserFactory)
    authority = factory.LazyFunction(lambda: Authority.objects.get(code="flanders"))
    authority_rule = "place_of_employment"
    state = "draft"
    stage = factory.LazyAttribute(
        lambda file: get_procedure(file.procedure_code).state(file.state).stage
    )
    worker_name = "Asha Rao"
    nationality = "IN"
    category = "other"
    sections = factory.LazyAttribute(
        lambda file: {
            code: {"data": {}, "complete": True}
            for code in get_procedure(file.procedure_code).section_codes()
        }
    )


def complete_draft(
    *,
    actor: User,
    employer: Enterprise | None,
    procedure_code: str = "single-permit",
    authority_code: str = "flanders",
    mandatary: Enterprise | None = None,
) -> File:
    """A draft filled in through the services: every section saved, every document attached."""
    from wib.files.services import attach_document, save_section, start_file

    file = start_file(
        procedure_code=procedure_code, employer=employer, actor=actor, mandatary=mandatary
    )
    payloads = section_payloads(procedure_code, authority_code=authority_code)
    for section in get_procedure(procedure_code).section_codes():
        file = save_section(
            file=file,
            section=section,
            data=payloads[section],
            actor=actor,
            expected_version=file.version,
        )
    for requirement in get_procedure(procedure_code).required_documents(
        authority_code=authority_code, category=file.category
    ):
        attach_document(file=file, kind=requirement.kind, uploaded_file=pdf_upload(), actor=actor)
    file.refresh_from_db()
    return file


def pdf_metadata_and_objects(content: bytes) -> bytes:
    """The PDF's bytes with every Flate stream inflated: lets a test find the /Title entry,
    which WeasyPrint may put in a compressed object stream (no pdftotext on these machines)."""
    import re
    import zlib

    parts = [content]
    for match in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", content, re.S):
        try:
            parts.append(zlib.decompress(match.group(1)))
        except zlib.error:
            continue
    return b"\n".join(parts)
