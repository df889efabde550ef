"""Kraken's custom scalars, behaving like graphene's.

`Time` is answered as `HH:MM` (as public clients see charging schedules) and
accepted as `HH:MM` or `HH:MM:SS`. `Decimal` is answered as a string and, as in
graphene, accepts only string or integer literals in a document: `max: 23.0`
fails validation ("Expected value of type 'Decimal…'", OE#1719), while a variable
may carry a number or a string. `DateTime` answers ISO 8601 with an offset.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from graphql import (
    GraphQLScalarType,
    GraphQLSchema,
    IntValueNode,
    StringValueNode,
    Undefined,
    ValueNode,
    value_from_ast_untyped,
)

from .timeutil import parse_datetime


def _serialize_decimal(value: Any) -> str:
    if isinstance(value, str):
        return value
    return f"{value:.4f}" if isinstance(value, float) else str(value)


def _parse_decimal(value: Any) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise TypeError(f"Decimal cannot represent {value!r}")
    try:
        return Decimal(str(value))
    except InvalidOperation as err:
        raise ValueError(f"Decimal cannot represent {value!r}") from err


def _decimal_literal(node: ValueNode, _variables: Any = None) -> Any:
    if isinstance(node, StringValueNode | IntValueNode):
        try:
            return _parse_decimal(node.value)
        except ValueError:
            return Undefined
    return Undefined


def _serialize_datetime(value: Any) -> str:
    return value.isoformat() if isinstance(value, datetime) else str(value)


def _parse_datetime(value: Any) -> datetime:
    if not isinstance(value, str):
        raise TypeError(f"DateTime cannot represent {value!r}")
    return parse_datetime(value)


def _serialize_date(value: Any) -> str:
    return value.isoformat() if isinstance(value, date) else str(value)


def _parse_date(value: Any) -> date:
    if not isinstance(value, str):
        raise TypeError(f"Date cannot represent {value!r}")
    return date.fromisoformat(value)


def _parse_time(value: Any) -> str:
    if not isinstance(value, str):
        raise TypeError(f"Time cannot represent {value!r}")
    parts = value.split(":")
    if len(parts) not in (2, 3) or not all(p.isdigit() and len(p) == 2 for p in parts):  # noqa: PLR2004
        raise ValueError(f"Time cannot represent {value!r}")
    hour, minute = int(parts[0]), int(parts[1])
    if hour > 23 or minute > 59:  # noqa: PLR2004
        raise ValueError(f"Time cannot represent {value!r}")
    return f"{hour:02d}:{minute:02d}:{parts[2] if len(parts) == 3 else '00'}"  # noqa: PLR2004


def _serialize_time(value: Any) -> str:
    """`HH:MM`, as the smart-flex schedules show it."""
    return _parse_time(str(value))[:5]


def _string_literal(parse: Any) -> Any:
    def literal(node: ValueNode, _variables: Any = None) -> Any:
        if not isinstance(node, StringValueNode):
            return Undefined
        try:
            return parse(node.value)
        except (TypeError, ValueError):
            return Undefined

    return literal


def _identity(value: Any) -> Any:
    return value


SCALARS: dict[str, tuple[Any, Any, Any]] = {
    "Decimal": (_serialize_decimal, _parse_decimal, _decimal_literal),
    "DateTime": (
        _serialize_datetime,
        _parse_datetime,
        _string_literal(_parse_datetime),
    ),
    "Date": (_serialize_date, _parse_date, _string_literal(_parse_date)),
    "Time": (_serialize_time, _parse_time, _string_literal(_parse_time)),
    "GenericScalar": (_identity, _identity, value_from_ast_untyped),
    "JSONString": (_identity, _identity, _string_literal(_identity)),
}


def install(schema: GraphQLSchema) -> None:
    """Give the schema's custom scalars their behaviour.

    Both the legacy names (`serialize`, `parse_value`, `parse_literal`) and the
    graphql-core 3.3 ones (`coerce_output_value`, `coerce_input_value`) are set.
    """
    for name, (serialize, parse_value, parse_literal) in SCALARS.items():
        scalar = schema.type_map[name]
        assert isinstance(scalar, GraphQLScalarType)  # noqa: S101
        for attribute, function in (
            ("serialize", serialize),
            ("coerce_output_value", serialize),
            ("parse_value", parse_value),
            ("coerce_input_value", parse_value),
            ("parse_literal", parse_literal),
            ("coerce_input_literal", None),
        ):
            setattr(scalar, attribute, function)
