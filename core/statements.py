"""Queries compiled once and then only run (issue 12).

Building and compiling a queryset cost the API list more than running its
SQL. A `Statement` keeps what Django compiled, the SQL and its parameters,
and runs it again on the connection of the thread that asks, converting the
values with Django's own converters (SQLite's text timestamps into aware
datetimes, say). Parameters that change from call to call (a token's key)
are compiled from a placeholder and bound on each run.

Only for queries whose SQL is a function of the cache key alone: the caller
must key a statement by everything its queryset is built from (see
core.policies.scope_key).
"""

import threading
import weakref
from collections import OrderedDict

from django.core.exceptions import EmptyResultSet
from django.db import connections


class Statement:
    """One query compiled once. `bound`: placeholder values among the
    compiled parameters, replaced by `rows(*values)` in that order."""

    def __init__(self, query, db: str, bound: tuple = ()):
        compiler = query.get_compiler(using=db)
        try:
            self.sql, params = compiler.as_sql()
        except EmptyResultSet:  # a scope that holds nothing: no query, as the ORM does
            self.sql, params = None, ()
        self.params = list(params)
        self.slots = [self.params.index(value) for value in bound] if self.sql else []
        self.query, self.db = query, db
        self.klass_info = compiler.klass_info
        # The converters of each thread's connection (bound to its operations).
        self._converters = weakref.WeakKeyDictionary()
        self.names = [*query.extra_select, *query.values_select, *query.annotation_select]

    def rows(self, *values) -> list:
        if self.sql is None:
            return []
        params = self.params
        if values:
            params = list(params)
            for slot, value in zip(self.slots, values, strict=True):
                params[slot] = value
        connection = connections[self.db]
        converters = self._converters.get(connection)
        if converters is None:
            compiler = self.query.get_compiler(connection=connection)
            compiler.setup_query()
            selected = [s[0] for s in compiler.select[:compiler.col_count]]
            converters = list(compiler.get_converters(selected).items())
            self._converters[connection] = converters
        with connection.cursor() as cursor:
            cursor.execute(self.sql, params)
            rows = cursor.fetchall()
        if not converters:
            return rows
        # As SQLCompiler.apply_converters, with the converters looked up once.
        converted = []
        for row in map(list, rows):
            for position, (functions, expression) in converters:
                value = row[position]
                for function in functions:
                    value = function(value, expression, connection)
                row[position] = value
            converted.append(row)
        return converted


class Statements:
    """Compiled list statements by key, the oldest dropped past `size`."""

    def __init__(self, size: int = 512):
        self.size, self.items, self.lock = size, OrderedDict(), threading.Lock()

    def get(self, key, build):
        with self.lock:
            statement = self.items.get(key)
            if statement is not None:
                self.items.move_to_end(key)
                return statement
        statement = build()
        with self.lock:
            self.items[key] = statement
            while len(self.items) > self.size:
                self.items.popitem(last=False)
        return statement
