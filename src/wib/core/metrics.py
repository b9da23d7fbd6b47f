"""Prometheus exposition for operators: queue depths, delivery states and files by state.

Hand-written text format (version 0.0.4) so no client library is needed; every value is a
count read from the database at scrape time. Off unless `WIB_METRICS_TOKEN` is set; the scraper
sends it as a bearer token.
"""

import hmac

from django.apps import apps
from django.conf import settings
from django.db.models import Count
from django.http import HttpRequest, HttpResponse, HttpResponseNotFound


def _escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")


def _gauge(name: str, help_text: str, rows: list[tuple[dict[str, str], int]]) -> list[str]:
    lines = [f"# HELP {name} {help_text}", f"# TYPE {name} gauge"]
    for labels, value in rows:
        label_text = ",".join(f'{key}="{_escape(str(val))}"' for key, val in labels.items())
        lines.append(f"{name}{{{label_text}}} {value}" if label_text else f"{name} {value}")
    return lines


def _counts(model_label: str, *fields: str) -> list[tuple[dict[str, str], int]]:
    model = apps.get_model(model_label)
    rows = model.objects.values(*fields).annotate(count=Count("pk")).order_by(*fields)
    return [({field: row[field] for field in fields}, row["count"]) for row in rows]


def exposition() -> str:
    """The current metrics in Prometheus text format."""
    audit_model = apps.get_model("audit.AuditRecord")
    lines = [
        *_gauge(
            "wib_outbox_messages",
            "Outbox messages by channel and delivery status.",
            _counts("deliveries.OutboxMessage", "channel", "status"),
        ),
        *_gauge(
            "wib_files",
            "Files (applications) by procedure and state.",
            _counts("files.File", "procedure_code", "state"),
        ),
        *_gauge(
            "wib_worker_tasks",
            "Background tasks by status (django-tasks-db).",
            _counts("django_tasks_database.DBTaskResult", "status"),
        ),
        *_gauge(
            "wib_audit_records",
            "Records in the hash-chained audit trail.",
            [({}, audit_model.objects.count())],
        ),
    ]
    return "\n".join(lines) + "\n"


def metrics(request: HttpRequest) -> HttpResponse:
    token = getattr(settings, "WIB_METRICS_TOKEN", "")
    supplied = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
    # Answer like a missing page when off or when the token is wrong: nothing to probe.
    if not token or not hmac.compare_digest(supplied.encode(), token.encode()):
        return HttpResponseNotFound()
    return HttpResponse(exposition(), content_type="text/plain; version=0.0.4; charset=utf-8")
