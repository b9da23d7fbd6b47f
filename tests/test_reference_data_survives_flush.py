"""The reference data loaded by migrations is back after a transactional test flushed it."""

import pytest

from wib.geography.models import Authority, Municipality
from wib.procedures.models import ReferenceValue


@pytest.mark.django_db(transaction=True)
def test_a_transactional_test_sees_the_reference_data():
    assert Authority.objects.count() == 5
    assert Municipality.objects.count() > 500


@pytest.mark.django_db
def test_the_next_test_still_sees_the_reference_data():
    assert Authority.objects.filter(code="german-speaking-community").exists()
    assert ReferenceValue.objects.filter(kind="salary_threshold").exists()
