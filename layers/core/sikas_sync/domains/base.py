"""What every domain declares once: its model, natural key, column aliases and ministry resource."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import Annotated, Any, ClassVar

from pydantic import BaseModel, ConfigDict, TypeAdapter, ValidationError, model_validator
from pydantic_core import PydanticCustomError

CROSS_FIELD_ERROR = "row_rules"


class CrossFieldRules:
    """Collects every broken rule between columns of one row, then raises them as one error.

    pydantic stops a model validator at its first raise; gathering first lets a row report all of
    its problems at once, each under its own column. Warnings (a row that is stored, but that the
    operator should look at) are collected beside them and never raised.
    """

    __slots__ = ("issues", "warnings")

    def __init__(self) -> None:
        self.issues: list[dict[str, str]] = []
        self.warnings: list[dict[str, str]] = []

    def fail(self, column: str, code: str, message: str) -> None:
        self.issues.append({"column": column, "code": code, "message": message})

    def warn(self, column: str, code: str, message: str) -> None:
        self.warnings.append({"column": column, "code": code, "message": message})

    def raise_if_any(self) -> None:
        if self.issues:
            raise PydanticCustomError(
                CROSS_FIELD_ERROR, "Aturan antar kolom dilanggar", {"issues": self.issues}
            )


class DomainRecord(BaseModel):
    """Base of the nine row models: fields are normalised by `values` validators before typing.

    Rules between columns live in `check_rules`, written over a mapping of normalised values so
    they can also run on the fields that passed when another field of the row failed.
    """

    model_config = ConfigDict(extra="ignore", validate_default=False)

    # Columns whose values are personal data: masked or left out of anything leaving the stores.
    personal_fields: ClassVar[frozenset[str]] = frozenset()

    @classmethod
    def check_rules(cls, values: Mapping[str, Any], rules: CrossFieldRules) -> None:
        """Rules between columns; a rule whose columns are missing from `values` is skipped."""

    def fill_defaults(self) -> None:
        """Derived values (e.g. a card's expiry) set once the row is known to be valid."""

    @classmethod
    def partial_rule_issues(
        cls, data: Mapping[str, Any], failed: set[str], context: dict[str, Any]
    ) -> list[dict[str, str]]:
        """Cross-field problems among the fields that did normalise, for a row that has field errors.

        pydantic skips a model's after-validators once a field fails; this is the slow path of a
        rejected row, so it may normalise each remaining field again on its own.
        """
        adapters = _field_adapters(cls)
        # Columns the file does not have take their defaults, as in a full validation.
        values: dict[str, Any] = {
            name: info.default
            for name, info in cls.model_fields.items()
            if name not in data and name not in failed and not info.is_required()
        }
        for name, value in data.items():
            if name in failed or name not in adapters:
                continue
            try:
                values[name] = adapters[name].validate_python(value, context=context)
            except ValidationError:
                continue
        rules = CrossFieldRules()
        cls.check_rules(values, rules)
        return rules.issues

    @classmethod
    def row_warnings(
        cls, cells: Mapping[str, Any], values: Mapping[str, Any], context: dict[str, Any]
    ) -> list[dict[str, str]]:
        """The warnings of a valid row: each field's own (it sees the raw cell, e.g. a NIK that was a
        number cell), in field order, then those of the rules between columns."""
        info = _Context(context)
        found: list[dict[str, str]] = []
        for name, warn in field_warnings(cls):
            value = values.get(name)
            if value is not None and name in cells:
                warned = warn(cells[name], value, info)
                if warned is not None:
                    found.append({"column": name, "code": warned[0], "message": warned[1]})
        rules = CrossFieldRules()
        cls.check_rules(values, rules)
        return found + rules.warnings

    @model_validator(mode="after")
    def _cross_field_rules(self) -> DomainRecord:
        rules = CrossFieldRules()
        self.check_rules(self.__dict__, rules)
        rules.raise_if_any()
        self.fill_defaults()
        return self


class _Context:
    """What a field's warning reads of pydantic's ValidationInfo: the context."""

    __slots__ = ("context",)

    def __init__(self, context: dict[str, Any]) -> None:
        self.context = context


@cache
def field_warnings(model: type[DomainRecord]) -> tuple[tuple[str, Any], ...]:
    """(field, warning) of each field whose rule warns (values.FieldRule.warn), in field order."""
    found = []
    for name, info in model.model_fields.items():
        for meta in info.metadata:
            warn = getattr(getattr(meta, "func", None), "warn", None)
            if warn is not None:
                found.append((name, warn))
    return tuple(found)


@cache
def _field_adapters(model: type[DomainRecord]) -> dict[str, TypeAdapter[Any]]:
    return {
        name: TypeAdapter(Annotated[info.annotation, *info.metadata])  # type: ignore[arg-type]
        for name, info in model.model_fields.items()
    }


@dataclass(frozen=True)
class Domain:
    slug: str  # = S3 prefix = ministry path segment
    title: str
    model: type[DomainRecord]
    natural_key: tuple[str, ...]
    aliases: dict[str, str] = field(default_factory=dict)  # normalised header -> field name

    @property
    def fields(self) -> tuple[str, ...]:
        return tuple(self.model.model_fields)

    @property
    def required_columns(self) -> tuple[str, ...]:
        return tuple(name for name, info in self.model.model_fields.items() if info.is_required())

    def key_of(self, data: Mapping[str, Any]) -> tuple[str, ...]:
        return tuple(str(data[name]) for name in self.natural_key)
