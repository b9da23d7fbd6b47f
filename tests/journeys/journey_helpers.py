"""Helpers for the journeys: places, filling in a file, the worker run in-process, the eBox read
over HTTP as its owner's software would."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

import httpx
from django_tasks_db.management.commands.db_worker import Worker
from factories import EnterpriseFactory, EstablishmentUnitFactory, pdf_upload, section_payloads

from wib.files.services import attach_document, save_section, start_file
from wib.procedures.registry import get_procedure

# Establishment units at the places of the routing rule's classic example.
PLACES = {
    "flanders": ("1630", "23100", "Stationstraat 12"),  # Linkebeek
    "brussels": ("1180", "21016", "Chaussée de Waterloo 1001"),  # Uccle
    "wallonia": ("1410", "25110", "Chaussée de Bruxelles 150"),  # Waterloo
    "german-speaking-community": ("4700", "63023", "Gospertstraße 20"),  # Eupen
}
JOURNEY_MESSAGES = [
    "file-submitted",
    "information-requested",
    "file-admissible",
    "work-approved",
    "permit-granted",
]


def run_worker() -> None:
    """Run every task that is due, as `manage.py db_worker --batch` does, in this process."""
    Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="journey-worker",
        excluded_queue_names=[],
    ).run()


def employer_at(authority_code: str) -> tuple[Any, Any]:
    """An enterprise with an establishment unit at the authority's example place."""
    postcode, refnis, street = PLACES[authority_code]
    employer = EnterpriseFactory()
    unit = EstablishmentUnitFactory(
        enterprise=employer,
        postcode=postcode,
        municipality_refnis=refnis,
        street_nl=street,
        authority_code=authority_code,
    )
    return employer, unit


def payloads_for(procedure_code: str, unit: Any = None, *, residence: str = "") -> dict:
    """Valid data for every section; the place of employment is the establishment unit."""
    payloads = section_payloads(procedure_code)
    if unit is not None:
        payloads["employer"] = {
            "establishment_number": unit.number,
            "postcode": unit.postcode,
            "street": unit.street_nl,
        }
    if residence:
        postcode, _refnis, street = PLACES[residence]
        payloads["residence"] = {"postcode": postcode, "street": street}
    return payloads


def filled_draft(
    *, actor: Any, employer: Any, procedure_code: str, payloads: dict, mandatary: Any = None
) -> Any:
    """A draft filled in through the services: every section, every required document."""
    file = start_file(
        procedure_code=procedure_code, employer=employer, actor=actor, mandatary=mandatary
    )
    procedure = get_procedure(procedure_code)
    for section in procedure.section_codes():
        file = save_section(
            file=file,
            section=section,
            data=payloads[section],
            actor=actor,
            expected_version=file.version,
        )
    for requirement in procedure.required_documents(
        authority_code=file.authority.code, category=file.category
    ):
        attach_document(
            file=file,
            kind=requirement.kind,
            uploaded_file=pdf_upload(f"{requirement.kind}.pdf"),
            actor=actor,
        )
    file.refresh_from_db()
    return file


@dataclass(frozen=True)
class ReceivedMessage:
    message_type: str
    subject: dict[str, str]
    attachments: list[tuple[str, bytes]]  # (file name, content) downloaded over HTTP


def ebox_messages(site: str, *, ebox_id: str, ebox_type: str = "") -> list[ReceivedMessage]:
    """What the eBox holds for its owner, read over HTTP, with the attachments downloaded."""
    ebox_type = ebox_type or ("citizen" if len(ebox_id) == 11 else "enterprise")
    listing = httpx.get(
        f"{site}/simulators/ebox/messages",
        params={"eboxType": ebox_type, "eboxIdValue": ebox_id},
    )
    assert listing.status_code == 200, listing.text
    received = []
    for item in listing.json()["items"]:
        attachments = []
        for attachment in item["attachments"]["items"]:
            download = httpx.get(site + attachment["contentHref"])
            assert download.status_code == 200
            attachments.append((attachment["fileName"], download.content))
        received.append(
            ReceivedMessage(
                message_type=item["messageTypeId"],
                subject=item["subject"],
                attachments=attachments,
            )
        )
    return received


def message_types(messages: list[ReceivedMessage]) -> Counter:
    """The kinds of messages received, with how many of each (the order is not asserted: the
    simulator stamps arrivals with the frozen clock)."""
    return Counter(message.message_type for message in messages)


def counts_per_business_id() -> Counter:
    """How many messages the simulated eBox stored per idempotency key (business id)."""
    from wib.simulators.models import SimulatedEboxMessage

    return Counter(SimulatedEboxMessage.objects.values_list("business_id", flat=True))
