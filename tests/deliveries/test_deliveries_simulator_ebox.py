"""The eBox simulator refuses what the real service would refuse, stores a publication once."""

import base64
import hashlib
import json

import pytest
from delivery_helpers import PDF, enterprise_number
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from wib.simulators.models import SimulatedEboxMessage

pytestmark = pytest.mark.django_db

EMPLOYER = enterprise_number(4030190)
PUBLISH = "/simulators/ebox/publishMessage"


def digest(content: bytes) -> dict[str, str]:
    return {
        "digestMethod": "sha_256",
        "digestValue": base64.urlsafe_b64encode(hashlib.sha256(content).digest()).decode(),
    }


def valid_message(**changes):
    message = {
        "recipient": {"eboxType": "enterprise", "eboxIdValue": EMPLOYER},
        "subject": {"nl": "Beslissing", "fr": "Décision", "de": "Entscheidung"},
        "messageTypeId": "WIB_DECISION",
        "senderOrganizationId": "0314259115",
        "senderApplicationId": "wib",
        "bodyMainContent": False,
        "replyAuthorized": False,
        "attachments": [
            {
                "httpPartName": "upfile1",
                "mainContent": True,
                "attachmentSigned": False,
                "digest": digest(PDF),
            }
        ],
    }
    message.update(changes)
    return message


def pdf(name: str = "decision.pdf", content: bytes = PDF):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def publish(client, message, files=None, **headers):
    data = {"messageToPublish": json.dumps(message) if isinstance(message, dict) else message}
    data.update({"upfile1": pdf()} if files is None else files)
    return client.post(PUBLISH, data, headers=headers)


def test_a_valid_publication_is_stored_and_answered_201(client):
    response = publish(client, valid_message())
    assert response.status_code == 201
    stored = SimulatedEboxMessage.objects.get()
    assert response.json() == {"id": str(stored.id)}
    assert stored.attachments.get().sha256 == hashlib.sha256(PDF).hexdigest()


def test_a_repeated_idempotency_key_returns_the_first_message(client):
    first = publish(client, valid_message(), **{"Idempotency-Key": "key-1"})
    second = publish(client, valid_message(), **{"Idempotency-Key": "key-1"})
    assert first.status_code == second.status_code == 201
    assert first.json()["id"] == second.json()["id"]
    assert SimulatedEboxMessage.objects.count() == 1


SEVEN_ATTACHMENTS = [{"httpPartName": f"upfile{n}", "mainContent": n == 1} for n in range(1, 8)]


@pytest.mark.parametrize(
    ("message", "files"),
    [
        pytest.param(None, None, id="no messageToPublish"),
        pytest.param("{not json", None, id="not JSON"),
        pytest.param(valid_message(subject={}), None, id="empty subject"),
        pytest.param(valid_message(subject={"es": "Decisión"}), None, id="unknown language"),
        pytest.param(valid_message(messageTypeId=""), None, id="no message type"),
        pytest.param(
            valid_message(recipient={"eboxType": "enterprise", "eboxIdValue": "0403019000"}),
            None,
            id="invalid enterprise number",
        ),
        pytest.param(
            valid_message(recipient={"eboxType": "alien", "eboxIdValue": EMPLOYER}),
            None,
            id="bad type",
        ),
        pytest.param(valid_message(senderOrganizationId="ABC"), None, id="bad sender"),
        pytest.param(valid_message(replyAuthorized="no"), None, id="flag not boolean"),
        pytest.param(valid_message(surprise=True), None, id="unknown property"),
        pytest.param(valid_message(), {}, id="referenced part missing"),
        pytest.param(valid_message(), {"upfile1": pdf(), "upfile2": pdf()}, id="unreferenced part"),
        pytest.param(
            valid_message(attachments=SEVEN_ATTACHMENTS),
            {f"upfile{n}": pdf() for n in range(1, 7)},
            id="seven attachments",
        ),
        pytest.param(
            valid_message(attachments=[{"httpPartName": "upfile1", "mainContent": False}]),
            None,
            id="no main content",
        ),
        pytest.param(
            valid_message(
                attachments=[
                    {"httpPartName": "upfile1", "mainContent": True, "digest": digest(b"x")}
                ]
            ),
            None,
            id="digest mismatch",
        ),
        pytest.param(valid_message(bodyMainContent=True), None, id="main body without body"),
    ],
)
def test_malformed_publications_are_refused_with_400(client, message, files):
    data = (
        {}
        if message is None
        else {"messageToPublish": json.dumps(message) if isinstance(message, dict) else message}
    )
    data.update({"upfile1": pdf()} if files is None else files)
    response = client.post(PUBLISH, data)
    assert response.status_code == 400
    assert response.json()["code"] == "INVALID_INPUT"
    assert response.json()["message"]
    assert SimulatedEboxMessage.objects.count() == 0


def test_a_json_body_instead_of_multipart_is_refused(client):
    response = client.post(PUBLISH, valid_message(), content_type="application/json")
    assert response.status_code == 400


def test_the_down_switch_answers_503_until_it_is_up_again(client):
    assert client.post("/simulators/ebox/_down").status_code == 200
    assert publish(client, valid_message()).status_code == 503
    assert client.post("/simulators/ebox/_up").status_code == 200
    assert publish(client, valid_message()).status_code == 201
    assert SimulatedEboxMessage.objects.count() == 1


def test_accept_then_fail_stores_and_answers_504(client):
    response = client.post(
        "/simulators/ebox/_down", {"mode": "accept-then-fail"}, content_type="application/json"
    )
    assert response.status_code == 200
    assert publish(client, valid_message()).status_code == 504
    assert SimulatedEboxMessage.objects.count() == 1


def test_messages_are_listed_per_ebox_and_attachments_download(client):
    publish(client, valid_message())
    listed = client.get(
        reverse("simulators:ebox-messages"), {"eboxType": "enterprise", "eboxIdValue": EMPLOYER}
    ).json()
    other = client.get(
        reverse("simulators:ebox-messages"),
        {"eboxType": "enterprise", "eboxIdValue": enterprise_number(4030191)},
    ).json()
    assert listed["totalItems"] == 1
    assert other["totalItems"] == 0
    [attachment] = listed["items"][0]["attachments"]["items"]
    download = client.get(attachment["contentHref"])
    assert b"".join(download.streaming_content) == PDF
    assert download["Content-Type"] == "application/pdf"
    assert download["X-Content-Type-Options"] == "nosniff"


def test_the_simulators_are_absent_when_disabled(client, settings):
    settings.WIB_SIMULATORS_ENABLED = False
    assert publish(client, valid_message()).status_code == 404
    assert client.post("/simulators/ebox/_down").status_code == 404
