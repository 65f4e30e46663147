"""The HSDS export: every object valid against the HSDS 3.1 schemas
(tests/api/hsds-3.1/, copied from the project's shared folder), the CSV
tables and their datapackage.json."""
import csv
import io
import json
import zipfile

import pytest

from portal.api.export import TABLES
from tests.api.conftest import hsds_registry, hsds_validator

pytestmark = pytest.mark.usefixtures("catalogue", "events_made")

KINDS = {"organizations": "organization", "services": "service", "locations": "location",
         "service_at_locations": "service_at_location", "taxonomies": "taxonomy",
         "taxonomy_terms": "taxonomy_term"}


def _export(client):
    response = client.get("/api/v1/export/hsds.json")
    assert response.status_code == 200
    assert 'filename="hsds.json"' in response.headers["Content-Disposition"]
    return response.get_json()


def test_every_exported_object_is_valid_hsds(client):
    exported = _export(client)
    registry = hsds_registry()
    counted = {}
    for key, kind in KINDS.items():
        validator = hsds_validator(kind, registry)
        for obj in exported[key]:
            errors = sorted(validator.iter_errors(obj), key=lambda e: list(e.path))
            assert not errors, f"{kind} {obj.get('name')}: {[(list(e.path), e.message) for e in errors]}"
        counted[key] = len(exported[key])
    assert counted == {"organizations": 3, "services": 3, "locations": 2, "service_at_locations": 2,
                       "taxonomies": 2, "taxonomy_terms": 25}
    assert exported["hsds_version"] == "3.1"
    names = [service["name"] for service in exported["services"]]
    assert names == ["Klub Seniora „Pogodna Jesień”", "Usługi opiekuńcze w domu", "Zajęcia z logopedą"]
    text = json.dumps(exported, ensure_ascii=False)
    for hidden in ("Kurs komputerowy archiwalny", "Półkolonie letnie 2025", "Fundacja Zamknięta"):
        assert hidden not in text


def test_the_csv_tables_and_their_datapackage(client):
    response = client.get("/api/v1/export/hsds.zip")
    assert response.status_code == 200 and response.headers["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.data))
    package = json.loads(archive.read("datapackage.json"))
    assert package["profile"] == "tabular-data-package"
    registry = hsds_registry()
    rows = {}
    for resource in package["resources"]:
        schema = registry.contents(f"{resource['name']}.json")
        # the file name and every column as the HSDS schema of the table names them
        assert resource["path"] == schema["path"]
        fields = [field["name"] for field in resource["schema"]["fields"]]
        assert set(fields) <= set(schema["properties"]), resource["name"]
        reader = csv.DictReader(io.StringIO(archive.read(resource["path"]).decode("utf-8")))
        assert reader.fieldnames == fields
        rows[resource["name"]] = list(reader)
        validator = hsds_validator(resource["name"], registry)
        types = {field["name"]: field["type"] for field in resource["schema"]["fields"]}
        for row in rows[resource["name"]]:
            typed = {key: (float(value) if types[key] == "number" else value) for key, value in row.items() if value}
            validator.validate(typed)
    assert {r["name"] for r in rows["service"]} == {
        "Klub Seniora „Pogodna Jesień”", "Usługi opiekuńcze w domu", "Zajęcia z logopedą"}
    club = next(r for r in rows["service"] if r["name"].startswith("Klub"))
    assert [r["number"] for r in rows["phone"] if r["service_id"] == club["id"]] == ["600100200"]
    assert {r["option"] for r in rows["cost_option"] if r["service_id"] == club["id"]} == {
        "odpłatna", "Posiadacze Karty Dużej Rodziny"}
    assert len(rows["attribute"]) == 8  # 3 + 3 + 2 areas and groups
    assert set(TABLES) == {resource["name"] for resource in package["resources"]}
