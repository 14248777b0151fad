"""Statements written by hand for the few hot paths where the ORM's own cost is the bottleneck (ADR 0014).

Building a statement with the ORM costs about as much CPU as the database spends running it: a permit
decision made 13 statements and spent more than half of its Python time composing them. The helpers here
keep hand-written SQL honest with the models it reads and writes:

- `Shape(Model, "alias")` is the model's columns under a table alias in a SELECT (`shape.columns`), and turns
  a slice of a result row back into a model instance, through the same database converters the ORM applies
  (dates on SQLite, JSON, decimals), so the instance is the one the ORM would have built;
- `insert(obj)` inserts an unsaved instance with the values `save()` would write (defaults, `auto_now`) and
  sets its primary key;
- `update(obj, fields)` writes those fields of a saved instance (like `save(update_fields=...)`).

Column lists come from the models, so a new column is never silently left out. Only plain concrete fields:
no signals are sent (none is used in this project), an automatic primary key, no multi-table inheritance.
"""

from collections.abc import Sequence
from functools import cached_property

from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.db.models import Model


def _quote(name: str) -> str:
    return connection.ops.quote_name(name)


def _converters(model: type[Model], alias: str) -> tuple:
    """The columns whose values the ORM converts: (index, converters, column) each, kept on this thread's
    connection (they are bound to its backend). On PostgreSQL most columns need none."""
    wrapper = connections[DEFAULT_DB_ALIAS]
    cache = wrapper.__dict__.setdefault("_koshiqon_row_converters", {})
    key = (model, alias)
    if key not in cache:
        found = []
        for i, field in enumerate(model._meta.concrete_fields):
            column = field.get_col(alias)
            converters = wrapper.ops.get_db_converters(column) + column.get_db_converters(wrapper)
            if converters:
                found.append((i, tuple(converters), column))
        cache[key] = tuple(found)
    return cache[key]


class Shape:
    """One model's columns in a hand-written SELECT, under a table alias, and the instance built from them."""

    def __init__(self, model: type[Model], alias: str) -> None:
        self.model, self.alias = model, alias
        self.fields = list(model._meta.concrete_fields)
        self.attnames = [f.attname for f in self.fields]
        self.width = len(self.fields)
        self.pk_index = self.attnames.index(model._meta.pk.attname)

    @cached_property
    def columns(self) -> str:
        return ", ".join(f"{_quote(self.alias)}.{_quote(f.column)}" for f in self.fields)

    @property
    def table(self) -> str:
        return f"{_quote(self.model._meta.db_table)} {_quote(self.alias)}"

    def build(self, row: Sequence, start: int = 0) -> Model | None:
        """The instance from `row[start:start + width]`; None when its primary key is NULL (an outer join
        that found nothing)."""
        values = list(row[start:start + self.width])
        if values[self.pk_index] is None:
            return None
        for i, converters, column in _converters(self.model, self.alias):
            for converter in converters:
                values[i] = converter(values[i], column, connection)
        return self.model.from_db(connection.alias, self.attnames, values)


def insert_sql(objs: Sequence[Model]) -> tuple[str, list]:
    """One INSERT of unsaved instances of one model, with the values `save()` would write (defaults and
    `auto_now` applied), returning their primary keys in order: (sql, params)."""
    meta = objs[0]._meta
    fields = [f for f in meta.concrete_fields if not f.primary_key]
    params: list = []
    for obj in objs:
        params.extend(f.get_db_prep_save(f.pre_save(obj, True), connection) for f in fields)
    columns = ", ".join(_quote(f.column) for f in fields)
    row = f"({', '.join(['%s'] * len(fields))})"
    sql = (f"INSERT INTO {_quote(meta.db_table)} ({columns}) VALUES {', '.join([row] * len(objs))} "  # noqa: S608
           f"RETURNING {_quote(meta.pk.column)}")
    return sql, params


def saved(obj: Model, pk) -> Model:
    """Mark an instance as stored under `pk`, as `save()` leaves it."""
    obj.pk = pk
    obj._state.adding, obj._state.db = False, connection.alias
    return obj


def insert(obj: Model) -> Model:
    """INSERT an unsaved instance as `obj.save()` would, and set its primary key."""
    sql, params = insert_sql([obj])
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return saved(obj, cursor.fetchone()[0])


def update(obj: Model, fields: Sequence[str]) -> None:
    """UPDATE the named fields of a saved instance, as `obj.save(update_fields=fields)` would (an `auto_now`
    field among them takes the current time)."""
    meta = obj._meta
    chosen = [meta.get_field(name) for name in fields]
    values = [f.get_db_prep_save(f.pre_save(obj, False), connection) for f in chosen]
    assignments = ", ".join(f"{_quote(f.column)} = %s" for f in chosen)
    sql = f"UPDATE {_quote(meta.db_table)} SET {assignments} WHERE {_quote(meta.pk.column)} = %s"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql, [*values, obj.pk])
        if cursor.rowcount != 1:
            raise meta.model.DoesNotExist(f"{meta.label} {obj.pk} was not updated")
