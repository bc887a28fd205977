"""Answers built straight from database rows, for the busiest routes.

A response schema stays the definition of an answer (OpenAPI shows it, tests check answers
against it), but validating rows into Pydantic models and dumping them again costs more than
the queries behind a page. A `Shape` fills the schema's JSON keys, in the schema's order, from a
row's columns (dates rendered as the schema renders them), and `to_json` serialises the result
with the serialiser Pydantic itself uses, so the bytes are the ones the model would give.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Annotated, Any, get_args, get_origin

from pydantic import BaseModel
from pydantic.fields import FieldInfo
from pydantic_core import PydanticUndefined, to_json

from laneway.kit.time import render

__all__ = ["Columns", "Shape", "columns_of", "to_json"]

# A row's columns by name (a SQLAlchemy RowMapping, or a dict of the same).
Columns = Mapping[Any, Any]

_MISSING = object()


def _renders_time(field: FieldInfo) -> bool:
    """Whether the field is a Timestamp (kit/schema), optional or not."""
    return _serialised_by_render([*field.metadata, field.annotation])


def _serialised_by_render(parts: Iterable[Any]) -> bool:
    for part in parts:
        if getattr(part, "func", None) is render:
            return True
        if get_origin(part) is Annotated:
            if _serialised_by_render(part.__metadata__):
                return True
        elif get_args(part) and _serialised_by_render(get_args(part)):
            return True
    return False


class Shape:
    """The JSON object of one response schema, filled from a mapping of its fields by their
    Python names (a row's columns, with nested values already shaped). Fields with a default
    may be left out of the mapping; any other missing field is a KeyError."""

    def __init__(self, model: type[BaseModel]) -> None:
        self.model = model
        self._fields: list[tuple[str, str, bool, Callable[[], Any] | None]] = []
        for name, field in model.model_fields.items():
            default: Callable[[], Any] | None = None
            if field.default_factory is not None:
                default = field.default_factory  # type: ignore[assignment]
            elif field.default is not PydanticUndefined:
                value = field.default
                default = lambda value=value: value  # noqa: E731
            self._fields.append((name, field.alias or name, _renders_time(field), default))

    def of(self, values: Columns) -> dict[str, Any]:
        shaped: dict[str, Any] = {}
        for name, key, is_time, default in self._fields:
            value = values.get(name, _MISSING)
            if value is _MISSING:
                if default is None:
                    raise KeyError(f"{self.model.__name__}.{name}")
                value = default()
            elif is_time and value is not None:
                value = render(value)
            shaped[key] = value
        return shaped

    def many(self, rows: Iterable[Columns]) -> list[dict[str, Any]]:
        return [self.of(row) for row in rows]


def columns_of(entity: Any) -> dict[str, Any]:
    """An ORM object's column values by attribute name, as a row of its table would give them."""
    return {attr.key: getattr(entity, attr.key) for attr in entity.__mapper__.column_attrs}
