"""Fault injection for the simulators: named switches kept in the database, shared by processes."""

from .models import SimulatorSwitch

EBOX_DOWN = "ebox"
EBOX_ACCEPT_THEN_FAIL = "ebox-accept-then-fail"
# Stores the publication, then answers only after SLOW_ANSWER_SECONDS: past a client's time-out.
EBOX_SLOW = "ebox-slow"
SLOW_ANSWER_SECONDS = 2.0


def agency_switch(authority_code: str) -> str:
    return f"agency:{authority_code}"


def is_down(name: str) -> bool:
    return SimulatorSwitch.objects.filter(name=name, is_down=True).exists()


def set_down(name: str, *, down: bool) -> None:
    SimulatorSwitch.objects.update_or_create(name=name, defaults={"is_down": down})
