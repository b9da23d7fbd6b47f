"""Demo data for `make run`: enterprises, people and files, printed so a newcomer can log in.

Everything is keyed on fixed usernames, numbers and worker names, so a second run finds what the
first one made and changes nothing. Files go through the real services (the same checks, history,
audit records and eBox messages as a real application); people and enterprises are created
directly, as an import would.
"""

from __future__ import annotations

import datetime
import hashlib
from base64 import b32encode
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from wib.core import clock
from wib.core.identifiers import (
    format_enterprise_number,
    format_insz,
    make_enterprise_number,
    make_establishment_number,
    make_insz,
)

DEMO_PASSWORD = "demo-password-2026"  # noqa: S105 - published demo credential, dev profile only
TOTP_DEVICE_NAME = "demo"
MANDATE_STARTS_ON = datetime.date(2025, 1, 1)


@dataclass(frozen=True)
class DemoEmployer:
    slug: str
    name: str
    base: int  # enterprise number without its check digits
    establishment_base: int
    postcode: str
    street: str
    municipality_nl: str
    municipality_fr: str
    gives_mandate: bool


@dataclass(frozen=True)
class DemoAccount:
    """One printable line of the demo table."""

    role: str
    username: str
    password: str
    where: str
    totp_secret: str = ""


# One employer per work authority: the four places of the routing rule, 5 km apart or less.
EMPLOYERS = (
    DemoEmployer(
        "linkebeek", "Linkebeek Logistics BV", 7_163_001, 21_630_001,
        "1630", "Stationstraat 12", "Linkebeek", "Linkebeek", gives_mandate=False,
    ),
    DemoEmployer(
        "uccle", "Uccle Software SRL", 7_118_001, 21_180_001,
        "1180", "Chaussée de Waterloo 1001", "Ukkel", "Uccle", gives_mandate=True,
    ),
    DemoEmployer(
        "waterloo", "Waterloo Engineering SA", 7_141_001, 21_410_001,
        "1410", "Chaussée de Bruxelles 150", "Waterloo", "Waterloo", gives_mandate=True,
    ),
    DemoEmployer(
        "eupen", "Eupener Maschinenbau AG", 7_470_001, 24_700_001,
        "4700", "Gospertstraße 20", "Eupen", "Eupen", gives_mandate=False,
    ),
)  # fmt: skip
SECRETARIAT = DemoEmployer(
    "secretariat", "Demo Social Secretariat VZW", 7_100_001, 21_000_001,
    "1000", "Koningsstraat 100", "Brussel", "Bruxelles", gives_mandate=False,
)  # fmt: skip

OFFICIALS = (
    ("official-flanders", "flanders", "official"),
    ("supervisor-flanders", "flanders", "supervisor"),
    ("official-brussels", "brussels", "official"),
    ("official-wallonia", "wallonia", "official"),
    ("official-dg", "german-speaking-community", "official"),
    ("official-immigration", "immigration-office", "official"),
)
ADMIN_USERNAME = "admin"
WORKER_USERNAME = "worker"
WORKER_BIRTH_DATE = datetime.date(1988, 5, 17)
WORKER_SERIAL = 123


def enterprise_number(employer: DemoEmployer) -> str:
    return make_enterprise_number(employer.base)


def worker_national_register_number() -> str:
    return make_insz(WORKER_BIRTH_DATE, WORKER_SERIAL)


def totp_key(username: str) -> str:
    """The demo TOTP key (hex, as django-otp stores it), derived from the username: published."""
    return hashlib.sha1(f"wib-demo-totp:{username}".encode()).hexdigest()  # noqa: S324


def totp_secret(username: str) -> str:
    """The same key in base32, as an authenticator app takes it."""
    return b32encode(bytes.fromhex(totp_key(username))).decode()


def demo_pdf(title: str) -> bytes:
    """A one-page PDF with a line of text: a stand-in for a scanned document."""
    text = title.replace("\\", "").replace("(", "").replace(")", "")
    stream = f"BT /F1 18 Tf 72 720 Td ({text}) Tj ET".encode("latin-1", "replace")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def demo_upload(kind: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(
        f"{kind}.pdf", demo_pdf(f"Demo document: {kind}"), content_type="application/pdf"
    )


# --- enterprises and people ----------------------------------------------------------------


def _enterprise(employer: DemoEmployer) -> Any:
    from wib.geography.resolver import authority_for_postcode, municipalities_for_postcode
    from wib.registry.models import Address, EstablishmentUnit
    from wib.registry.services import ADDRESS_TYPE_REGISTERED_OFFICE, ensure_enterprise

    number = enterprise_number(employer)
    enterprise = ensure_enterprise(number=number, name=employer.name, postcode=employer.postcode)
    street, _space, house_number = employer.street.rpartition(" ")
    Address.objects.filter(
        entity_number=number, type_of_address=ADDRESS_TYPE_REGISTERED_OFFICE, street_nl=""
    ).update(
        street_nl=street,
        street_fr=street,
        house_number=house_number,
        municipality_nl=employer.municipality_nl,
        municipality_fr=employer.municipality_fr,
        country_nl="België",
        country_fr="Belgique",
    )
    [municipality] = municipalities_for_postcode(employer.postcode)
    EstablishmentUnit.objects.get_or_create(
        number=make_establishment_number(employer.establishment_base),
        defaults={
            "enterprise": enterprise,
            "enterprise_number": number,
            "start_date": datetime.date(2015, 1, 1),
            "postcode": employer.postcode,
            "municipality_refnis": municipality.refnis,
            "municipality_nl": employer.municipality_nl,
            "municipality_fr": employer.municipality_fr,
            "street_nl": street,
            "street_fr": street,
            "house_number": house_number,
            "country_nl": "België",
            "authority_code": authority_for_postcode(employer.postcode),
        },
    )
    return enterprise


def _user(username: str, first_name: str, last_name: str, **extra: Any) -> Any:
    user, created = get_user_model().objects.get_or_create(
        username=username,
        defaults={
            "first_name": first_name,
            "last_name": last_name,
            "email": f"{username}@demo.workinginbelgium.example",
            **extra,
        },
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    return user


def _second_factor(user: Any) -> str:
    TOTPDevice.objects.get_or_create(
        user=user,
        name=TOTP_DEVICE_NAME,
        defaults={"key": totp_key(user.username), "confirmed": True},
    )
    return totp_secret(user.username)


def _member(user: Any, enterprise: Any, *, access_manager: bool) -> None:
    from wib.accounts.models import EnterpriseMembership

    EnterpriseMembership.objects.get_or_create(
        user=user,
        enterprise=enterprise,
        defaults={"is_access_manager": access_manager, "has_single_window_role": True},
    )


def _mandate(employer: Any, mandatary: Any, manager: Any) -> None:
    from wib.accounts.models import Mandate
    from wib.accounts.services import grant_mandate

    if not Mandate.objects.filter(
        employer=employer, mandatary=mandatary, revoked_at__isnull=True
    ).exists():
        grant_mandate(
            employer=employer,
            mandatary_number=mandatary.number,
            starts_on=MANDATE_STARTS_ON,
            actor=manager,
        )


@dataclass
class DemoWorld:
    """What the files are built from: enterprises and people by short name."""

    enterprises: dict[str, Any]
    users: dict[str, Any]


def _people(accounts: list[DemoAccount]) -> DemoWorld:
    from wib.accounts.models import OfficialMembership
    from wib.geography.models import Authority

    enterprises: dict[str, Any] = {}
    users: dict[str, Any] = {}
    secretariat = _enterprise(SECRETARIAT)
    enterprises[SECRETARIAT.slug] = secretariat
    mandatary = _user("secretariat", "Sofie", "Peeters")
    _member(mandatary, secretariat, access_manager=True)
    users["secretariat"] = mandatary
    for employer in EMPLOYERS:
        enterprise = _enterprise(employer)
        enterprises[employer.slug] = enterprise
        where = f"{employer.name} ({format_enterprise_number(enterprise.number)})"
        manager = _user(f"{employer.slug}-manager", "Access", f"Manager {employer.municipality_fr}")
        _member(manager, enterprise, access_manager=True)
        user = _user(f"{employer.slug}-employer", "HR", f"Officer {employer.municipality_fr}")
        _member(user, enterprise, access_manager=False)
        users[f"{employer.slug}-manager"] = manager
        users[f"{employer.slug}-employer"] = user
        if employer.gives_mandate:
            _mandate(enterprise, secretariat, manager)
        accounts.append(DemoAccount("access manager", manager.username, DEMO_PASSWORD, where))
        accounts.append(DemoAccount("employer user", user.username, DEMO_PASSWORD, where))
    mandated = " and ".join(e.municipality_fr for e in EMPLOYERS if e.gives_mandate)
    accounts.append(
        DemoAccount(
            "mandatary user",
            mandatary.username,
            DEMO_PASSWORD,
            f"{SECRETARIAT.name} ({format_enterprise_number(secretariat.number)}), "
            f"mandates from {mandated}",
        )
    )
    worker = _user(
        WORKER_USERNAME,
        "Amina",
        "Haddad",
        national_register_number=worker_national_register_number(),
    )
    users[WORKER_USERNAME] = worker
    accounts.append(
        DemoAccount(
            "worker",
            worker.username,
            DEMO_PASSWORD,
            f"national register number {format_insz(worker_national_register_number())}",
        )
    )
    for username, authority_code, role in OFFICIALS:
        authority = Authority.objects.get(code=authority_code)
        official = _user(username, "Demo", f"{role.title()} {authority.name_en}")
        OfficialMembership.objects.get_or_create(
            user=official, defaults={"authority": authority, "role": role}
        )
        users[username] = official
        accounts.append(
            DemoAccount(role, username, DEMO_PASSWORD, authority.name_en, _second_factor(official))
        )
    admin = _user(ADMIN_USERNAME, "Demo", "Administrator", is_staff=True, is_superuser=True)
    users[ADMIN_USERNAME] = admin
    accounts.append(
        DemoAccount(
            "administrator", admin.username, DEMO_PASSWORD, "/admin/", _second_factor(admin)
        )
    )
    return DemoWorld(enterprises=enterprises, users=users)


# --- files ---------------------------------------------------------------------------------


def _payloads(
    *,
    procedure_code: str,
    employer: DemoEmployer | None,
    worker: dict[str, str],
    residence_postcode: str = "",
) -> dict[str, dict[str, Any]]:
    today = clock.today()
    start = today + datetime.timedelta(days=60)
    short_stay = procedure_code == "short-stay-work-authorisation"
    end = start + datetime.timedelta(days=45) if short_stay else None
    employer_data = {}
    if employer is not None:
        employer_data = {
            "establishment_number": make_establishment_number(employer.establishment_base),
            "postcode": employer.postcode,
            "street": employer.street,
        }
    return {
        "employer": employer_data,
        "residence": {"postcode": residence_postcode, "street": "Rue Haute 5"},
        "worker": {"nationality": "IN", "insz": "", "passport_number": "P1234567", **worker},
        "employment": {
            # "other" (labour-market test) has no salary threshold in any region.
            "category": "other",
            "job_title": "Software engineer" if not short_stay else "Commissioning engineer",
            "start_date": start.isoformat(),
            "end_date": end.isoformat() if end else "",
            "gross_salary": "62000",
            "salary_period": "yearly",
            "joint_committee": "200",
        },
        "stay": {"in_belgium": "no", "consular_post": "Embassy of Belgium, New Delhi"},
    }


def _fill(
    file: Any, *, actor: Any, payloads: dict[str, dict[str, Any]], sections: list[str] | None
) -> Any:
    from wib.files.services import attach_document, save_section
    from wib.procedures.registry import get_procedure

    procedure = get_procedure(file.procedure_code)
    for section in sections if sections is not None else procedure.section_codes():
        file = save_section(
            file=file,
            section=section,
            data=payloads[section],
            actor=actor,
            expected_version=file.version,
        )
    if sections is not None:
        return file
    for requirement in procedure.required_documents(
        authority_code=file.authority.code, category=file.category
    ):
        attach_document(
            file=file,
            kind=requirement.kind,
            uploaded_file=demo_upload(requirement.kind),
            actor=actor,
        )
    file.refresh_from_db()
    return file


@dataclass(frozen=True)
class DemoFile:
    """A demo application: who applies, for whom, and how far it has come."""

    worker: dict[str, str]
    procedure_code: str
    employer: str
    applicant: str
    steps: tuple[str, ...]  # after submission: the officials' steps, in order
    submit: bool = True
    sections: tuple[str, ...] | None = None  # for a draft: only these sections


DEMO_FILES = (
    DemoFile(
        worker={"first_name": "Maria", "last_name": "Santos", "birth_date": "1994-02-11",
                "nationality": "BR"},
        procedure_code="single-permit", employer="linkebeek", applicant="linkebeek-employer",
        steps=(), submit=False, sections=("employer", "worker"),
    ),
    DemoFile(
        worker={"first_name": "Kenji", "last_name": "Tanaka", "birth_date": "1990-07-23",
                "nationality": "JP"},
        procedure_code="single-permit", employer="uccle", applicant="secretariat", steps=(),
    ),
    DemoFile(
        worker={"first_name": "Chen", "last_name": "Wei", "birth_date": "1987-12-01",
                "nationality": "CN"},
        procedure_code="short-stay-work-authorisation", employer="waterloo",
        applicant="waterloo-employer", steps=("request_information",),
    ),
    DemoFile(
        worker={"first_name": "Asha", "last_name": "Rao", "birth_date": "1992-03-04",
                "nationality": "IN"},
        procedure_code="single-permit", employer="linkebeek", applicant="linkebeek-employer",
        steps=("declare_admissible", "approve_work"),
    ),
    DemoFile(
        worker={"first_name": "Olena", "last_name": "Kovalenko", "birth_date": "1991-09-30",
                "nationality": "UA"},
        procedure_code="single-permit", employer="eupen", applicant="eupen-employer",
        steps=("declare_admissible", "approve_work", "grant_residence"),
    ),
)  # fmt: skip

OFFICIAL_OF = {
    "flanders": "official-flanders",
    "brussels": "official-brussels",
    "wallonia": "official-wallonia",
    "german-speaking-community": "official-dg",
}


def _advance(file: Any, step: str, world: DemoWorld) -> Any:
    from wib.files import services

    regional = world.users[OFFICIAL_OF[file.authority.code]]
    immigration = world.users["official-immigration"]
    if step == "request_information":
        return services.request_information(
            file=file,
            actor=regional,
            message="Please add the signed employment contract: the one attached is not signed.",
        )
    if step == "declare_admissible":
        return services.declare_admissible(file=file, actor=regional)
    if step == "approve_work":
        return services.decide_work_part(
            file=file, actor=regional, approve=True, motivation="The conditions are met."
        )
    if step == "grant_residence":
        return services.decide_residence_part(file=file, actor=immigration, grant=True)
    raise ValueError(step)


def _demo_file(spec: DemoFile, world: DemoWorld) -> None:
    from wib.files.models import File
    from wib.files.services import start_file, submit_file

    employer = world.enterprises[spec.employer]
    worker_name = f"{spec.worker['first_name']} {spec.worker['last_name']}"
    if File.objects.filter(employer=employer, worker_name=worker_name).exists():
        return
    actor = world.users[spec.applicant]
    demo_employer = next(e for e in EMPLOYERS if e.slug == spec.employer)
    file = start_file(procedure_code=spec.procedure_code, employer=employer, actor=actor)
    payloads = _payloads(
        procedure_code=spec.procedure_code, employer=demo_employer, worker=spec.worker
    )
    file = _fill(
        file,
        actor=actor,
        payloads=payloads,
        sections=list(spec.sections) if spec.sections is not None else None,
    )
    if not spec.submit:
        return
    file = submit_file(file=file, actor=actor, declaration_accepted=True)
    for step in spec.steps:
        file = _advance(file, step, world)


def seed_demo() -> list[DemoAccount]:
    """Create whatever of the demo is missing (all or nothing); return the table to print."""
    accounts: list[DemoAccount] = []
    with transaction.atomic():
        world = _people(accounts)
        for spec in DEMO_FILES:
            _demo_file(spec, world)
    return accounts


def demo_enabled() -> bool:
    return bool(settings.DEBUG or getattr(settings, "WIB_DEMO_ENABLED", False))
