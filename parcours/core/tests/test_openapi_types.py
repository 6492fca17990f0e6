"""The API description says what each input holds (issue 7, "a typed API"): a client generated from
it, or a schema-driven test, learns the types, the dates, the codes and what must be sent.

Walks every parameter and body field of every operation of the OpenAPI description (nested objects
and lists too) and fails on an untyped input: a union of text and number, a field with no type, a
date without `format: date`, a field of codes without its `enum`. Each domain's input schemas use
`parcours.core.inputs` (Date, Integer, choice(...), required_choice(...)) for that."""

import importlib
import re

import pytest
from ninja import Schema

# Names that hold a date (YYYY-MM-DD); `returned_from` is a country.
DATE_NAME = re.compile(r"(^|_)(on|date|to)$|^(date_|valid_|assisted_)?from$")
# Objects whose keys are data (a form's answers, a sheet of fields).
FREE_FORM = {"data", "answers", "targets", "definition", "narrative"}
# Names that hold one of a list of codes.
CODE_NAMES = {"sex", "channel", "kind", "status", "to_status", "outcome", "direction", "mode", "category",
              "gravity", "theme", "audience", "age_group", "transport", "relationship", "education",
              "return_mode", "id_document_type", "type", "stage", "organiser_kind", "step"}
# Fields whose name says otherwise, and why.
NOT_A_DATE = {
    ("POST /api/v1/cases/{case_id}/transfer", "to"): "the username of the case worker taking the case over",
}
NOT_CODES = {
    ("POST /api/v1/cases/{case_id}/best-interest", "decision"): "what the panel decided, in its words",
}
# Bodies every field of which may be left out, and why.
ALL_OPTIONAL = {
    "PersonIn": "CONTRACT: every field but one name may be empty (the form names what is missing)",
    "MigrationIn": "any one field of the journey is worth recording",
    "TargetsIn": "a partial update of the targets",
    "StepIn": "the step's sheet, checked field by field by the form",
    "VersionIn": "a new version starts from the current one",
    "ServiceIn": "also the body of PATCH (a partial update); the form names what a new service lacks",
    "ActivityPatch": "a partial update", "ReclassifyIn": "a partial update", "DatedIn": "the date defaults to today",
    "GrantReportReceivedIn": "received today unless a date is given",
    "CallCloseIn": "closed today unless a date is given", "GrantPatch": "a partial update",
    "PerceptionIn": "a partial update: the counts sent replace, the others stay",
}


@pytest.fixture(scope="module")
def spec():
    import parcours.urls  # noqa: F401 - mounts every router
    from parcours.core.api import api

    return api.get_openapi_schema()


def _resolve(spec, schema):
    while "$ref" in schema:
        schema = spec["components"]["schemas"][schema["$ref"].rsplit("/", 1)[-1]]
    return schema


def _options(spec, schema) -> list[dict]:
    schema = _resolve(spec, schema)
    for key in ("anyOf", "oneOf"):
        if key in schema:
            return [o for s in schema[key] for o in _options(spec, s) if o.get("type") != "null"]
    return [schema]


def _inputs(spec):
    """(operation, field name, schema) for every parameter and body field, nested ones included."""
    for path, operations in spec["paths"].items():
        for method, op in operations.items():
            where = f"{method.upper()} {path}"
            for parameter in op.get("parameters", []):
                if parameter["in"] in ("query", "header"):
                    yield where, parameter["name"], parameter.get("schema", {})
            for content in ((op.get("requestBody") or {}).get("content") or {}).values():
                yield from _fields(spec, where, _resolve(spec, content["schema"]), depth=0)


def _fields(spec, where, schema, depth):
    for name, sub in schema.get("properties", {}).items():
        yield where, name, sub
        for option in _options(spec, sub):
            if depth < 4 and option.get("type") == "object":
                yield from _fields(spec, where, option, depth + 1)
            if depth < 4 and option.get("type") == "array":
                items = _resolve(spec, option.get("items", {}))
                if items.get("type") == "object":
                    yield from _fields(spec, where, items, depth + 1)


def test_no_input_is_an_untyped_union_or_has_no_type(spec):
    bad = []
    for where, name, schema in _inputs(spec):
        options = _options(spec, schema)
        kinds = {o.get("type") for o in options}
        if "string" in kinds and kinds & {"integer", "number"}:
            bad.append(f"{where} {name}: text or number ({sorted(k for k in kinds if k)})")
        elif (not options or any(not ({"type", "enum", "const"} & set(o)) for o in options)) \
                and not (name in FREE_FORM and kinds <= {"object", None}):
            bad.append(f"{where} {name}: no type")
    assert not bad, "Untyped inputs (use parcours.core.inputs):\n  " + "\n  ".join(bad)


def test_dates_say_they_are_dates(spec):
    bad = []
    for where, name, schema in _inputs(spec):
        if DATE_NAME.search(name) and (where, name) not in NOT_A_DATE and \
                not any(o.get("format") in ("date", "date-time") for o in _options(spec, schema)):
            bad.append(f"{where} {name}")
    assert not bad, "Dates without format: date (use parcours.core.inputs.Date):\n  " + "\n  ".join(bad)


def test_codes_list_their_values(spec):
    bad = []
    for where, name, schema in _inputs(spec):
        if name in CODE_NAMES and (where, name) not in NOT_CODES:
            options = _options(spec, schema)
            items = [_resolve(spec, o.get("items", {})) for o in options if o.get("type") == "array"]
            if not any("enum" in o for o in options + items):
                bad.append(f"{where} {name}")
    assert not bad, "Fields of codes without their enum (use parcours.core.inputs.choice):\n  " + "\n  ".join(bad)


def test_bodies_say_what_must_be_sent(spec):
    bad = []
    for path, operations in spec["paths"].items():
        for method, op in operations.items():
            for content in ((op.get("requestBody") or {}).get("content") or {}).values():
                ref = content["schema"].get("$ref", "")
                schema = _resolve(spec, content["schema"])
                name = ref.rsplit("/", 1)[-1]
                if schema.get("properties") and not schema.get("required") and name not in ALL_OPTIONAL:
                    bad.append(f"{method.upper()} {path} ({name or 'inline'})")
    assert not bad, "Bodies with no required field (mark what must be sent, or say why in ALL_OPTIONAL):\n  " + \
        "\n  ".join(bad)


def test_schema_names_are_unique_across_domains():
    """The description names each schema by its class: two classes of one name in two domains
    would give one domain's shape to the other's answers."""
    import parcours

    seen: dict[str, str] = {}
    clashes = []
    from pathlib import Path

    for api_file in sorted(Path(parcours.__file__).parent.glob("*/api.py")):
        module = importlib.import_module(f"parcours.{api_file.parent.name}.api")
        for value in vars(module).values():
            if isinstance(value, type) and issubclass(value, Schema) and value.__module__ == module.__name__:
                where = f"{value.__module__}.{value.__qualname__}"
                if value.__name__ in seen and seen[value.__name__] != where:
                    clashes.append(f"{value.__name__}: {seen[value.__name__]} and {where}")
                seen.setdefault(value.__name__, where)
    assert not clashes, "Schema classes sharing a name (rename one):\n  " + "\n  ".join(clashes)
