"""Translations keep the placeholders of their source and use the terms of docs/glossary.md."""

import re
from collections import Counter
from functools import cache
from pathlib import Path

import polib
import pytest

WIB = Path(__file__).resolve().parents[1] / "src" / "wib"
LANGUAGES = ("nl", "fr", "de")
PO_FILES = sorted(
    path for path in WIB.glob("**/locale/*/LC_MESSAGES/django.po") if path.parts[-3] in LANGUAGES
)

# %(name)s, %s, %d, %.2f and %% as Python's %-formatting reads them.
PYTHON_FORMAT = re.compile(r"%(?:\([^)]*\))?[#0 +-]*\d*(?:\.\d+)?[sdifrxXeEgGcou%]")
# Only named placeholders: safe on text that is not %-formatted, such as "50 % des".
NAMED_PYTHON_FORMAT = re.compile(r"%\([^)]*\)[#0 +-]*\d*(?:\.\d+)?[sdifrxXeEgGcou]")
BRACE_FORMAT = re.compile(r"\{[^{}]*\}")


def _label(path: Path) -> str:
    return str(path.relative_to(WIB.parent))


@cache
def _entries(path: Path) -> tuple[polib.POEntry, ...]:
    return tuple(entry for entry in polib.pofile(str(path)) if not entry.obsolete)


def _placeholders(entry: polib.POEntry, text: str) -> Counter[str]:
    pattern = PYTHON_FORMAT if "python-format" in entry.flags else NAMED_PYTHON_FORMAT
    found = Counter(pattern.findall(text))
    if "python-brace-format" in entry.flags or "brace-format" in entry.flags:
        found.update(BRACE_FORMAT.findall(text))
    return found


def _placeholder_problems(entry: polib.POEntry) -> list[str]:
    if not entry.msgid_plural:
        if not entry.msgstr:
            return []
        expected = _placeholders(entry, entry.msgid)
        found = _placeholders(entry, entry.msgstr)
        return [] if found == expected else [f"{entry.msgid!r}: {dict(found)} != {dict(expected)}"]
    # A plural form may spell out "one" instead of %(count)d, but may not invent or
    # drop any other placeholder, and the plural forms proper keep all of msgid_plural's.
    allowed = set(_placeholders(entry, entry.msgid)) | set(_placeholders(entry, entry.msgid_plural))
    plural = _placeholders(entry, entry.msgid_plural)
    problems = []
    for index, text in sorted(entry.msgstr_plural.items()):
        found = _placeholders(entry, text)
        if not set(found) <= allowed or (index > 0 and set(found) != set(plural)):
            problems.append(f"{entry.msgid_plural!r}[{index}]: {dict(found)} vs {dict(plural)}")
    return problems


@pytest.mark.parametrize("po_path", PO_FILES, ids=_label)
def test_translations_keep_the_placeholders_of_their_source(po_path):
    problems = [problem for entry in _entries(po_path) for problem in _placeholder_problems(entry)]
    assert problems == [], f"{_label(po_path)}: {problems}"


def test_the_placeholder_check_sees_a_dropped_or_renamed_placeholder():
    entry = polib.POEntry(
        msgid="File %(reference)s for {employer}",
        msgstr="Dossier %(referentie)s",
        flags=["python-format", "python-brace-format"],
    )
    assert len(_placeholder_problems(entry)) == 1
    entry.msgstr = "Dossier %(reference)s voor {employer}"
    assert _placeholder_problems(entry) == []


# English term in a msgid (a regular expression, matched case-insensitively) -> the
# accepted forms (declensions, plurals, compounds) that the nl, fr and de msgstr must contain.
GLOSSARY: dict[str, dict[str, tuple[str, ...]]] = {
    r"\bsingle permits?\b": {
        "nl": ("gecombineerde vergunning",),
        "fr": ("permis unique",),
        "de": ("kombinierte Erlaubnis", "kombinierten Erlaubnis"),
    },
    r"\bImmigration Office\b": {
        "nl": ("Dienst Vreemdelingenzaken",),
        "fr": ("Office des Étrangers",),
        "de": ("Ausländeramt",),
    },
    r"\benterprise numbers?\b": {
        "nl": ("ondernemingsnummer",),
        "fr": ("numéro d'entreprise", "numéros d'entreprise"),
        "de": ("Unternehmensnummer",),
    },
    r"\bestablishment units?\b": {
        "nl": ("vestigingseenhe",),
        "fr": ("unité d'établissement", "unités d'établissement"),
        "de": ("Niederlassungseinheit",),
    },
    r"\bmandatar(y|ies)\b": {
        "nl": ("mandataris",),
        "fr": ("mandataire",),
        "de": ("Bevollmächtigte",),
    },
    r"\baccess managers?\b": {
        "nl": ("toegangsbeheerder",),
        "fr": ("gestionnaire d'accès", "gestionnaires d'accès"),
        "de": ("Zugriffsverwalter",),
    },
    r"\b(sign(ed|ing)? in|log(ged|ging)? in)\b": {
        # Separable verbs: "meld u aan", "melden Sie sich ... an".
        "nl": ("aanmeld", "aangemeld", "meld u"),
        "fr": ("connect", "connexion"),
        "de": ("anmeld", "angemeld", "Anmeldung", "melden Sie sich"),
    },
    r"\b(sign(ed|ing)? out|log(ged|ging)? out)\b": {
        "nl": ("afmeld", "afgemeld"),
        "fr": ("déconnect",),
        "de": ("abmeld", "abgemeld"),
    },
    r"\b(in)?admissib(le|ility)\b": {
        "nl": ("ontvankelijk",),
        "fr": ("recevab",),
        "de": ("zulässig",),
    },
    r"\bregistered office\b": {
        "nl": ("maatschappelijke zetel",),
        "fr": ("siège social", "sièges sociaux"),
        "de": ("Gesellschaftssitz",),
    },
    r"\bcompetent authorit(y|ies)\b": {
        "nl": ("bevoegde overhe",),
        "fr": ("autorité compétente", "autorités compétentes"),
        "de": ("zuständige Behörde", "zuständigen Behörde"),
    },
    r"\bplaces? of employment\b": {
        "nl": ("plaats van tewerkstelling", "plaatsen van tewerkstelling"),
        "fr": ("lieu d'occupation", "lieux d'occupation"),
        "de": ("Beschäftigungsort",),
    },
    r"\bnational register\b": {
        "nl": ("rijksregister",),
        "fr": ("registre national",),
        "de": ("Nationalregister",),
    },
    r"\bwork authori[sz]ations?\b": {
        "nl": ("arbeidskaart", "arbeidsvergunning"),
        "fr": ("autorisation de travail", "autorisations de travail"),
        "de": ("Arbeitserlaubnis",),
    },
    r"\brenewals?\b": {
        "nl": ("hernieuwing",),  # not "verlenging": that is the extension of a deadline
        "fr": ("renouvellement",),
        "de": ("Erneuerung",),
    },
    r"\bfirst application\b": {
        "nl": ("eerste aanvraag",),
        "fr": ("première demande",),
        "de": ("Erstantrag",),
    },
    r"\bemployers?\b": {
        "nl": ("werkgever",),
        "fr": ("employeur",),
        "de": ("Arbeitgeber",),
    },
    r"\bsocial secretariats?\b": {
        "nl": ("sociaal secretariaat", "sociale secretariaten"),
        "fr": ("secrétariat social", "secrétariats sociaux"),
        "de": ("Sozialsekretariat",),
    },
    r"\bstructured (payment )?reference\b": {
        "nl": ("gestructureerde mededeling",),
        "fr": ("communication structurée",),
        "de": ("strukturierte Mitteilung", "strukturierten Mitteilung"),
    },
    r"\bAnnex \d+\b": {
        "nl": ("bijlage",),
        "fr": ("annexe",),
        "de": ("Anlage",),
    },
    r"\bjoint committee\b": {
        "nl": ("paritair comité",),
        "fr": ("commission paritaire",),
        "de": ("paritätische Kommission", "paritätischen Kommission"),
    },
    r"\bsingle window\b": {
        "nl": ("uniek loket", "unieke loket"),
        "fr": ("guichet unique",),
        "de": ("Einheitsschalter",),
    },
    r"\binformation requests?\b": {
        "nl": ("bijkomende informatie",),
        "fr": ("demande d'informations", "demandes d'informations"),
        "de": ("Informationsanfrage",),
    },
    r"\bwork part\b": {
        "nl": ("luik arbeid",),
        "fr": ("volet travail",),
        "de": ("Teil Beschäftigung",),
    },
    r"\bresidence part\b": {
        "nl": ("luik verblijf",),
        "fr": ("volet séjour",),
        "de": ("Teil Aufenthalt",),
    },
    r"\bCrossroads Bank for Enterprises\b": {
        "nl": ("Kruispuntbank van Ondernemingen",),
        "fr": ("Banque-Carrefour des Entreprises",),
        "de": ("Datenbank der Unternehmen",),
    },
    r"\bconsular post\b": {
        "nl": ("consulaire post",),
        "fr": ("poste consulaire",),
        "de": ("konsularische Vertretung", "konsularischen Vertretung"),
    },
}


def _glossary_problems(language: str, entries: tuple[polib.POEntry, ...]) -> list[str]:
    problems = []
    for english, expected in GLOSSARY.items():
        accepted = expected[language]
        for entry in entries:
            # Placeholder names such as %(mandatary)s are code, not text.
            source = NAMED_PYTHON_FORMAT.sub("", BRACE_FORMAT.sub("", entry.msgid))
            if not re.search(english, source, re.IGNORECASE):
                continue
            texts = list(entry.msgstr_plural.values()) if entry.msgid_plural else [entry.msgstr]
            for text in texts:
                if text and not any(form.casefold() in text.casefold() for form in accepted):
                    problems.append(f"{entry.msgid!r} -> {text!r} lacks {accepted[0]!r}")
    return problems


@pytest.mark.parametrize("po_path", PO_FILES, ids=_label)
def test_translations_use_the_glossary_terms(po_path):
    problems = _glossary_problems(po_path.parts[-3], _entries(po_path))
    assert problems == [], f"{_label(po_path)}: {problems}"


def test_the_glossary_check_sees_a_term_that_is_not_the_official_one():
    wrong = polib.POEntry(msgid="Ask your access manager.", msgstr="Vraag het uw beheerder.")
    right = polib.POEntry(msgid="Ask your access manager.", msgstr="Vraag uw toegangsbeheerder.")
    assert len(_glossary_problems("nl", (wrong, right))) == 1
