"""File-level permission predicates, built on wib.accounts.permissions: the one place to extend."""

from __future__ import annotations

from typing import Any

from wib.accounts import permissions as account_permissions
from wib.procedures.definitions import (
    EMPLOYER,
    FILE_AUTHORITY,
    MANDATARY,
    WORKER,
    Procedure,
)


def stage_authority_code(file: Any, stage_code: str | None = None) -> str:
    """The authority handling the file in the given stage (default: its current stage)."""
    from wib.procedures.registry import get_procedure

    procedure = get_procedure(file.procedure_code)
    stage = procedure.stage(stage_code or file.stage)
    if stage.authority == FILE_AUTHORITY:
        return file.authority.code if file.authority else ""
    return stage.authority


def applicant_capacity(user: Any, file: Any) -> tuple[str, str] | None:
    """How the user acts as the applicant of this file: (capacity, detail), or None if not."""
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    if file.worker_user_id is not None and file.worker_user_id == user.pk:
        return (WORKER, "")
    if file.employer_id is not None:
        if not account_permissions.employers_acted_for(user).filter(pk=file.employer_id).exists():
            return None
        through = account_permissions.mandatary_for(user, file.employer)
        if through is not None:
            return (MANDATARY, through.number)
        return (EMPLOYER, "")
    if file.mandatary_id is not None:
        # A mandatary applying for a worker (permit of indefinite duration, no employer).
        acted = account_permissions.employers_acted_for(user)
        if acted.filter(pk=file.mandatary_id).exists():
            return (MANDATARY, file.mandatary.number)
    return None


def is_applicant(user: Any, file: Any) -> bool:
    return applicant_capacity(user, file) is not None


def is_official_for_stage(user: Any, file: Any, stage_code: str | None = None) -> bool:
    """An official of the authority handling the file's (current) stage."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    code = stage_authority_code(file, stage_code)
    return bool(code) and code in account_permissions.official_authority_codes(user)


def may_view_as_official(user: Any, file: Any) -> bool:
    """Regional officials see their files once submitted; the Immigration Office once forwarded."""
    if file.state == "draft" or user is None or not getattr(user, "is_authenticated", False):
        return False
    codes = account_permissions.official_authority_codes(user)
    if file.authority_id is not None and file.authority.code in codes:
        return True
    return file.stage == "residence" and "immigration-office" in codes


def may_start(user: Any, *, procedure: Procedure, employer: Any, mandatary: Any = None) -> bool:
    """Whether the user may start an application under this procedure for this employer."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    if employer is None:
        if WORKER in procedure.applicant_kinds and mandatary is None:
            return account_permissions.acts_for_self(user)
        if MANDATARY in procedure.applicant_kinds and mandatary is not None:
            return account_permissions.employers_acted_for(user).filter(pk=mandatary.pk).exists()
        return False
    if not account_permissions.employers_acted_for(user).filter(pk=employer.pk).exists():
        return False
    through = account_permissions.mandatary_for(user, employer)
    if through is None:
        return EMPLOYER in procedure.applicant_kinds and mandatary is None
    return MANDATARY in procedure.applicant_kinds and (mandatary is None or mandatary == through)
