"""Typed fields for the API's input schemas: the OpenAPI description says what each field holds (a
date, a whole number, one of a list of codes), while the domain's Django form behind the endpoint
stays the one judge of the values — so every bad field of a request is named at once, with the
domain's own translated reason (a date in the future, a cercle that is not in that region), exactly
as on the pages.

At run time a field takes a JSON string, number or null (a number sent for a text field, a phone or
a document number, is taken as its digits; an empty string means "not given", as forms send it);
anything else (a list, an object) is refused before the form, naming the field."""

from typing import Annotated

from pydantic import BeforeValidator, WithJsonSchema


def _scalar(value):
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        return str(value)
    return value


def _typed(schema: dict, description: str = "", *, nullable: bool = True):
    documented = {**schema, **({"description": description} if description else {})}
    if not nullable:  # a field the request must send (null is named by the form, with the others)
        return Annotated[str | int | bool | None, BeforeValidator(_scalar), WithJsonSchema(documented)]
    return Annotated[str | int | bool | None, BeforeValidator(_scalar),
                     WithJsonSchema({"anyOf": [documented, {"type": "null"}]})]


TEXT, DATE, INTEGER = {"type": "string"}, {"type": "string", "format": "date"}, {"type": "integer"}
UUID = {"type": "string", "format": "uuid"}

Text = _typed(TEXT)
Date = _typed(DATE, "YYYY-MM-DD")
Integer = _typed(INTEGER)
Flag = _typed({"type": "boolean"})
Country = _typed({"type": "string", "minLength": 2, "maxLength": 2}, "ISO 3166-1 alpha-2, e.g. ML")
Uuid = _typed(UUID)
RequiredText = _typed(TEXT, nullable=False)
RequiredDate = _typed(DATE, "YYYY-MM-DD", nullable=False)
RequiredInteger = _typed(INTEGER, nullable=False)
RequiredUuid = _typed(UUID, nullable=False)


def choice(values, description: str = ""):
    """One of `values` (a TextChoices class or a list of codes), or nothing."""
    return _typed({"type": "string", "enum": list(getattr(values, "values", values))}, description)


def required_choice(values, description: str = ""):
    """One of `values`; the field must be sent."""
    return _typed({"type": "string", "enum": list(getattr(values, "values", values))}, description, nullable=False)


def form_data(payload, **dict_kwargs) -> dict:
    """The payload as the domain's form reads it."""
    return payload.dict(**dict_kwargs)
