"""HTTP endpoints of the simulators; machine endpoints only, CSRF-exempt, off unless enabled."""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from . import switches
from .ebox import InvalidPublication, message_as_json, messages_for, publish_message
from .models import SimulatedAgencySubmission, SimulatedEboxAttachment

View = Callable[..., HttpResponseBase]


def simulator(view: View) -> View:
    """Answer 404 when the simulators are switched off (the production profile)."""

    @wraps(view)
    def guarded(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not settings.WIB_SIMULATORS_ENABLED:
            raise Http404
        # Authority codes are short slugs (the column holds 50): a longer one names nothing.
        if len(kwargs.get("authority_code", "")) > 50:
            raise Http404
        return view(request, *args, **kwargs)

    return guarded


def _error(status: int, code: str, message: str) -> JsonResponse:
    # The eBox's StatusMessage shape: a code, an id to quote to the help desk, a message.
    return JsonResponse({"code": code, "id": str(uuid.uuid4()), "message": message}, status=status)


@csrf_exempt
@simulator
@require_POST
def ebox_publish_message(request: HttpRequest) -> HttpResponse:
    if switches.is_down(switches.EBOX_DOWN):
        return _error(503, "SERVICE_UNAVAILABLE", "The eBox is temporarily unavailable.")
    if not (request.content_type or "").startswith("multipart/form-data"):
        return _error(400, "INVALID_INPUT", "The request must be multipart/form-data.")
    message_part: str | bytes | None = request.POST.get("messageToPublish")
    files: dict[str, UploadedFile] = {}
    for name in request.FILES:
        part = request.FILES.get(name)
        if isinstance(part, UploadedFile):
            files[name] = part
    if message_part is None and "messageToPublish" in files:
        message_part = files.pop("messageToPublish").read()
    try:
        result = publish_message(
            message_part=message_part,
            files=files,
            other_fields=list(request.POST),
            idempotency_key=request.headers.get("Idempotency-Key", ""),
        )
    except InvalidPublication as error:
        return _error(400, "INVALID_INPUT", str(error))
    if switches.is_down(switches.EBOX_ACCEPT_THEN_FAIL):
        return _error(504, "GATEWAY_TIMEOUT", "The answer was lost on the way back.")
    if switches.is_down(switches.EBOX_SLOW):
        # A slow answer, not a refusal: the client gives up first and must retry with the key.
        time.sleep(switches.SLOW_ANSWER_SECONDS)
    return JsonResponse(result.answer, status=201)


@simulator
@require_GET
def ebox_messages(request: HttpRequest) -> HttpResponse:
    ebox_type = request.GET.get("eboxType", "")
    ebox_id = request.GET.get("eboxIdValue", "")
    # A NUL byte cannot be stored or looked up in PostgreSQL: no eBox id contains one.
    if ebox_type not in ("enterprise", "citizen") or not ebox_id or "\x00" in ebox_id:
        return _error(400, "INVALID_INPUT", "eboxType and eboxIdValue are required.")
    items = [
        message_as_json(message) for message in messages_for(ebox_type=ebox_type, ebox_id=ebox_id)
    ]
    return JsonResponse({"items": items, "totalItems": len(items)})


@simulator
@require_GET
def ebox_attachment(request: HttpRequest, message_id: uuid.UUID, part: str) -> HttpResponseBase:
    attachment = get_object_or_404(
        SimulatedEboxAttachment, message_id=message_id, http_part_name=part
    )
    response = FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.filename,
        content_type=attachment.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _switch_mode(request: HttpRequest) -> str:
    if request.content_type == "application/json":
        try:
            data = json.loads(request.body or b"{}")
        except ValueError:
            data = {}
        mode = data.get("mode") if isinstance(data, dict) else None
    else:
        mode = request.POST.get("mode")
    return str(mode or "down")


@csrf_exempt
@simulator
@require_POST
def ebox_down(request: HttpRequest) -> HttpResponse:
    mode = _switch_mode(request)
    names = {
        "down": switches.EBOX_DOWN,
        "accept-then-fail": switches.EBOX_ACCEPT_THEN_FAIL,
        "slow": switches.EBOX_SLOW,
    }
    if mode not in names:
        return _error(400, "INVALID_INPUT", "mode must be down, accept-then-fail or slow.")
    switches.set_down(names[mode], down=True)
    return JsonResponse({"switch": names[mode], "isDown": True})


@csrf_exempt
@simulator
@require_POST
def ebox_up(request: HttpRequest) -> HttpResponse:
    for name in (switches.EBOX_DOWN, switches.EBOX_ACCEPT_THEN_FAIL, switches.EBOX_SLOW):
        switches.set_down(name, down=False)
    return JsonResponse({"isDown": False})


@csrf_exempt
@simulator
@require_http_methods(["GET", "POST"])
def agency_files(request: HttpRequest, authority_code: str) -> HttpResponse:
    """An authority's case system: takes a file as JSON, once per Idempotency-Key."""
    if request.method == "GET":
        submissions = SimulatedAgencySubmission.objects.filter(authority_code=authority_code)
        items = [
            {
                "id": str(submission.id),
                "idempotencyKey": submission.idempotency_key,
                "receivedAt": submission.received_at.isoformat(),
                "payload": submission.payload,
            }
            for submission in submissions
        ]
        return JsonResponse({"items": items, "totalItems": len(items)})
    if switches.is_down(switches.agency_switch(authority_code)):
        return _error(503, "SERVICE_UNAVAILABLE", "The system is temporarily unavailable.")
    key = request.headers.get("Idempotency-Key", "")
    if not key:
        return _error(400, "INVALID_INPUT", "The Idempotency-Key header is required.")
    try:
        payload = json.loads(request.body)
    except ValueError:
        return _error(400, "INVALID_INPUT", "The body must be JSON.")
    if not isinstance(payload, dict) or not payload.get("messageType"):
        return _error(400, "INVALID_INPUT", "messageType is required.")
    existing = SimulatedAgencySubmission.objects.filter(idempotency_key=key).first()
    if existing is None:
        try:
            with transaction.atomic():
                existing = SimulatedAgencySubmission.objects.create(
                    authority_code=authority_code, idempotency_key=key, payload=payload
                )
        except IntegrityError:
            existing = SimulatedAgencySubmission.objects.get(idempotency_key=key)
    return JsonResponse({"id": str(existing.id)}, status=201)


@csrf_exempt
@simulator
@require_POST
def agency_down(request: HttpRequest, authority_code: str) -> HttpResponse:
    switches.set_down(switches.agency_switch(authority_code), down=True)
    return JsonResponse({"switch": switches.agency_switch(authority_code), "isDown": True})


@csrf_exempt
@simulator
@require_POST
def agency_up(request: HttpRequest, authority_code: str) -> HttpResponse:
    switches.set_down(switches.agency_switch(authority_code), down=False)
    return JsonResponse({"switch": switches.agency_switch(authority_code), "isDown": False})
