"""Fault injection for the simulators: named switches kept in the database, shared by processes."""

from .models import SimulatorSwitch

EBOX_DOWN = "ebox"
EBOX_ACCEPT_THEN_FAIL = "ebox-accept-then-fail"


def agency_switch(authority_code: str) -> str:
    return f"agency:{authority_code}"


def is_down(name: str) -> bool:
    return SimulatorSwitch.objects.filter(name=name, is_down=True).exists()


def set_down(name: str, *, down: bool) -> None:
    SimulatorSwitch.objects.update_or_create(name=name, defaults={"is_down": down})
