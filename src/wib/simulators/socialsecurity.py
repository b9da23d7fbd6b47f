"""The simulated social-security services: OAuth2 token endpoint, Dimona and DmfA, with URLs.

Same HTTP shapes as `wib.connectors.oauth`, `wib.connectors.dimona` and `wib.connectors.dmfa`
describe. The data is synthetic but deterministic: derived from a SHA-256 of the INSZ and the
enterprise number, so the same question always gets the same answer, across processes.

Rules a demo or a test can rely on:
- a worker whose INSZ has a daily serial (digits 7-9) of 900 or more is unknown to both
  sources (404), every other valid INSZ has an employment with whichever employer is asked;
- switches "dimona" and "dmfa" (`wib.simulators.switches`, or POST …/_down and …/_up) make a
  source answer 503;
- the token endpoint trusts the public key at WIB_SOCIAL_SECURITY_SIMULATOR_PUBLIC_KEY_PATH,
  or, when that is empty, the public half of the client's own key (development convenience);
  it refuses a bad signature, a wrong issuer or audience, an expired or over-long assertion and
  a replayed jti with 401 `invalid_client`, as RFC 6749 section 5.2 says.
"""

from __future__ import annotations

import hashlib
import json
import threading
import time
import uuid
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import jwt
from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from wib.connectors.dmfa import Quarter
from wib.connectors.oauth import ASSERTION_ALGORITHM, CLIENT_ASSERTION_TYPE, public_key_pem
from wib.core.identifiers import is_valid_enterprise_number, is_valid_insz, make_enterprise_number

from . import switches
from .views import simulator

DIMONA_DOWN = "dimona"
DMFA_DOWN = "dmfa"
UNKNOWN_SERIAL_FROM = 900
ACCESS_TOKEN_SECONDS = 600
MAX_ASSERTION_SECONDS = 300
ACCESS_TOKEN_AUDIENCE = "wib-simulators-socialsecurity"  # noqa: S105 (an audience name)
SCOPES = ("dimona", "dmfa")
JOINT_COMMITTEES = ("200", "124", "302", "322.01", "330", "111", "140.03", "118")
CENT = Decimal("0.01")

_seen_assertions: dict[str, float] = {}
_seen_lock = threading.Lock()


# --- synthetic data ---------------------------------------------------------------------------


@dataclass(frozen=True)
class SyntheticEmployment:
    """What the simulated sources know about one worker with one employer."""

    employer_number: str
    start_date: date
    joint_committee: str
    worker_type: str
    days_per_week: Decimal
    worker_hours: Decimal
    reference_hours: Decimal
    monthly_pay: Decimal  # gross ordinary pay (code 1) per month, already for the fraction
    earlier_student_job: bool

    @property
    def fraction(self) -> Decimal:
        return (self.worker_hours / self.reference_hours).quantize(Decimal("0.0001"))

    def quarter_pay(self, quarter: Quarter) -> list[dict[str, Any]]:
        """Code 1 every quarter; a year-end premium (code 2, one month's pay) in the fourth."""
        items = [{"code": 1, "amount": str((self.monthly_pay * 3).quantize(CENT))}]
        if quarter.number == 4:
            items.append({"code": 2, "amount": str(self.monthly_pay.quantize(CENT))})
        return items


def _hash(*parts: str) -> int:
    return int(hashlib.sha256(":".join(parts).encode()).hexdigest(), 16)


def is_known_worker(insz: str) -> bool:
    return int(insz[6:9]) < UNKNOWN_SERIAL_FROM


def synthetic_employment(insz: str, employer_number: str = "") -> SyntheticEmployment | None:
    """The deterministic employment of a worker with an employer (or the worker's own employer)."""
    if not is_known_worker(insz):
        return None
    if not employer_number:
        employer_number = make_enterprise_number(1_000_000 + _hash(insz) % 18_000_000)
    value = _hash(insz, employer_number)
    part_time = (value >> 40) % 5 == 0
    reference_hours = Decimal("38.00")
    worker_hours = Decimal("19.00") if part_time else reference_hours
    full_time_monthly = Decimal(2600 + (value >> 24) % 5000)
    return SyntheticEmployment(
        employer_number=employer_number,
        start_date=date(2019, 1, 1) + timedelta(days=value % 1461),
        joint_committee=JOINT_COMMITTEES[(value >> 8) % len(JOINT_COMMITTEES)],
        worker_type="OTH",
        days_per_week=Decimal("2.50") if part_time else Decimal("5.00"),
        worker_hours=worker_hours,
        reference_hours=reference_hours,
        monthly_pay=(full_time_monthly * worker_hours / reference_hours).quantize(CENT),
        earlier_student_job=(value >> 16) % 4 == 0,
    )


def employment_relations_answer(insz: str, employer_number: str = "") -> dict[str, Any] | None:
    employment = synthetic_employment(insz, employer_number)
    if employment is None:
        return None
    relations = [
        {
            "dimonaId": str(
                500_000_000_000 + _hash("dimona", insz, employment.employer_number) % 10**11
            ),
            "employer": {"enterpriseNumber": employment.employer_number},
            "startDate": employment.start_date.isoformat(),
            "endDate": None,
            "jointCommission": employment.joint_committee,
            "workerType": employment.worker_type,
        }
    ]
    if employment.earlier_student_job:
        relations.append(
            {
                "dimonaId": str(400_000_000_000 + _hash("student", insz) % 10**11),
                "employer": {"enterpriseNumber": employment.employer_number},
                "startDate": (employment.start_date - timedelta(days=400)).isoformat(),
                "endDate": (employment.start_date - timedelta(days=340)).isoformat(),
                "jointCommission": "302",
                "workerType": "STU",
            }
        )
    return {"ssin": insz, "employmentRelations": relations}


def declarations_answer(
    insz: str, employer_number: str, first: Quarter, last: Quarter
) -> dict[str, Any] | None:
    employment = synthetic_employment(insz, employer_number)
    if employment is None:
        return None
    quarters = []
    quarter = last
    # At most 40 quarters back: a demo asking for ten years gets them, a typo cannot loop.
    for _index in range(40):
        if quarter < first or quarter < Quarter.of(employment.start_date):
            break
        weeks = Decimal(13)
        quarters.append(
            {
                "quarter": str(quarter),
                "employer": {"enterpriseNumber": employment.employer_number},
                "workerCode": "495",
                "occupations": [
                    {
                        "sequence": 1,
                        "startDate": employment.start_date.isoformat(),
                        "endDate": None,
                        "jointCommission": employment.joint_committee,
                        "workingTime": {
                            "daysPerWeek": str(employment.days_per_week),
                            "meanWorkerHours": str(employment.worker_hours),
                            "referenceHours": str(employment.reference_hours),
                            "fraction": str(employment.fraction),
                        },
                        "services": [
                            {
                                "code": "1",
                                "days": str((employment.days_per_week * weeks).quantize(CENT)),
                                "hours": str((employment.worker_hours * weeks).quantize(CENT)),
                            }
                        ],
                        "remunerations": employment.quarter_pay(quarter),
                    }
                ],
            }
        )
        quarter = quarter.previous()
    quarters.reverse()
    return {"ssin": insz, "quarters": quarters}


# --- OAuth2 ------------------------------------------------------------------------------------


def _oauth_error(status: int, error: str, description: str) -> JsonResponse:
    response = JsonResponse({"error": error, "error_description": description}, status=status)
    response["Cache-Control"] = "no-store"
    return response


def registered_public_key() -> bytes:
    configured = settings.WIB_SOCIAL_SECURITY_SIMULATOR_PUBLIC_KEY_PATH
    if configured:
        return Path(configured).read_bytes()
    from wib.connectors.oauth import load_private_key

    return public_key_pem(load_private_key())


def _remember_jti(jti: str, expires_at: float) -> bool:
    """False when the jti was used before (a replayed assertion)."""
    now = time.time()
    with _seen_lock:
        for key in [key for key, until in _seen_assertions.items() if until < now]:
            del _seen_assertions[key]
        if jti in _seen_assertions:
            return False
        _seen_assertions[jti] = expires_at
    return True


@csrf_exempt
@simulator
@require_POST
def token(request: HttpRequest) -> HttpResponse:
    if request.POST.get("grant_type") != "client_credentials":
        return _oauth_error(400, "unsupported_grant_type", "Only client_credentials is supported.")
    if request.POST.get("client_assertion_type") != CLIENT_ASSERTION_TYPE:
        return _oauth_error(401, "invalid_client", "A JWT client assertion is required.")
    assertion = request.POST.get("client_assertion", "")
    client_id = settings.WIB_SOCIAL_SECURITY_CLIENT_ID
    audiences = [request.build_absolute_uri(), settings.WIB_SOCIAL_SECURITY_TOKEN_URL]
    try:
        claims = jwt.decode(
            assertion,
            registered_public_key(),
            algorithms=[ASSERTION_ALGORITHM],
            audience=audiences,
            issuer=client_id,
            options={"require": ["iss", "sub", "aud", "exp", "iat", "jti"]},
        )
    except jwt.PyJWTError as error:
        return _oauth_error(401, "invalid_client", f"Client assertion refused: {error}.")
    if claims["sub"] != client_id:
        return _oauth_error(401, "invalid_client", "sub must equal the client id.")
    if int(claims["exp"]) - int(claims["iat"]) > MAX_ASSERTION_SECONDS:
        return _oauth_error(401, "invalid_client", "The assertion lives too long.")
    if not _remember_jti(str(claims["jti"]), float(claims["exp"])):
        return _oauth_error(401, "invalid_client", "This assertion was used before.")
    requested = request.POST.get("scope", "").split()
    granted = [scope for scope in requested if scope in SCOPES] if requested else list(SCOPES)
    now = int(time.time())
    access_token = jwt.encode(
        {
            "sub": client_id,
            "aud": ACCESS_TOKEN_AUDIENCE,
            "scope": " ".join(granted),
            "iat": now,
            "exp": now + ACCESS_TOKEN_SECONDS,
            "jti": uuid.uuid4().hex,
        },
        settings.SECRET_KEY,
        algorithm="HS256",
    )
    response = JsonResponse(
        {
            "access_token": access_token,
            "token_type": "Bearer",
            "expires_in": ACCESS_TOKEN_SECONDS,
            "scope": " ".join(granted),
        }
    )
    response["Cache-Control"] = "no-store"
    return response


def _error(status: int, code: str, message: str) -> JsonResponse:
    return JsonResponse({"code": code, "id": str(uuid.uuid4()), "message": message}, status=status)


def _authorised(request: HttpRequest, scope: str) -> JsonResponse | None:
    """None when the bearer token is valid for the scope, else the 401/403 answer."""
    header = request.headers.get("Authorization", "")
    if not header.startswith("Bearer "):
        return _error(401, "UNAUTHORIZED", "A bearer token is required.")
    try:
        claims = jwt.decode(
            header.removeprefix("Bearer "),
            settings.SECRET_KEY,
            algorithms=["HS256"],
            audience=ACCESS_TOKEN_AUDIENCE,
        )
    except jwt.PyJWTError:
        return _error(401, "UNAUTHORIZED", "The bearer token is invalid or expired.")
    if scope not in str(claims.get("scope", "")).split():
        return _error(403, "FORBIDDEN", f"The token lacks the scope {scope}.")
    return None


def _query(request: HttpRequest) -> tuple[dict[str, Any] | None, JsonResponse | None]:
    try:
        body = json.loads(request.body or b"{}")
    except ValueError:
        return None, _error(400, "INVALID_INPUT", "The body must be JSON.")
    if not isinstance(body, dict):
        return None, _error(400, "INVALID_INPUT", "The body must be a JSON object.")
    ssin = str(body.get("ssin") or "")
    if not (len(ssin) == 11 and ssin.isdigit() and is_valid_insz(ssin)):
        return None, _error(400, "INVALID_INPUT", "ssin must be a valid INSZ of 11 digits.")
    employer = body.get("employer") or {}
    number = str(employer.get("enterpriseNumber") or "") if isinstance(employer, dict) else ""
    if number and not (len(number) == 10 and is_valid_enterprise_number(number)):
        return None, _error(400, "INVALID_INPUT", "employer.enterpriseNumber must be 10 digits.")
    body["ssin"], body["employerNumber"] = ssin, number
    return body, None


@csrf_exempt
@simulator
@require_POST
def dimona_search(request: HttpRequest) -> HttpResponse:
    if switches.is_down(DIMONA_DOWN):
        return _error(503, "SERVICE_UNAVAILABLE", "Dimona is temporarily unavailable.")
    refusal = _authorised(request, "dimona")
    if refusal is not None:
        return refusal
    body, invalid = _query(request)
    if body is None:
        return invalid or _error(400, "INVALID_INPUT", "Invalid request.")
    answer = employment_relations_answer(body["ssin"], body["employerNumber"])
    if answer is None:
        return _error(404, "NOT_FOUND", "No employment relation is known for this person.")
    return JsonResponse(answer)


@csrf_exempt
@simulator
@require_POST
def dmfa_search(request: HttpRequest) -> HttpResponse:
    if switches.is_down(DMFA_DOWN):
        return _error(503, "SERVICE_UNAVAILABLE", "DmfA is temporarily unavailable.")
    refusal = _authorised(request, "dmfa")
    if refusal is not None:
        return refusal
    body, invalid = _query(request)
    if body is None:
        return invalid or _error(400, "INVALID_INPUT", "Invalid request.")
    try:
        first = Quarter.parse(str(body.get("fromQuarter") or ""))
        last = Quarter.parse(str(body.get("toQuarter") or ""))
    except ValueError:
        return _error(400, "INVALID_INPUT", "fromQuarter and toQuarter look like 2025Q1.")
    answer = declarations_answer(body["ssin"], body["employerNumber"], first, last)
    if answer is None or not answer["quarters"]:
        return _error(404, "NOT_FOUND", "No declaration is known for this person and period.")
    return JsonResponse(answer)


def _switch(name: str, *, down: bool) -> Any:
    @csrf_exempt
    @simulator
    @require_POST
    def view(request: HttpRequest) -> HttpResponse:
        switches.set_down(name, down=down)
        return JsonResponse({"switch": name, "isDown": down})

    return view


urlpatterns = [
    path("socialsecurity/token", token, name="socialsecurity-token"),
    path("dimona/employmentRelations/search", dimona_search, name="dimona-search"),
    path("dmfa/declarations/search", dmfa_search, name="dmfa-search"),
    path("dimona/_down", _switch(DIMONA_DOWN, down=True), name="dimona-down"),
    path("dimona/_up", _switch(DIMONA_DOWN, down=False), name="dimona-up"),
    path("dmfa/_down", _switch(DMFA_DOWN, down=True), name="dmfa-down"),
    path("dmfa/_up", _switch(DMFA_DOWN, down=False), name="dmfa-up"),
]
