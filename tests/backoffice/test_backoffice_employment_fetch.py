"""The official's button to fetch Dimona and DmfA for a file, over HTTP against the simulators."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
import time_machine
from django.urls import reverse
from factories import EnterpriseFactory, FileFactory

from wib.audit.models import AuditRecord
from wib.connectors.oauth import clear_token_cache, generate_private_key_file, public_key_pem
from wib.core.identifiers import make_insz
from wib.files.employment import SNAPSHOT_KEY
from wib.geography.models import Authority
from wib.simulators.socialsecurity import DIMONA_DOWN, synthetic_employment
from wib.simulators.switches import set_down

pytestmark = pytest.mark.django_db(transaction=True)

TODAY = date(2026, 5, 15)


@pytest.fixture
def social_security(live_server, settings, tmp_path: Path) -> Iterator[None]:
    """The connectors pointed at the simulators served by the live server."""
    key = tmp_path / "keys" / "client.pem"
    generate_private_key_file(key)
    public = key.with_name("client-public.pem")
    public.write_bytes(public_key_pem(key.read_bytes()))
    settings.WIB_SIMULATORS_ENABLED = True
    settings.WIB_SOCIAL_SECURITY_CLIENT_ID = "wib-test-client"
    settings.WIB_SOCIAL_SECURITY_PRIVATE_KEY_PATH = str(key)
    settings.WIB_SOCIAL_SECURITY_SIMULATOR_PUBLIC_KEY_PATH = str(public)
    settings.WIB_SOCIAL_SECURITY_TOKEN_URL = live_server.url + "/simulators/socialsecurity/token"
    settings.WIB_DIMONA_URL = live_server.url + "/simulators/dimona"
    settings.WIB_DMFA_URL = live_server.url + "/simulators/dmfa"
    clear_token_cache()
    yield
    clear_token_cache()


def _submitted_file():
    """A submitted Walloon file of a full-time worker the simulated sources know."""
    employer = EnterpriseFactory()
    for serial in range(1, 900):
        insz = make_insz(date(1990, 5, 17), serial)
        employment = synthetic_employment(insz, employer.number)
        if employment is not None and employment.worker_hours == employment.reference_hours:
            break
    else:
        raise LookupError("no full-time synthetic worker")
    file = FileFactory(
        employer=employer,
        state="submitted",
        authority=Authority.objects.get(code="wallonia"),
        worker_insz=insz,
        category="highly-qualified",
        sections={
            "employment": {
                "data": {
                    "category": "highly-qualified",
                    "start_date": "2026-06-01",
                    "gross_salary": "60000",
                    "salary_period": "yearly",
                },
                "complete": True,
            }
        },
    )
    return file, employment


def _urls(file):
    return (
        reverse("backoffice:file", kwargs={"public_id": file.public_id}),
        reverse("backoffice:fetch-employment", kwargs={"public_id": file.public_id}),
    )


def test_the_official_fetches_dimona_and_dmfa_and_sees_the_pay_beside_the_threshold(
    social_security, official_client
):
    client, user = official_client("wallonia")
    file, employment = _submitted_file()
    file_url, fetch_url = _urls(file)
    with time_machine.travel(TODAY, tick=True):
        before = client.get(file_url).content.decode()
        assert fetch_url in before
        assert "no DmfA data" in before

        answer = client.post(fetch_url)
        assert answer.status_code == 302 and answer["Location"] == file_url
        page = client.get(file_url).content.decode()

    assert "The data from Dimona and DmfA has been fetched." in page
    assert "Declarations of employment (Dimona)" in page
    assert employment.joint_committee in page
    # Every pay code counts in Wallonia: three months of pay, and a premium in the fourth.
    assert "Paid according to DmfA" in page and "Average over 4 quarters." in page
    assert f"{employment.monthly_pay * 13:,.2f}" in page
    assert "60,000.00" in page  # the declared salary, beside the paid one
    assert "53,220.00" in page  # Wallonia's 2026 threshold for the highly qualified
    file.refresh_from_db()
    assert file.sections[SNAPSHOT_KEY]["data"]["dmfa"]["status"] == "ok"
    record = AuditRecord.objects.get(action="social_security.fetch", target_id=str(file.public_id))
    assert record.actor_id == user.pk
    assert record.data["dimona"] == "ok" and record.data["dmfa"] == "ok"


def test_a_silent_source_gives_the_plain_message_and_blocks_nothing(
    social_security, official_client
):
    client, _user = official_client("wallonia")
    file, _employment = _submitted_file()
    _file_url, fetch_url = _urls(file)
    set_down(DIMONA_DOWN, down=True)
    with time_machine.travel(TODAY, tick=True):
        page = client.post(fetch_url, follow=True)
    assert page.status_code == 200
    text = page.content.decode()
    assert "The Dimona service did not answer" in text
    assert "Quarterly declarations (DmfA)" in text  # the other source still answered
    assert (
        'action="' + reverse("backoffice:action", args=[file.public_id, "request_information"])
        in text
    )  # the official's actions stay available
    assert AuditRecord.objects.filter(
        action="social_security.fetch", target_id=str(file.public_id)
    ).exists()


def test_an_official_of_another_authority_cannot_fetch(social_security, official_client):
    client, _user = official_client("flanders")
    file, _employment = _submitted_file()
    _file_url, fetch_url = _urls(file)
    assert client.post(fetch_url).status_code == 404
    file.refresh_from_db()
    assert SNAPSHOT_KEY not in file.sections
