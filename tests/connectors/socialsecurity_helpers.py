"""Test data for the social-security simulators: workers with the properties a test needs."""

from collections.abc import Callable
from datetime import date

from wib.core.identifiers import make_enterprise_number, make_insz
from wib.simulators.socialsecurity import SyntheticEmployment, synthetic_employment

EMPLOYER = make_enterprise_number(4_123_456)
BIRTH_DATE = date(1990, 5, 17)


def unknown_worker() -> str:
    """Serials from 900 are unknown to the simulated sources."""
    return make_insz(BIRTH_DATE, 950)


def worker_where(
    condition: Callable[[SyntheticEmployment], bool], employer: str = EMPLOYER
) -> tuple[str, SyntheticEmployment]:
    """The first known worker (by serial) whose synthetic employment meets the condition."""
    for serial in range(1, 900):
        insz = make_insz(BIRTH_DATE, serial)
        employment = synthetic_employment(insz, employer)
        if employment is not None and condition(employment):
            return insz, employment
    raise LookupError("No synthetic worker meets the condition.")
