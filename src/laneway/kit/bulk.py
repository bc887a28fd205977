"""Inserting many rows at once, for imports: one compiled statement, one executemany.

SQLAlchemy's own executemany builds a parameter dictionary per row through the compiled
statement's machinery; for a million rows that bookkeeping costs more than the database's
work. Here the statement is compiled once, each column's bind processor is looked up once
and applied column by column (once for a column whose rows all hold one value), and the
driver gets plain tuples or dictionaries.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, cast

from sqlalchemy import Connection, Table, insert


def insert_rows(connection: Connection, model: Any, rows: Sequence[dict[str, Any]]) -> None:
    """INSERT `rows` (dicts keyed by column name; the first row names the columns every row
    has) into the table of `model` in one executemany on `connection`."""
    if not rows:
        return
    table = cast(Table, model.__table__)
    dialect = connection.dialect
    compiled = insert(table).compile(dialect=dialect, column_keys=list(rows[0]))
    keys = list(compiled.positiontup or rows[0])
    columns = [
        _bound([row[key] for row in rows], table.c[key].type._cached_bind_processor(dialect)) for key in keys
    ]
    if compiled.positional:
        connection.exec_driver_sql(compiled.string, list(zip(*columns, strict=True)))
    else:  # named parameters (psycopg's %(name)s)
        named = [dict(zip(keys, values, strict=True)) for values in zip(*columns, strict=True)]
        connection.exec_driver_sql(compiled.string, named)


def _bound(values: list[Any], process: Callable[[Any], Any] | None) -> list[Any]:
    if process is None:
        return values
    if values.count(values[0]) == len(values):  # one value for every row: process it once
        return [process(values[0])] * len(values)
    return list(map(process, values))
