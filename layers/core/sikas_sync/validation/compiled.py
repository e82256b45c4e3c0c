"""A domain model's rules run without pydantic's per-row machinery: same values, same issues, ~5× faster.

`model_validate` costs tens of microseconds a row, most of it pydantic calling each field's Python
validator through its core and building the model; the values themselves take a fraction of that.
`CompiledRules` runs the same `FieldRule`s itself:

- `check(cells)` validates one row, field by field, and gives the record or the row's problems
  exactly as pydantic reports them (field errors in field order, then the cross-field rules among
  the fields that passed).
- `check_batch(rows)` validates a few hundred rows at once, a column at a time: the cells of fields
  whose values repeat (education, sex, region codes, status...) are looked up in a cache, the
  rest normalised one by one; then each row's cross-field rules run, and the clean rows' record
  data, canonical JSON and hash are built column-wise. A row with any problem is left to `check`.

Only models reproduced exactly are compiled: every field a single `FieldRule` before a plain type
(str, int, float, date, their optionals, list[str]), no other validators, the base configuration.
A normaliser's result of another type than the annotation's, or any exception other than the
rules' own errors, raises `Fallback` from `check`: that row goes to pydantic, so an unexpected value
gets pydantic's behaviour, never a guess.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import types
from collections.abc import Callable, Iterable, Mapping, Sequence
from itertools import compress, islice, repeat
from json.encoder import encode_basestring
from typing import Any, Union, cast, get_args, get_origin

from pydantic import BeforeValidator, ValidationInfo
from pydantic_core import PydanticCustomError
from pydantic_core.core_schema import ErrorType

from ..domains.base import CrossFieldRules, DomainRecord
from ..domains.values import (
    ABSENT,
    UNDECIDED,
    FieldRule,
    column_form,
    filled_flags,
    is_empty,
    refuses_placeholders,
    warning_free,
)
from ..parsing.table import Cell
from .canonical import content_hash, plain_data

# (column, code, message) of one problem of a row, in the order pydantic reports them; a warning of
# a valid row has the same shape.
Problem = tuple[str | None, str, str]
# A valid row's record data (field order, absent values left out), its content hash and its warnings
# (each field's own in field order, then the rules'; `model.row_warnings` gives the same).
Accepted = tuple[dict[str, Any], str, list[Problem]]

_NONE_TYPE = type(None)
_SCALARS: dict[Any, type] = {str: str, int: int, float: float, dt.date: dt.date}

# Field caches: judged after PROBATION rows, kept only when at least a quarter of the filled cells
# repeated an earlier one (unique values such as NIKs or names would only cost time and memory),
# and never larger than CACHE_LIMIT.
PROBATION = 2048
CACHE_LIMIT = 8192

_PYDANTIC_ERROR_TYPES = frozenset(get_args(ErrorType))


def field_problem(column: str | None, code: str, message: str) -> Problem:
    """A field's own error as operators see it: pydantic's English never reaches them."""
    if code == "missing":  # a required field whose column exists but the reader gave no cell
        return column, "value_required", "Wajib diisi"
    if code in _PYDANTIC_ERROR_TYPES:
        return column, "value_invalid", "Nilai tidak valid"
    return column, code, message


class Fallback(Exception):
    """The compiled rules cannot vouch for this row: validate it with pydantic."""


class _Info:
    """What the rules read from pydantic's ValidationInfo: the context."""

    __slots__ = ("context",)

    def __init__(self, context: dict[str, Any]) -> None:
        self.context = context


_MISSING: Any = object()  # not in a cache
_FAILED: Any = object()  # a batch cell whose rule did not pass cleanly: its row goes to `check`


class _Field:
    """One field of the model: where its cell is, its rule, the types it may produce, its cache."""

    __slots__ = (
        "_allowed",
        "cache",
        "column_form",
        "default",
        "filled",
        "fragments",
        "index",
        "info",
        "json_encode",
        "json_key",
        "kinds",
        "misses",
        "name",
        "normalise",
        "refuses_placeholders",
        "rule",
        "types",
        "warn",
        "warning_free",
    )

    def __init__(
        self,
        name: str,
        index: int | None,
        rule: FieldRule,
        *,
        types: tuple[type, ...],
        default: Any,
        info: Any,
    ) -> None:
        self.name = name
        self.index = index  # the column in the row; None when the file has no such column
        self.rule = rule
        self.normalise = rule.normalise
        # Such a normaliser's placeholder cells fail and are read as empty by `computed`: blanks are
        # all there is to find beforehand (a test over every cell would cost a tenth of validation).
        self.refuses_placeholders = refuses_placeholders(rule.normalise)
        self.warn = rule.warn
        self.warning_free = warning_free(rule.warn) if rule.warn is not None else None
        self.column_form = column_form(rule.normalise)
        self.types = types  # result types pydantic passes through unchanged
        self.kinds = frozenset(types) - {_NONE_TYPE}
        self._allowed = frozenset(types) | {type(_FAILED)}
        self.default = default
        self.info = info
        self.cache: _Cache | None = _Cache()
        self.misses = 0  # filled cells computed and cached, while caches are on probation
        self.filled = 0  # filled cells seen while caches are on probation
        self.json_key = encode_basestring(name) + ":"
        self.json_encode: Callable[[Any], str]
        if self.kinds <= {str, dt.date}:  # dates are ISO text in plain data
            self.json_encode = encode_basestring
        elif self.kinds == {int}:
            self.json_encode = int.__repr__
        else:
            self.json_encode = _json_value
        self.fragments: _Fragments | None = None  # set for cached text fields (see end of probation)

    def cache_fragments(self) -> None:
        """Fields whose values repeat also repeat their JSON: look it up instead of writing it."""
        if self.cache is not None and self.kinds <= {str, dt.date}:
            self.fragments = _Fragments(self.json_key)

    @property
    def optional(self) -> bool:
        return _NONE_TYPE in self.types

    def json_column(self, column: list[Any]) -> list[str | None]:
        """`"name":value` of each plain value as canonical_json writes it; None for a value left out."""
        fragments = self.fragments
        if fragments is not None:
            return list(map(fragments.__getitem__, column))
        key, encode = self.json_key, self.json_encode
        if self.optional:
            return [None if value is None else key + encode(value) for value in column]
        return list(map(key.__add__, map(encode, column)))

    def value(self, cell: Cell) -> Any:
        """The field's value for one cell, as pydantic would store it (and cached). Raises the
        rule's PydanticCustomError, or Fallback when only pydantic can say what happens."""
        value = self.computed(cell)
        cache = self.cache
        if cache is not None and type(cell) is str and type(value) is not list and len(cache) < CACHE_LIMIT:
            cache[cell] = value
            if cell.strip():
                self.misses += 1
        return value

    def computed(self, cell: Cell) -> Any:
        """`value`, not cached."""
        try:
            if is_empty(cell):
                value = self.rule.empty()  # the rule's own required/default handling
            else:
                value = self.normalise(cell, self.info)
                if value is ABSENT:  # a value that means "none": as an empty cell
                    value = self.rule.empty()
        except PydanticCustomError:
            raise
        except Exception:
            raise Fallback from None
        kind = type(value)
        if kind not in self.types:
            raise Fallback
        if kind is list:
            if not all(type(item) is str for item in value):
                raise Fallback
            return list(value)  # pydantic builds a new list
        return value

    def batch_value(self, cell: Cell) -> Any:
        """`computed`, or _FAILED for any problem."""
        try:
            return self.computed(cell)
        except (PydanticCustomError, Fallback):
            return _FAILED

    def column(self, cells: Sequence[Cell], failed: set[int]) -> list[Any]:
        """The values of a column of cells; adds to `failed` the positions whose rule did not pass."""
        cache = self.cache
        if cache is None:
            found = self._normalised(cells)
        else:
            # Cached values were stored here or by `value`, after the same type checks; only str cells
            # are stored, and a str key never equals a number or a date, so other cells simply miss.
            found = list(map(cache.__getitem__, cells))
            if _MISSING in found:
                self._fill_misses(cells, found)
        if _FAILED in found:
            failed.update(position for position, item in enumerate(found) if item is _FAILED)
        return found

    def _fill_misses(self, cells: Sequence[Cell], found: list[Any]) -> None:
        cache = self.cache
        assert cache is not None
        positions = [position for position, item in enumerate(found) if item is _MISSING]
        missed = [cells[position] for position in positions]
        for position, cell, value in zip(positions, missed, self._normalised(missed), strict=True):
            found[position] = value
            if value is _FAILED or type(cell) is not str or type(value) is list:
                continue
            if len(cache) < CACHE_LIMIT:
                cache[cell] = value
                if cell.strip():
                    self.misses += 1  # blank cells always repeat: they do not count

    def _normalised(self, cells: Sequence[Cell]) -> list[Any]:
        """The values of cells (_FAILED for a problem), the normaliser mapped over the filled text
        cells at once, as the rule would call it; other cells and list fields go one by one."""
        if list in self.types:
            return list(map(self.batch_value, cells))
        try:
            if self.refuses_placeholders:
                filled = list(map(bool, map(str.strip, cells)))  # type: ignore[arg-type]  # TypeError if not text
            else:
                filled = filled_flags(cells)  # type: ignore[arg-type]
        except TypeError:
            return list(map(self.batch_value, cells))
        complete = all(filled)
        todo = cells if complete else list(compress(cells, filled))
        found: list[Any] | None = None
        if self.column_form is not None and todo and set(map(type, todo)) == {str}:
            found = self.column_form(todo, self.info)  # type: ignore[arg-type]  # str cells
            if found is not None and UNDECIDED in found:
                found = [
                    self.batch_value(cell) if value is UNDECIDED else value
                    for cell, value in zip(todo, found, strict=True)
                ]
        if found is None:
            found = self._mapped(todo)
        if not set(map(type, found)).issubset(self._allowed):
            return list(map(self.batch_value, cells))  # a result pydantic would convert or refuse
        if complete:
            return found
        # Blank cells: a problem for a required field, else the rule's default (as FieldRule says).
        if self.rule.required:
            blank = _FAILED
        elif type(self.rule.default) in self.types:
            blank = self.rule.default
        else:
            return list(map(self.batch_value, cells))
        normalised = iter(found)
        return [next(normalised) if is_filled else blank for is_filled in filled]

    def _mapped(self, todo: Sequence[Cell]) -> list[Any]:
        """The normaliser mapped over filled cells; _FAILED for those it raises on."""
        found: list[Any] = []
        normalise, info = self.normalise, self.info
        start = 0
        while True:
            try:
                # extend() keeps what the map gave before a cell raised, so the failing cell is found.
                found.extend(map(normalise, islice(todo, start, None), repeat(info)))
                break
            except Exception:
                position = len(found)
                found.append(self.batch_value(todo[position]))  # raises again: _FAILED
                start = position + 1
        return found


def _result_types(annotation: Any) -> tuple[type, ...] | None:
    """The exact result types that need no conversion for `annotation`; None for other annotations."""
    options = get_args(annotation) if get_origin(annotation) in (Union, types.UnionType) else (annotation,)
    found: list[type] = []
    for option in options:
        if option is _NONE_TYPE:
            found.append(_NONE_TYPE)
        elif option in _SCALARS:
            found.append(_SCALARS[option])
        elif get_origin(option) is list and get_args(option) == (str,):
            found.append(list)
        else:
            return None
    return tuple(found)


def _compilable(model: type[DomainRecord]) -> bool:
    decorators = model.__pydantic_decorators__
    return (
        model.model_config == DomainRecord.model_config
        and set(decorators.model_validators) == {"_cross_field_rules"}
        and not decorators.field_validators
        and not decorators.validators
        and not decorators.root_validators
        and not decorators.field_serializers
        and not decorators.model_serializers
        and not decorators.computed_fields
        and model.__pydantic_post_init__ is None
        and not model.__private_attributes__
    )


def compile_rules(
    model: type[DomainRecord], positions: Mapping[str, int], context: dict[str, Any], *, caching: bool = True
) -> CompiledRules | None:
    """The compiled rules of `model` for a file whose columns are at `positions` (field -> index);
    None when the model uses something only pydantic runs, or the file lacks a required column."""
    if not _compilable(model):
        return None
    info = cast(ValidationInfo, _Info(context))
    fields: list[_Field] = []
    for name, spec in model.model_fields.items():
        if len(spec.metadata) != 1 or not isinstance(spec.metadata[0], BeforeValidator):
            return None
        rule = spec.metadata[0].func
        result_types = _result_types(spec.annotation)
        if (
            type(rule) is not FieldRule
            or result_types is None
            or spec.default_factory is not None
            or spec.alias is not None
            or spec.validation_alias is not None
        ):
            return None
        index = positions.get(name)
        if index is None and spec.is_required():
            return None  # pydantic reports it missing
        fields.append(_Field(name, index, rule, types=result_types, default=spec.default, info=info))
    return CompiledRules(model, fields, caching=caching)


class CompiledRules:
    """The rules of one domain model for one file's column layout. Build it with `compile_rules`."""

    def __init__(self, model: type[DomainRecord], fields: list[_Field], *, caching: bool) -> None:
        self._model = model
        self._fields = fields
        self._names = tuple(spec.name for spec in fields)
        self._optional = any(spec.optional for spec in fields)
        self._derives = model.fill_defaults is not DomainRecord.fill_defaults
        self._iso_text = _IsoText()
        # canonical_json's key order: the fields sorted by name.
        self._json_order = sorted(range(len(fields)), key=lambda number: fields[number].name)
        self._rows = 0
        self._probation = caching
        if not caching:
            for spec in fields:
                spec.cache = None
        # Rows must reach every column read; shorter ones go to pydantic.
        self.width = max((spec.index + 1 for spec in fields if spec.index is not None), default=0)
        self._warned = [spec for spec in fields if spec.warn is not None and spec.index is not None]
        self._info = fields[0].info if fields else None

    # ------------------------------------------------------------------------------------ one row

    def check(self, cells: list[Cell]) -> Accepted | list[Problem]:
        """The row's record data and hash, or its problems. Raises Fallback."""
        values: dict[str, Any] = {}
        problems: list[Problem] = []
        for spec in self._fields:
            if spec.index is None:
                values[spec.name] = spec.default
                continue
            cell = cells[spec.index]
            cache = spec.cache
            found = cache.get(cell, _MISSING) if cache is not None else _MISSING
            if found is not _MISSING:
                values[spec.name] = found
                continue
            try:
                values[spec.name] = spec.value(cell)
            except PydanticCustomError as error:
                problems.append(field_problem(spec.name, error.type, error.message()))
        rules = self._rules_of(values)
        if problems or rules.issues:
            # As pydantic: field errors first; then the rules among the fields that did pass.
            return problems + _problems(rules.issues)
        warned = self._field_warnings(cells, values) + _problems(rules.warnings)
        if self._derives:
            return (*self._finish(values), warned)
        data = plain_data(values)
        return data, content_hash(data), warned

    def _rules_of(self, values: dict[str, Any]) -> CrossFieldRules:
        rules = CrossFieldRules()
        try:
            self._model.check_rules(values, rules)
        except Exception:
            raise Fallback from None
        return rules

    def _field_warnings(self, cells: Sequence[Cell], values: Mapping[str, Any]) -> list[Problem]:
        """The fields' own warnings of a valid row, in field order (`DomainRecord.row_warnings`)."""
        found: list[Problem] = []
        for spec in self._warned:
            value = values[spec.name]
            if value is None or spec.index is None:
                continue
            try:
                warned = spec.warn(cells[spec.index], value, self._info)  # type: ignore[misc]  # _warned
            except Exception:
                raise Fallback from None
            if warned is not None:
                found.append((spec.name, *warned))
        return found

    def _finish(self, values: dict[str, Any]) -> tuple[dict[str, Any], str]:
        """A valid row of a model with derived values: fill them in as the model does, then encode."""
        record = self._model.model_construct(**values)
        record.fill_defaults()
        data = plain_data(record.__dict__)
        return data, content_hash(data)

    # ---------------------------------------------------------------------------------- many rows

    def check_batch(self, rows: list[list[Cell]]) -> list[Accepted | None]:
        """Each row's record data, hash and warnings; None for a row with any problem (ask `check`
        for it). Every row must be at least `width` cells long."""
        results, warnings = self._check_batch(rows, None)
        return [
            None if found is None else (found[0], found[1], warnings.get(position, []))
            for position, found in enumerate(results)
        ]

    def check_batch_keys(
        self, rows: list[list[Cell]], keys: tuple[str, ...]
    ) -> tuple[list[tuple[str, ...] | None], dict[int, list[Problem]]]:
        """`check_batch` for a caller that needs no records: the natural key (the `keys` fields of
        the record data, as text) of each valid row instead of its data and hash, and the warnings
        of the valid rows that have any, by position."""
        return self._check_batch(rows, keys)

    def _check_batch(
        self, rows: list[list[Cell]], keys: tuple[str, ...] | None
    ) -> tuple[list[Any], dict[int, list[Problem]]]:
        count = len(rows)
        if not count:
            return [], {}
        by_index = list(zip(*rows, strict=False))  # the columns, up to the shortest row (>= `width`)
        failed: set[int] = set()
        columns: list[list[Any]] = [
            # No such column: the default, not validated (as pydantic does).
            [spec.default] * count if spec.index is None else spec.column(by_index[spec.index], failed)
            for spec in self._fields
        ]
        if self._probation:
            self._rows += count
            for spec in self._fields:
                if spec.index is not None:
                    spec.filled += sum(1 for cell in by_index[spec.index] if not is_empty(cell))
            if self._rows >= PROBATION:
                self._end_probation()
        clean, rule_warnings = self._clean_rows(columns, failed)
        results: list[Any] = [None] * count
        if not clean:
            return results, {}
        try:
            warnings = self._batch_warnings(by_index, columns, clean, rule_warnings)
        except Fallback:
            return results, {}  # a warning that failed: each row takes `check`, then pydantic
        if self._derives:
            for position, values in clean.items():
                data, digest = self._finish(values)
                results[position] = (
                    (data, digest) if keys is None else tuple(str(data[name]) for name in keys)
                )
            return results, warnings
        if len(clean) < count:
            keep = [position in clean for position in range(count)]
            columns = [list(compress(column, keep)) for column in columns]
        try:
            found = self._records(columns) if keys is None else self._keys(columns, keys)
        except Fallback:
            return results, {}  # a value canonical JSON refuses: each row takes `check`, then pydantic
        for position, item in zip(clean, found, strict=True):
            results[position] = item
        return results, warnings

    def _batch_warnings(
        self,
        by_index: list[tuple[Cell, ...]],
        columns: list[list[Any]],
        clean: dict[int, Any],
        rule_warnings: dict[int, list[Problem]],
    ) -> dict[int, list[Problem]]:
        """{position: warnings} of the clean rows that have any: the fields' own, in field order,
        then the rules' (as `check` gives them)."""
        found: dict[int, list[Problem]] = {}
        for spec in self._warned:
            cells = by_index[spec.index]  # type: ignore[index]  # _warned fields have a column
            values = columns[self._fields.index(spec)]
            if spec.warning_free is not None and spec.warning_free(cells, values, self._info):
                continue  # the column has no cell to warn about: the usual case
            warn = spec.warn
            assert warn is not None
            for position in clean:
                value = values[position]
                if value is None:
                    continue
                try:
                    warned = warn(cells[position], value, self._info)
                except Exception:
                    raise Fallback from None
                if warned is not None:
                    found.setdefault(position, []).append((spec.name, *warned))
        for position, issues in rule_warnings.items():
            found.setdefault(position, []).extend(issues)
        return found

    def _keys(self, columns: list[list[Any]], keys: tuple[str, ...]) -> list[tuple[str, ...]]:
        """The natural keys of clean rows, as `_records` would give them in the record data."""
        for spec, column in zip(self._fields, columns, strict=True):
            if float in spec.kinds and not all(map(_finite, column)):
                raise Fallback  # what canonical JSON refuses must be refused as before
        by_name = dict(zip(self._names, columns, strict=True))
        fields = {spec.name: spec for spec in self._fields}
        texts = [map(str, self._plain_column(fields[name], by_name[name])) for name in keys]
        return list(zip(*texts, strict=True))

    def _clean_rows(
        self, columns: list[list[Any]], failed: set[int]
    ) -> tuple[dict[int, dict[str, Any]], dict[int, list[Problem]]]:
        """{row position: values} of the rows whose fields and cross-field rules all pass, and the
        rules' warnings of those that have any.

        Only a model that derives values needs each row's values afterwards; for the others one
        mapping is filled again for every row (the rules read it while they run, and keep nothing).
        """
        names, check_rules = self._names, self._model.check_rules
        clean: dict[int, dict[str, Any]] = {}
        warned: dict[int, list[Problem]] = {}
        rules = CrossFieldRules()  # used again until a row breaks a rule or warns
        shared: dict[str, Any] | None = None if self._derives else {}
        for position, row in enumerate(zip(*columns, strict=True)):
            if position in failed:
                continue
            if shared is None:
                values = dict(zip(names, row, strict=True))
            else:
                values = shared
                values.update(zip(names, row, strict=True))
            try:
                check_rules(values, rules)
            except Exception:
                rules = CrossFieldRules()
                continue
            if rules.issues:
                rules = CrossFieldRules()
                continue
            clean[position] = values
            if rules.warnings:
                warned[position] = _problems(rules.warnings)
                rules = CrossFieldRules()
        return clean, warned

    def _records(self, columns: list[list[Any]]) -> list[tuple[dict[str, Any], str]]:
        """Record data and hash of clean rows, built column by column (canonical.py's rules)."""
        plain = [self._plain_column(spec, column) for spec, column in zip(self._fields, columns, strict=True)]
        rows = list(zip(*plain, strict=True))
        names = self._names
        if self._optional:
            datas = [{k: v for k, v in zip(names, row, strict=True) if v is not None} for row in rows]
        else:
            datas = [dict(zip(names, row, strict=True)) for row in rows]
        fragments = [self._fields[number].json_column(plain[number]) for number in self._json_order]
        texts = map("{%s}".__mod__, map(",".join, map(filter, repeat(None), zip(*fragments, strict=True))))
        return list(zip(datas, _sha256_hex(map(str.encode, texts)), strict=True))

    def _plain_column(self, spec: _Field, column: list[Any]) -> list[Any]:
        """`canonical.plain_data`'s conversion of one column: dates as ISO text, whole floats as int."""
        kinds = spec.kinds
        if kinds == {dt.date}:
            return list(map(self._iso_text.__getitem__, column))
        if float in kinds:
            return [int(value) if type(value) is float and value.is_integer() else value for value in column]
        return column

    def _end_probation(self) -> None:
        self._probation = False
        for spec in self._fields:
            # Kept when at most 3 in 4 filled cells were new: values that repeat.
            if spec.cache is not None and spec.misses * 4 > spec.filled * 3:
                spec.cache = None
            spec.cache_fragments()


class _IsoText(dict[dt.date | None, str | None]):
    """date.isoformat() by date (None for None), kept up to a limit: formatting costs more than
    looking up, and dates repeat."""

    def __missing__(self, day: dt.date | None) -> str | None:
        text = None if day is None else day.isoformat()
        if len(self) < 4 * CACHE_LIMIT:
            self[day] = text
        return text


def _sha256_hex(documents: Iterable[bytes]) -> list[str]:
    """sha256 hex digests; a copy of a fresh hash object skips OpenSSL's algorithm lookup per call."""
    fresh = hashlib.sha256()
    digests = []
    for document in documents:
        digest = fresh.copy()
        digest.update(document)
        digests.append(digest.hexdigest())
    return digests


class _Cache(dict[Cell, Any]):
    """A field's values by cell text; _MISSING for a cell not seen yet."""

    def __missing__(self, cell: Cell) -> Any:
        return _MISSING


class _Fragments(dict[str | None, str | None]):
    """`"name":"value"` by plain text value (None for None), written on first sight, up to a limit."""

    def __init__(self, key: str) -> None:
        super().__init__()
        self._key = key

    def __missing__(self, value: str | None) -> str | None:
        fragment = None if value is None else self._key + encode_basestring(value)
        if len(self) < CACHE_LIMIT:
            self[value] = fragment
        return fragment


def _problems(issues: list[dict[str, str]]) -> list[Problem]:
    return [(issue["column"], issue["code"], issue["message"]) for issue in issues]


def _finite(value: Any) -> bool:
    return type(value) is not float or value - value == 0


def _json_value(value: Any) -> str:
    """canonical_json's text of a whole-number or finite float, or a list of str."""
    kind = type(value)
    if kind is list:
        return "[" + ",".join(map(encode_basestring, value)) + "]"
    if kind is int:
        return int.__repr__(value)
    if kind is float and value - value == 0:  # finite: NaN and infinities make NaN here
        return float.__repr__(value)
    raise Fallback  # json refuses NaN and infinities; pydantic's path will raise as it always has
