"""The one registry of procedure definitions: look a procedure up by its code."""

from __future__ import annotations

from wib.procedures.catalogue import CATEGORIES, DOCUMENT_KINDS, PROCEDURES
from wib.procedures.definitions import Category, DocumentKind, Procedure


class UnknownProcedure(LookupError):
    pass


_BY_CODE = {procedure.code: procedure for procedure in PROCEDURES}


def get_procedure(code: str) -> Procedure:
    try:
        return _BY_CODE[code]
    except KeyError:
        raise UnknownProcedure(code) from None


def all_procedures() -> tuple[Procedure, ...]:
    return PROCEDURES


def all_categories() -> tuple[Category, ...]:
    return CATEGORIES


def category_label(code: str) -> str:
    for category in CATEGORIES:
        if category.code == code:
            return str(category.label)
    return code


def all_document_kinds() -> tuple[DocumentKind, ...]:
    return DOCUMENT_KINDS


def document_label(code: str) -> str:
    for kind in DOCUMENT_KINDS:
        if kind.code == code:
            return str(kind.label)
    return code
