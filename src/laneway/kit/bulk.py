"""Inserting many rows at once, for imports: one compiled statement, one executemany.

SQLAlchemy's own executemany builds a parameter dictionary per row through the compiled
statement's machinery; for a million rows that bookkeeping costs more than the database's
work. Here the statement is compiled once, each column's bind processor is looked up once
and applied column by column (once for a column whose rows all hold one value), and the
driver gets plain tuples or dictionaries.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any, cast

from sqlalchemy import Connection, Table, insert


def insert_columns(connection: Connection, model: Any, columns: Mapping[str, Sequence[Any]]) -> None:
    """INSERT rows given column by column ({column name: its value in each row}, every list
    as long) into the table of `model`, in one executemany on `connection`."""
    lengths = {len(values) for values in columns.values()}
    if len(lengths) > 1:
        raise ValueError(f"columns of unequal lengths: {sorted(lengths)}")
    if not columns or not lengths.pop():
        return
    table = cast(Table, model.__table__)
    dialect = connection.dialect
    compiled = insert(table).compile(dialect=dialect, column_keys=list(columns))
    keys = list(compiled.positiontup or columns)
    # One list given for several columns of one type (an import's creation times) binds once.
    done: dict[tuple[int, str], Sequence[Any]] = {}
    bound = []
    for key in keys:
        values, column_type = columns[key], table.c[key].type
        same = (id(values), repr(column_type))
        if same not in done:
            done[same] = _bound(values, column_type._cached_bind_processor(dialect))
        bound.append(done[same])
    if compiled.positional:
        connection.exec_driver_sql(compiled.string, list(zip(*bound, strict=True)))
    else:  # named parameters (psycopg's %(name)s)
        named = [dict(zip(keys, values, strict=True)) for values in zip(*bound, strict=True)]
        connection.exec_driver_sql(compiled.string, named)


def _bound(values: Sequence[Any], process: Callable[[Any], Any] | None) -> Sequence[Any]:
    if process is None:
        return values
    if values.count(values[0]) == len(values):  # one value for every row: process it once
        return [process(values[0])] * len(values)
    return list(map(process, values))
