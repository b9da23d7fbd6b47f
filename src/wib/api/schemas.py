"""The typed shapes the API reads and writes; the OpenAPI document is generated from them."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from ninja import Schema
from pydantic import ConfigDict, Field


class ErrorItem(Schema):
    loc: list[str]
    type: str
    message: str


class Error(Schema):
    code: str = Field(examples=["not_found"])
    detail: str
    errors: list[ErrorItem] = []


class FileSummary(Schema):
    public_id: str
    reference: str
    procedure: str
    procedure_title: str
    state: str
    state_label: str
    stage: str
    authority: str | None
    employer: str | None
    mandatary: str | None
    worker_name: str
    submitted_at: datetime | None
    next_deadline: date | None
    overdue: bool
    version: int
    updated_at: datetime


class FileDetail(FileSummary):
    authority_name: str
    authority_rule: str
    authority_explanation: str
    category: str
    nationality: str
    decision_due_on: date | None
    information_due_on: date | None
    admissible_on: date | None
    forwarded_at: datetime | None
    closed_at: datetime | None
    created_at: datetime


class FilePage(Schema):
    count: int
    page: int
    page_size: int
    pages: int
    results: list[FileSummary]


class TimelineItem(Schema):
    at: datetime
    action: str
    label: str
    from_state: str
    to_state: str
    state_label: str
    actor_name: str
    capacity: str
    message: str


class WithdrawIn(Schema):
    """Withdraw the application; `expected_version` is the version last read (no lost update)."""

    model_config = ConfigDict(extra="forbid")

    expected_version: int = Field(ge=1)
    reason: str = Field(default="", max_length=2000)


class Municipality(Schema):
    refnis: str
    name: str
    names: dict[str, str]


class AuthorityOut(Schema):
    postcode: str
    basis: Literal["place_of_employment", "residence"]
    authority: str
    authority_name: str
    service_name: str
    rule: str
    explanation: str
    municipality: Municipality | None = Field(
        description="Null when the postcode spans two municipalities and none was chosen."
    )
    municipalities: list[Municipality]


class Address(Schema):
    postcode: str
    municipality: str
    municipality_refnis: str
    street: str
    house_number: str
    box: str
    country: str


class Establishment(Schema):
    number: str
    formatted_number: str
    start_date: date | None
    address: Address
    authority: str


class LegalFormOut(Schema):
    code: str
    description: str


class EnterpriseOut(Schema):
    number: str
    formatted_number: str
    name: str
    status: str
    start_date: date | None
    legal_form: LegalFormOut | None
    registered_office: Address | None
    establishments: list[Establishment]
    listed_in_register: bool
