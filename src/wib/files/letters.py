"""The PDF documents of a file: the submission receipt and the decision letters (WeasyPrint)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.template.loader import render_to_string
from django.utils import translation

from wib.procedures.registry import category_label, document_label, get_procedure

STYLESHEET = Path(__file__).parent / "templates" / "files" / "letters" / "letters.css"

RECEIPT = "receipt"
WORK_APPROVAL = "work_approval"
WORK_REFUSAL = "work_refusal"
RESIDENCE_GRANTED = "residence_granted"
RESIDENCE_REFUSED = "residence_refused"
SHORT_STAY_AUTHORISATION = "short_stay_authorisation"
LETTER_KINDS = (
    WORK_APPROVAL,
    WORK_REFUSAL,
    RESIDENCE_GRANTED,
    RESIDENCE_REFUSED,
    SHORT_STAY_AUTHORISATION,
)


def _authority_name(authority: Any, language: str, *, service: bool = False) -> str:
    if authority is None:
        return ""
    prefix = "service_name" if service else "name"
    return getattr(authority, f"{prefix}_{language}", "") or getattr(authority, f"name_{language}")


def _render(template: str, context: dict[str, Any], *, language: str, title: str) -> bytes:
    # Imported here: WeasyPrint loads fonts and Pango at import, which costs every process start.
    from weasyprint import CSS, HTML

    with translation.override(language):
        html = render_to_string(template, {**context, "title": title, "language": language})
        return HTML(string=html).write_pdf(stylesheets=[CSS(filename=str(STYLESHEET))])


def _enterprise_label(enterprise: Any) -> str:
    from wib.registry.selectors import enterprise_details

    details = enterprise_details(enterprise.number)
    name = details.name if details is not None else ""
    return f"{name} ({enterprise})" if name else str(enterprise)


def _common(file: Any, language: str) -> dict[str, Any]:
    procedure = get_procedure(file.procedure_code)
    worker = file.section_data("worker")
    with translation.override(language):
        return {
            "file": file,
            "procedure_title": str(procedure.title),
            "category": category_label(file.category) if file.category else "",
            "authority_name": _authority_name(file.authority, language),
            "authority_service": _authority_name(file.authority, language, service=True),
            "authority": file.authority,
            # Name and number: a letter naming the employer only by its number is not one an
            # HR department or a consulate can file without looking it up.
            "employer_number": _enterprise_label(file.employer) if file.employer_id else "",
            "mandatary_number": _enterprise_label(file.mandatary) if file.mandatary_id else "",
            "worker_name": file.worker_name,
            "worker": worker,
        }


def render_receipt(file: Any, *, language: str | None = None) -> bytes:
    """The receipt of a submitted file: what was sent, when, to whom and why that authority."""
    language = language or file.language
    context = _common(file, language)
    with translation.override(language):
        documents = [
            {
                "label": document_label(item.kind),
                "name": item.stored_document.original_name,
                "sha256": item.stored_document.sha256,
            }
            for item in file.documents.select_related("stored_document").order_by("pk")
        ]
    context.update({"documents": documents})
    return _render("files/letters/receipt.html", context, language=language, title=file.reference)


def render_decision_letter(
    file: Any,
    *,
    kind: str,
    motivation: str,
    decided_on: Any,
    annex: str = "",
    language: str | None = None,
) -> bytes:
    """A decision letter of the given kind, in the file's language, naming the authority."""
    if kind not in LETTER_KINDS:
        raise ValueError(kind)
    language = language or file.language
    context = _common(file, language)
    residence = kind in (RESIDENCE_GRANTED, RESIDENCE_REFUSED)
    stay = file.section_data("stay")
    context.update(
        {
            "kind": kind,
            "motivation": motivation,
            "decided_on": decided_on,
            "annex": annex,
            "residence": residence,
            "in_belgium": stay.get("in_belgium") is True,
            "consular_post": stay.get("consular_post", ""),
        }
    )
    if residence:
        context["authority_name"] = _immigration_office_name(language)
    return _render("files/letters/decision.html", context, language=language, title=file.reference)


def _immigration_office_name(language: str) -> str:
    from wib.geography.models import Authority

    office = Authority.objects.filter(code="immigration-office").first()
    return _authority_name(office, language) if office else "DVZ/OE"
