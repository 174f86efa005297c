"""The reads every request makes, with their SQL made once.

Django builds a query's SQL anew on every call. For the reads each request makes before it does
anything — the caller by their API token or by their session, each with the profile, unit and
leader the permissions ask about, and the task a request names with its section, part and
document — building the SQL took more CPU than running it: a fifth of a filing's CPU
(bench/scale). A :class:`Joined` read is made once, on its first use, from the models' own
fields, as ``select_related`` reads them (an inner join where the key cannot be empty, an outer
join where it can or where the row it hangs on may be missing); each call runs it, converts the
values as the ORM does (each field's and the database's converters) and makes the instances with
``Model.from_db``, each related row set on its owner as Django sets it, so that following a
relation the read covers asks nothing. A related row that is absent (a profile-less user, a unit
user's leader) is not cached: asking for it reads the database as usual.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from django.db import DEFAULT_DB_ALIAS, connections, models


@dataclass(frozen=True)
class _Step:
    """One model of the read: its columns in the row and how it hangs on its owner."""

    owner: int  # the index of the step it hangs on (-1 for the model read)
    model: type[models.Model]
    start: int  # its first column in the row
    accessor: str  # the owner's attribute (a foreign key, or a reverse one-to-one)

    @cached_property
    def attnames(self) -> tuple[str, ...]:
        return tuple(f.attname for f in self.model._meta.concrete_fields)

    @cached_property
    def pk_at(self) -> int:
        return self.start + self.attnames.index(self.model._meta.pk.attname)


@dataclass(frozen=True)
class _Plan:
    sql: str
    steps: list[_Step]
    converters: list[tuple[int, list]]  # (column index, [(converter, expression)…])
    width: int
    where: models.Field


class Joined:
    """``Joined(Task, "section__part__document", where="id")`` reads one task by id with its
    section, its part and its document, like ``Task.objects.select_related(…).get(id=…)``.

    ``extra`` adds computed columns: name → SQL with ``%s`` placeholders, ``{t}`` standing for
    the read model's table; their parameters come first in :meth:`one`, then the value of
    ``where``. Each value lands on the instance under its name.
    """

    def __init__(self, model: type[models.Model], *paths: str, where: str, extra=None):
        self.model = model
        self.paths = paths
        self.where = where
        self.extra = dict(extra or {})

    @cached_property
    def plan(self) -> _Plan:
        connection = connections[DEFAULT_DB_ALIAS]
        quote = connection.ops.quote_name
        steps = [_Step(-1, self.model, 0, "")]
        aliases, outer = {"": "t0"}, {"": False}
        joins = []
        expressions = [f.get_col("t0") for f in self.model._meta.concrete_fields]
        for path in self.paths:
            prefix = ""
            for name in path.split("__"):
                here = f"{prefix}__{name}" if prefix else name
                if here not in aliases:
                    owner_index = int(aliases[prefix][1:])  # alias tN is steps[N]
                    owner = steps[owner_index].model
                    field = owner._meta.get_field(name)
                    related = field.related_model
                    if field.concrete:  # a foreign key (or one-to-one) of the owner
                        mine, theirs, empty = field.column, related._meta.pk.column, field.null
                        accessor = field.name
                    elif field.one_to_one:  # the other side of a one-to-one (a user's profile)
                        mine, theirs, empty = owner._meta.pk.column, field.field.column, True
                        accessor = field.get_accessor_name()
                    else:
                        raise ValueError(f"{owner.__name__}.{name}: not a single related row")
                    alias = aliases[here] = f"t{len(aliases)}"
                    outer[here] = empty or outer[prefix]
                    kind = "LEFT OUTER JOIN" if outer[here] else "INNER JOIN"
                    on = f"{alias}.{quote(theirs)} = {aliases[prefix]}.{quote(mine)}"
                    joins.append(f"{kind} {quote(related._meta.db_table)} {alias} ON {on}")
                    steps.append(_Step(owner_index, related, len(expressions), accessor))
                    expressions += [f.get_col(alias) for f in related._meta.concrete_fields]
                prefix = here
        columns = [f"{e.alias}.{quote(e.target.column)}" for e in expressions]
        computed = [f"({sql.format(t='t0')})" for sql in self.extra.values()]
        where = self.model._meta.get_field(self.where)
        column = where.column
        sql = (
            f"SELECT {', '.join(columns + computed)} FROM {quote(self.model._meta.db_table)} t0 "
            + "".join(f"{join} " for join in joins)
            + f"WHERE t0.{quote(column)} = %s"
        )
        converters = []
        for index, expression in enumerate(expressions):
            found = connection.ops.get_db_converters(expression) + expression.get_db_converters(
                connection
            )
            if found:
                converters.append((index, [(c, expression) for c in found]))
        return _Plan(sql, steps, converters, len(expressions), where)

    def one(self, *params) -> models.Model | None:
        """The row whose ``where`` column equals the last parameter (the ``extra`` ones first),
        or None."""
        plan = self.plan
        connection = connections[DEFAULT_DB_ALIAS]
        *extra, value = params
        field = plan.where
        value = field.get_prep_value(value)
        if isinstance(value, int):  # as the ORM: a number no column can hold matches nothing
            low, high = connection.ops.integer_field_range(field.get_internal_type())
            if (low is not None and value < low) or (high is not None and value > high):
                return None
        with connection.cursor() as cursor:
            cursor.execute(plan.sql, [*extra, value])
            row = cursor.fetchone()
        if row is None:
            return None
        row = list(row)
        for index, converters in plan.converters:
            for converter, expression in converters:
                row[index] = converter(row[index], expression, connection)
        made: list[models.Model | None] = []
        for step in plan.steps:
            if row[step.pk_at] is None:  # an outer join found nothing: asked, it is read
                made.append(None)
                continue
            values = row[step.start : step.start + len(step.attnames)]
            obj = step.model.from_db(DEFAULT_DB_ALIAS, step.attnames, values)
            made.append(obj)
            owner = made[step.owner] if step.owner >= 0 else None
            if owner is not None:
                setattr(owner, step.accessor, obj)
        main = made[0]
        for name, value in zip(self.extra, row[plan.width :], strict=True):
            setattr(main, name, value)
        return main
