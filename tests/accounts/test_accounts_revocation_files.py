"""What a revoked mandate does to the files the mandatary started (see docs/security.md)."""

import pytest
from django.core.exceptions import PermissionDenied

from wib.accounts.services import revoke_mandate
from wib.files.permissions import is_applicant
from wib.files.selectors import files_for_applicant
from wib.files.services import start_file

pytestmark = pytest.mark.django_db


def test_revocation_leaves_the_files_with_the_employer_and_shuts_out_the_mandatary(world):
    draft = start_file(
        procedure_code="single-permit", employer=world["employer"], actor=world["mandatary_user"]
    )
    assert draft.mandatary == world["mandatary"]
    assert is_applicant(world["mandatary_user"], draft)
    assert draft in files_for_applicant(actor=world["employee"])

    revoke_mandate(mandate=world["mandate"], actor=world["manager"])

    draft.refresh_from_db()
    assert draft.employer == world["employer"]  # the employer's file, untouched
    assert not is_applicant(world["mandatary_user"], draft)
    assert draft not in files_for_applicant(actor=world["mandatary_user"])
    # The employer's own users keep the draft the mandatary started and may carry on.
    assert is_applicant(world["employee"], draft)
    assert draft in files_for_applicant(actor=world["employee"])
    with pytest.raises(PermissionDenied):
        start_file(
            procedure_code="single-permit",
            employer=world["employer"],
            actor=world["mandatary_user"],
        )


def test_only_the_employers_access_manager_may_revoke(world):
    with pytest.raises(PermissionDenied):
        revoke_mandate(mandate=world["mandate"], actor=world["mandatary_manager"])
    with pytest.raises(PermissionDenied):
        revoke_mandate(mandate=world["mandate"], actor=world["employee"])
    world["mandate"].refresh_from_db()
    assert world["mandate"].revoked_at is None
