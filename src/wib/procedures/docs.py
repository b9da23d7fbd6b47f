"""Generating docs/procedures.md from the definitions, so the documentation cannot drift."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.utils import translation

from wib.procedures.catalogue import ACTION_LABELS, CATEGORIES, DOCUMENT_LABELS
from wib.procedures.definitions import Procedure
from wib.procedures.registry import all_procedures


def default_path() -> Path:
    return Path(settings.BASE_DIR) / "docs" / "procedures.md"


def _mermaid(procedure: Procedure) -> list[str]:
    lines = ["```mermaid", "stateDiagram-v2", f"    [*] --> {procedure.initial_state}"]
    for state in procedure.states:
        lines.append(f"    {state.code} : {state.label}")
    for transition in procedure.transitions:
        lines.append(
            f"    {transition.source} --> {transition.target} : "
            f"{transition.action} ({transition.performer})"
        )
    for state in procedure.states:
        if state.final:
            lines.append(f"    {state.code} --> [*]")
    lines.append("```")
    return lines


def _scope(values: frozenset[str], everything: str) -> str:
    return ", ".join(sorted(values)) if values else everything


def _except(values: frozenset[str]) -> str:
    return f" except {', '.join(sorted(values))}" if values else ""


def render_markdown() -> str:
    """The whole document, in English (the source language of the definitions)."""
    with translation.override("en"):
        lines = [
            "# Procedures",
            "",
            "Generated from `wib.procedures.catalogue` by `manage.py procedures_doc`; do not edit "
            "by hand (a test compares this file with the generated output).",
            "",
            "Categories: " + ", ".join(f"`{c.code}` ({c.label})" for c in CATEGORIES) + ".",
            "",
        ]
        for procedure in all_procedures():
            lines += [
                f"## {procedure.title} (`{procedure.code}`)",
                "",
                f"{procedure.description}",
                "",
                f"- Who applies: {', '.join(procedure.applicant_kinds)}",
                f"- Competent authority found by: {procedure.authority_basis}",
                "- Stages: "
                + " → ".join(f"{stage.title} ({stage.authority})" for stage in procedure.stages),
                "- Sections: " + ", ".join(str(section.title) for section in procedure.sections),
                f"- Fee for the residence part: {'yes' if procedure.fee_required else 'no'}",
                "",
                "### States",
                "",
                *_mermaid(procedure),
                "",
                "| from | action | to | who |",
                "|---|---|---|---|",
                *(
                    f"| {t.source} | {ACTION_LABELS.get(t.action, t.action)} (`{t.action}`) "
                    f"| {t.target} | {t.performer} |"
                    for t in procedure.transitions
                ),
                "",
                "### Documents",
                "",
                "| document | stage | authorities | categories |",
                "|---|---|---|---|",
                *(
                    f"| {DOCUMENT_LABELS.get(r.kind, r.kind)} (`{r.kind}`) | {r.stage} "
                    f"| {_scope(r.authorities, 'all')} "
                    f"| {_scope(r.categories, 'all')}{_except(r.except_categories)} |"
                    for r in procedure.documents
                ),
                "",
                "### Messages",
                "",
                "| on | message type | to | attachment |",
                "|---|---|---|---|",
                *(
                    f"| {m.action} | {m.message_type} | {', '.join(m.recipients)} "
                    f"| {m.attachment or '-'} |"
                    for m in procedure.messages
                ),
                *(
                    f"| {d.action} | {d.message_type} | authority system ({d.recipient}) "
                    f"| {d.attachment or '-'} |"
                    for d in procedure.system_deliveries
                ),
                "",
            ]
        lines += [
            "## Deadlines",
            "",
            "Settings `WIB_DECISION_DEADLINE_DAYS` (90, from the complete file), "
            "`WIB_DEADLINE_EXTENSION_DAYS` (30, once), `WIB_INFORMATION_DEADLINE_DAYS` (15), "
            "overridable per procedure with `WIB_DECISION_DEADLINE_DAYS_BY_PROCEDURE`; the "
            "Immigration Office receives the file within 15 days of admissibility (in practice at "
            "once, on approval of the work part).",
            "",
        ]
    return "\n".join(lines)


def write_markdown(path: Path | None = None) -> Path:
    target = path or default_path()
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(render_markdown(), encoding="utf-8")
    return target
