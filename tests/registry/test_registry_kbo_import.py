"""The KBO open-data import: full extract, update extract, order of extracts, show_enterprise."""

import io
import json
from datetime import date
from pathlib import Path

import pytest
from django.core.management import call_command

from wib.core.identifiers import (
    IdentifierError,
    format_enterprise_number,
    format_establishment_number,
    make_enterprise_number,
    make_establishment_number,
)
from wib.registry.kbo_import import ExtractRefused, import_extract
from wib.registry.kbo_synthetic import SyntheticRegister, code_rows, meta_rows, write_extract
from wib.registry.models import (
    Address,
    Code,
    Denomination,
    Enterprise,
    EstablishmentUnit,
    ImportedExtract,
)
from wib.registry.selectors import enterprise_details
from wib.registry.services import ensure_enterprise

pytestmark = pytest.mark.django_db

ALPHA = make_enterprise_number(1_234_567)
BETA = make_enterprise_number(4_567_890)
GAMMA = make_enterprise_number(7_654_321)
DELTA = make_enterprise_number(8_888_888)
LINKEBEEK_UNIT = make_establishment_number(21_000_001)
UCCLE_UNIT = make_establishment_number(21_000_002)
WATERLOO_UNIT = make_establishment_number(21_000_003)
EUPEN_UNIT = make_establishment_number(21_000_004)
UNKNOWN_UNIT = make_establishment_number(21_000_005)
DELTA_UNIT = make_establishment_number(21_000_006)
FOREIGN_UNIT = make_establishment_number(21_000_007)


def dotted(number: str) -> str:
    if number[0] in "01":
        return format_enterprise_number(number)
    return format_establishment_number(number)


def address(number, kind, postcode, nl, fr, street, house="1", country=("", "")):
    return (dotted(number), kind, *country, postcode, nl, fr, street, street, house, "", "", "")


LINKEBEEK = ("1630", "Linkebeek", "Linkebeek")
UCCLE = ("1180", "Ukkel", "Uccle")
WATERLOO = ("1410", "Waterloo", "Waterloo")
EUPEN = ("4700", "Eupen", "Eupen")


def write_full(path: Path, number: int = 140) -> Path:
    return write_extract(
        path,
        {
            "meta.csv": meta_rows(
                extract_number=number, extract_type="full", snapshot=date(2025, 6, 1)
            ),
            "code.csv": code_rows(),
            "enterprise.csv": [
                (dotted(ALPHA), "AC", "000", "2", "014", "", "01-02-1999"),
                (dotted(BETA), "AC", "000", "2", "610", "", "15-03-2010"),
                (dotted(GAMMA), "AC", "000", "1", "", "", "31-12-2020"),
            ],
            "establishment.csv": [
                (dotted(LINKEBEEK_UNIT), "01-02-1999", dotted(ALPHA)),
                (dotted(UCCLE_UNIT), "01-01-2005", dotted(ALPHA)),
                (dotted(WATERLOO_UNIT), "15-03-2010", dotted(BETA)),
                (dotted(EUPEN_UNIT), "31-12-2020", dotted(GAMMA)),
                (dotted(UNKNOWN_UNIT), "31-12-2020", dotted(GAMMA)),
                (dotted(FOREIGN_UNIT), "31-12-2020", dotted(GAMMA)),
            ],
            "denomination.csv": [
                (dotted(ALPHA), "2", "001", "Alpha Bouw"),
                (dotted(ALPHA), "1", "001", "Alpha Construction"),
                (dotted(ALPHA), "2", "002", "AB"),
                (dotted(BETA), "1", "001", "Bêta Conseil"),
                (dotted(GAMMA), "3", "001", "Gamma Eupen"),
                (dotted(UCCLE_UNIT), "1", "003", "Alpha Uccle"),
            ],
            "address.csv": [
                address(ALPHA, "REGO", *LINKEBEEK, "Hollebeekstraat"),
                address(BETA, "REGO", *WATERLOO, "Chaussée de Bruxelles", "12"),
                address(LINKEBEEK_UNIT, "BAET", *LINKEBEEK, "Hollebeekstraat"),
                address(UCCLE_UNIT, "BAET", *UCCLE, "Avenue Brugmann", "200"),
                address(WATERLOO_UNIT, "BAET", *WATERLOO, "Chaussée de Bruxelles", "12"),
                address(EUPEN_UNIT, "BAET", *EUPEN, "Gospertstraße", "3"),
                address(UNKNOWN_UNIT, "BAET", "9999", "Nergens", "Nulle part", "Straat"),
                # Amstelveen: a Dutch postcode that is also a Belgian one (1180 is Uccle).
                address(
                    FOREIGN_UNIT,
                    "BAET",
                    "1180",
                    "Amstelveen",
                    "Amstelveen",
                    "Stadsplein",
                    country=("Nederland", "Pays-Bas"),
                ),
            ],
            # Present in every real extract; the import reads past them.
            "contact.csv": [(dotted(ALPHA), "ENT", "TEL", "02 123 45 67")],
            "activity.csv": [(dotted(ALPHA), "001", "2008", "41201", "MAIN")],
            "branch.csv": [],
        },
    )


def write_update(path: Path, number: int = 141) -> Path:
    return write_extract(
        path,
        {
            "meta.csv": meta_rows(
                extract_number=number, extract_type="update", snapshot=date(2025, 7, 1)
            ),
            "code.csv": code_rows(),
            "enterprise_delete.csv": [(dotted(GAMMA),), (dotted(ALPHA),)],
            "enterprise_insert.csv": [
                # Alpha changes its legal form; Delta is new; Gamma is struck off.
                (dotted(ALPHA), "AC", "000", "2", "610", "", "01-02-1999"),
                (dotted(DELTA), "AC", "000", "2", "017", "", "01-07-2025"),
            ],
            "establishment_delete.csv": [(dotted(EUPEN_UNIT),), (dotted(UNKNOWN_UNIT),)],
            "establishment_insert.csv": [(dotted(DELTA_UNIT), "01-07-2025", dotted(DELTA))],
            "denomination_delete.csv": [(dotted(ALPHA),), (dotted(GAMMA),)],
            "denomination_insert.csv": [
                (dotted(ALPHA), "2", "001", "Alpha Bouw en Renovatie"),
                (dotted(DELTA), "2", "001", "Delta vzw"),
            ],
            # The Uccle unit moves to Waterloo: its competent authority changes.
            "address_delete.csv": [(dotted(UCCLE_UNIT),), (dotted(EUPEN_UNIT),)],
            "address_insert.csv": [
                address(UCCLE_UNIT, "BAET", *WATERLOO, "Drève Richelle", "5"),
                address(DELTA_UNIT, "BAET", *UCCLE, "Rue Vanderkindere", "1"),
            ],
            "contact_delete.csv": [],
            "contact_insert.csv": [],
        },
    )


def register_snapshot() -> dict[str, list]:
    """Everything the import writes, without the surrogate ids."""
    return {
        "enterprises": sorted(Enterprise.objects.values_list()),
        "units": sorted(
            EstablishmentUnit.objects.values_list(
                "number", "enterprise__number", "postcode", "authority_code", "listed_in_register"
            )
        ),
        "names": sorted(
            Denomination.objects.values_list(
                "entity_number", "language", "type_of_denomination", "denomination"
            )
        ),
        "addresses": sorted(
            Address.objects.values_list("entity_number", "type_of_address", "zipcode", "street_nl")
        ),
        "codes": sorted(Code.objects.values_list("category", "code", "language", "description")),
        "extracts": sorted(ImportedExtract.objects.values_list("extract_number", "extract_type")),
    }


def unit(number: str) -> EstablishmentUnit:
    return EstablishmentUnit.objects.get(number=number)


@pytest.fixture
def full_zip(tmp_path):
    return write_full(tmp_path / "KboOpenData_0140_2025_06_Full.zip")


@pytest.fixture
def update_zip(tmp_path):
    return write_update(tmp_path / "KboOpenData_0141_2025_07_Update.zip")


def test_full_extract_fills_enterprises_names_units_and_authorities(full_zip):
    result = import_extract(full_zip)

    assert result.applied
    assert Enterprise.objects.filter(listed_in_register=True).count() == 3
    alpha = Enterprise.objects.get(number=ALPHA)
    assert (alpha.juridical_form, alpha.start_date) == ("014", date(1999, 2, 1))
    authorities = {
        number: unit(number).authority_code
        for number in (
            LINKEBEEK_UNIT,
            UCCLE_UNIT,
            WATERLOO_UNIT,
            EUPEN_UNIT,
            UNKNOWN_UNIT,
            FOREIGN_UNIT,
        )
    }
    assert authorities == {
        LINKEBEEK_UNIT: "flanders",
        UCCLE_UNIT: "brussels",
        WATERLOO_UNIT: "wallonia",
        EUPEN_UNIT: "german-speaking-community",
        UNKNOWN_UNIT: "",
        FOREIGN_UNIT: "",
    }
    assert unit(UCCLE_UNIT).municipality_refnis == "21016"
    assert unit(EUPEN_UNIT).municipality_refnis == "63023"
    assert unit(UCCLE_UNIT).enterprise == alpha
    assert Denomination.objects.filter(entity_number=ALPHA).count() == 3
    assert Code.objects.filter(category="JuridicalForm", code="014", language="nl").exists()
    extract = ImportedExtract.objects.get()
    assert (extract.extract_number, extract.extract_type) == (140, "full")
    assert extract.snapshot_date == date(2025, 6, 1)
    assert extract.row_counts["enterprise.csv"] == 3
    assert extract.row_counts["address.csv"] == 8
    assert extract.row_counts["activity.csv"] == "skipped"


def test_update_extract_applies_deletes_then_inserts(full_zip, update_zip):
    import_extract(full_zip)
    import_extract(update_zip)

    alpha = Enterprise.objects.get(number=ALPHA)
    assert alpha.juridical_form == "610"
    assert alpha.listed_in_register
    assert list(
        Denomination.objects.filter(entity_number=ALPHA).values_list("denomination", flat=True)
    ) == ["Alpha Bouw en Renovatie"]
    moved = unit(UCCLE_UNIT)
    assert (moved.postcode, moved.authority_code, moved.municipality_fr) == (
        "1410",
        "wallonia",
        "Waterloo",
    )
    assert moved.street_fr == "Drève Richelle"
    # Gamma and its units leave the register but stay for the files that point at them.
    assert not Enterprise.objects.get(number=GAMMA).listed_in_register
    assert not unit(EUPEN_UNIT).listed_in_register
    assert not Denomination.objects.filter(entity_number=GAMMA).exists()
    delta_unit = unit(DELTA_UNIT)
    assert delta_unit.enterprise.number == DELTA
    assert delta_unit.authority_code == "brussels"
    assert unit(LINKEBEEK_UNIT).authority_code == "flanders"
    assert list(ImportedExtract.objects.values_list("extract_number", flat=True)) == [141, 140]


def test_update_out_of_order_is_refused_and_changes_nothing(full_zip, tmp_path):
    import_extract(full_zip)
    before = register_snapshot()
    gap = write_update(tmp_path / "KboOpenData_0143_2025_09_Update.zip", number=143)

    with pytest.raises(ExtractRefused, match=r"140\D+141"):
        import_extract(gap)

    assert register_snapshot() == before


def test_update_before_any_full_extract_is_refused(update_zip):
    with pytest.raises(ExtractRefused):
        import_extract(update_zip)
    assert not Enterprise.objects.exists()


def test_import_command_exits_2_on_an_out_of_order_update(full_zip, tmp_path):
    call_command("import_kbo", str(full_zip), stderr=io.StringIO(), stdout=io.StringIO())
    before = register_snapshot()
    stderr = io.StringIO()
    gap = write_update(tmp_path / "gap.zip", number=150)

    with pytest.raises(SystemExit) as exit_info:
        call_command("import_kbo", str(gap), stderr=stderr, stdout=io.StringIO())

    assert exit_info.value.code == 2
    assert "150" in stderr.getvalue()
    assert "141" in stderr.getvalue()
    assert register_snapshot() == before


def test_import_command_reports_progress_on_stderr(full_zip):
    stderr, stdout = io.StringIO(), io.StringIO()
    call_command("import_kbo", str(full_zip), "--progress-every", "2", stderr=stderr, stdout=stdout)

    progress = stderr.getvalue()
    assert "enterprise.csv: 2" in progress
    assert "enterprise.csv: 3" in progress
    assert "denomination.csv: 6" in progress
    assert "140" in stdout.getvalue()


def test_running_the_same_full_extract_twice_gives_the_same_register(full_zip):
    import_extract(full_zip)
    first = register_snapshot()
    import_extract(full_zip)
    second = register_snapshot()

    first.pop("extracts"), second.pop("extracts")
    assert second == first


def test_running_the_same_update_twice_changes_nothing(full_zip, update_zip):
    import_extract(full_zip)
    import_extract(update_zip)
    before = register_snapshot()

    again = import_extract(update_zip)

    assert not again.applied
    assert register_snapshot() == before


def test_a_full_extract_marks_enterprises_no_longer_published(full_zip, tmp_path):
    import_extract(full_zip)
    later = write_extract(
        tmp_path / "later.zip",
        {
            "meta.csv": meta_rows(
                extract_number=145, extract_type="full", snapshot=date(2025, 11, 1)
            ),
            "code.csv": code_rows(),
            "enterprise.csv": [(dotted(BETA), "AC", "000", "2", "610", "", "15-03-2010")],
            "establishment.csv": [(dotted(WATERLOO_UNIT), "15-03-2010", dotted(BETA))],
            "denomination.csv": [(dotted(BETA), "1", "001", "Bêta Conseil")],
            "address.csv": [address(WATERLOO_UNIT, "BAET", *WATERLOO, "Chaussée", "12")],
        },
    )

    import_extract(later)

    assert set(
        Enterprise.objects.filter(listed_in_register=True).values_list("number", flat=True)
    ) == {BETA}
    assert not Denomination.objects.filter(entity_number=ALPHA).exists()
    assert unit(WATERLOO_UNIT).listed_in_register
    assert not unit(LINKEBEEK_UNIT).listed_in_register


def test_a_zip_without_meta_is_refused(tmp_path):
    path = write_extract(tmp_path / "odd.zip", {"enterprise.csv": []})
    with pytest.raises(ExtractRefused):
        import_extract(path)


def test_enterprise_details_gives_names_office_and_units(full_zip, django_assert_max_num_queries):
    import_extract(full_zip)

    with django_assert_max_num_queries(2):
        details = enterprise_details(format_enterprise_number(ALPHA))

    assert details is not None
    assert details.formatted_number == format_enterprise_number(ALPHA)
    assert details.legal_form is not None
    assert details.legal_form.descriptions["nl"] == "Naamloze vennootschap"
    assert details.registered_office is not None
    assert details.registered_office.postcode == "1630"
    assert details.registered_office.municipality_refnis == "23100"
    assert [(unit.number, unit.authority) for unit in details.establishments] == [
        (LINKEBEEK_UNIT, "flanders"),
        (UCCLE_UNIT, "brussels"),
    ]
    assert details.establishments[1].names[0].name == "Alpha Uccle"
    assert enterprise_details(DELTA) is None
    with pytest.raises(IdentifierError):
        enterprise_details("0123.456.700")


def test_show_enterprise_prints_json(full_zip):
    import_extract(full_zip)
    stdout = io.StringIO()

    call_command("show_enterprise", f"BE {ALPHA}", stdout=stdout)

    shown = json.loads(stdout.getvalue())
    assert shown["enterprise_number"] == format_enterprise_number(ALPHA)
    assert {"language": "fr", "type": "name", "name": "Alpha Construction"} in shown["names"]
    assert {"language": "nl", "type": "abbreviation", "name": "AB"} in shown["names"]
    assert shown["legal_form"]["code"] == "014"
    assert shown["registered_office"]["postcode"] == "1630"
    assert shown["registered_office"]["municipality"] == "Linkebeek"
    assert [
        (unit["number"], unit["postcode"], unit["authority"]) for unit in shown["establishments"]
    ] == [
        (format_establishment_number(LINKEBEEK_UNIT), "1630", "flanders"),
        (format_establishment_number(UCCLE_UNIT), "1180", "brussels"),
    ]
    assert shown["establishments"][1]["street"] == "Avenue Brugmann"


@pytest.mark.parametrize("number", [DELTA, "0123.456.700", "12345"])
def test_show_enterprise_exits_2_for_unknown_or_invalid_numbers(full_zip, number):
    import_extract(full_zip)
    stderr = io.StringIO()

    with pytest.raises(SystemExit) as exit_info:
        call_command("show_enterprise", number, stdout=io.StringIO(), stderr=stderr)

    assert exit_info.value.code == 2
    assert stderr.getvalue().strip()


def test_ensure_enterprise_creates_an_unlisted_enterprise_once():
    first = ensure_enterprise(number=f"BE{DELTA}", name="Delta demo", postcode="1180")
    second = ensure_enterprise(number=dotted(DELTA), name="Other name")

    assert first == second
    assert not first.listed_in_register
    details = enterprise_details(DELTA)
    assert details is not None
    assert details.name == "Delta demo"
    assert details.registered_office is not None
    assert details.registered_office.postcode == "1180"


def test_a_full_import_keeps_enterprises_entered_by_hand(full_zip):
    manual = ensure_enterprise(number=DELTA, name="Delta demo", postcode="1180")
    import_extract(full_zip)

    manual.refresh_from_db()
    assert not manual.listed_in_register
    assert Denomination.objects.filter(entity_number=DELTA).exists()


def test_synthetic_register_imports_in_the_published_proportions(tmp_path):
    register = SyntheticRegister(70)
    path = register.write_full(
        tmp_path / "synthetic.zip", extract_number=1, snapshot=date(2025, 1, 1)
    )

    result = import_extract(path)

    assert result.row_counts["enterprise.csv"] == 70
    assert result.row_counts["establishment.csv"] == 60
    assert EstablishmentUnit.objects.exclude(authority_code="").count() == 60
    details = enterprise_details(register.enterprise_number(1))
    assert details is not None
    assert len(details.establishments) == 1
