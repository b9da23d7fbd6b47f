"""Steps shared by the browser journeys: logging in through the login page (with the TOTP code
computed from the device key), uploading the required documents, pointing the deliveries at
the simulators on the live server and running the background worker in this process."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_tasks_db.management.commands.db_worker import Worker
from playwright.sync_api import Page, expect

from wib.procedures.registry import get_procedure

PASSWORD = "correct horse battery staple 42"
SIMULATED_AUTHORITIES = (
    "flanders",
    "brussels",
    "wallonia",
    "german-speaking-community",
    "immigration-office",
)


def with_password(user: Any) -> Any:
    """The user, able to log in with PASSWORD."""
    user.set_password(PASSWORD)
    user.save()
    return user


def with_totp_device(user: Any) -> TOTPDevice:
    """A confirmed authenticator device for the user (an official needs one)."""
    return TOTPDevice.objects.create(user=user, name="phone", confirmed=True)


def log_in(page: Page, username: str, *, device: TOTPDevice | None = None) -> None:
    """Fill in the login page the site redirected to; then the second factor, if any."""
    expect(page).to_have_url(re.compile(r"/en/account/login/"))
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    if device is not None:
        expect(page.get_by_role("heading", level=1)).to_have_text("Confirm your login")
        code = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
        page.get_by_label("Six-digit code from your authenticator app").fill(f"{code:06d}")
        page.get_by_role("button", name="Confirm").click()


def log_out(page: Page) -> None:
    """The next person starts from a browser without a session."""
    page.context.clear_cookies()


def upload_required_documents(
    page: Page, pdf: Path, *, procedure_code: str, authority_code: str, category: str
) -> None:
    """On the documents page, upload the PDF in every required document's own form."""
    expect(page.get_by_role("heading", level=1)).to_have_text("Documents")
    for requirement in get_procedure(procedure_code).required_documents(
        authority_code=authority_code, category=category
    ):
        page.locator(f"#id_{requirement.kind}-document").set_input_files(str(pdf))
        kinds = page.locator("input[name=kind]").evaluate_all("(nodes) => nodes.map(n => n.value)")
        page.get_by_role("button", name=re.compile(r"^Upload")).nth(
            kinds.index(requirement.kind)
        ).click()
        expect(page.get_by_role("status").first).to_contain_text("has been added")


def deliver_to_simulators(settings: Any, live_server_url: str) -> None:
    """The eBox and the authorities' systems are the simulators served by the live server."""
    settings.WIB_SIMULATORS_ENABLED = True
    settings.WIB_EBOX_URL = live_server_url + "/simulators/ebox"
    settings.WIB_AUTHORITY_SYSTEM_URLS = {
        code: f"{live_server_url}/simulators/agency/{code}/files" for code in SIMULATED_AUTHORITIES
    }


def run_worker() -> None:
    """The background worker's batch run (`manage.py db_worker --batch`), in this process:
    delivers what is due."""
    Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="browser-journey-worker",
        excluded_queue_names=[],
    ).run()
