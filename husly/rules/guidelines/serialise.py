"""Lossless conversion of the engine's frozen dataclasses to and from JSON-safe values.

Dates become ISO strings ("2024-03-15"), enums their string value, tuples lists, dataclasses
dicts with every field present. Reading back is strict: unknown keys, wrong types and malformed
dates raise, so a stored record is either re-read exactly or not at all.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from datetime import date, datetime
from enum import Enum
from typing import Any, TypeVar, Union, cast

__all__ = ["JsonValue", "SerialisationError", "from_json", "to_json"]

JsonValue = None | bool | int | float | str | list["JsonValue"] | dict[str, "JsonValue"]

T = TypeVar("T")


class SerialisationError(ValueError):
    """A stored value does not match the shape the engine expects."""


def to_json(value: object) -> JsonValue:
    """Convert a value built from the engine's dataclasses to JSON-safe data."""
    if isinstance(value, Enum):
        return cast(JsonValue, value.value)
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, datetime):
        raise SerialisationError("datetimes are not used by the guideline engine; use a date")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, tuple | list):
        return [to_json(item) for item in value]
    if isinstance(value, dict):
        return {str(key): to_json(item) for key, item in value.items()}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: to_json(getattr(value, f.name)) for f in dataclasses.fields(value)}
    raise SerialisationError(f"cannot serialise {type(value).__name__}")


def from_json(target: type[T], data: JsonValue) -> T:
    """Rebuild a value of type ``target`` (usually a dataclass) from :func:`to_json` output."""
    return cast(T, _from_json(target, data, "$"))


def _from_json(tp: Any, data: JsonValue, where: str) -> Any:  # noqa: PLR0911, PLR0912
    origin = typing.get_origin(tp)
    if origin is Union or origin is types.UnionType:
        return _from_union(typing.get_args(tp), data, where)
    if origin is tuple:
        item_type, *rest = typing.get_args(tp)
        if rest != [Ellipsis]:
            raise SerialisationError(f"{where}: only homogeneous tuples are supported")
        if not isinstance(data, list):
            raise SerialisationError(f"{where}: expected a list")
        return tuple(_from_json(item_type, item, f"{where}[{i}]") for i, item in enumerate(data))
    if origin is dict or tp is object:
        return _plain_json(data, where)
    if tp is type(None):
        if data is not None:
            raise SerialisationError(f"{where}: expected null")
        return None
    if not isinstance(tp, type):
        raise SerialisationError(f"{where}: unsupported type {tp!r}")
    if issubclass(tp, Enum):
        try:
            return tp(data)
        except ValueError as exc:
            raise SerialisationError(f"{where}: {data!r} is not a valid {tp.__name__}") from exc
    if tp is date:
        if not isinstance(data, str) or len(data) != len("YYYY-MM-DD"):
            raise SerialisationError(f"{where}: expected an ISO date (YYYY-MM-DD)")
        try:
            return date.fromisoformat(data)
        except ValueError as exc:
            raise SerialisationError(f"{where}: {data!r} is not an ISO date (YYYY-MM-DD)") from exc
    if tp is bool:
        if not isinstance(data, bool):
            raise SerialisationError(f"{where}: expected true or false")
        return data
    if tp is int:
        if isinstance(data, bool) or not isinstance(data, int):
            raise SerialisationError(f"{where}: expected an integer")
        return data
    if tp is str:
        if not isinstance(data, str):
            raise SerialisationError(f"{where}: expected a string")
        return data
    if dataclasses.is_dataclass(tp):
        return _from_dataclass(tp, data, where)
    raise SerialisationError(f"{where}: unsupported type {tp.__name__}")


def _from_union(args: tuple[Any, ...], data: JsonValue, where: str) -> Any:
    if data is None and type(None) in args:
        return None
    problems: list[str] = []
    for arg in args:
        if arg is type(None):
            continue
        try:
            return _from_json(arg, data, where)
        except SerialisationError as exc:
            problems.append(str(exc))
    raise SerialisationError("; ".join(problems) or f"{where}: no matching type")


def _from_dataclass(tp: type[Any], data: JsonValue, where: str) -> Any:
    if not isinstance(data, dict):
        raise SerialisationError(f"{where}: expected an object for {tp.__name__}")
    hints = typing.get_type_hints(tp)
    names = {f.name for f in dataclasses.fields(tp) if f.init}
    unknown = set(data) - names
    if unknown:
        raise SerialisationError(f"{where}: unknown keys for {tp.__name__}: {sorted(unknown)}")
    kwargs = {
        name: _from_json(hints[name], value, f"{where}.{name}") for name, value in data.items()
    }
    try:
        return tp(**kwargs)
    except TypeError as exc:
        raise SerialisationError(f"{where}: {exc}") from exc


def _plain_json(data: JsonValue, where: str) -> JsonValue:
    """Copy arbitrary JSON data, checking that it really is JSON data."""
    if data is None or isinstance(data, bool | int | float | str):
        return data
    if isinstance(data, list):
        return [_plain_json(item, f"{where}[{i}]") for i, item in enumerate(data)]
    if isinstance(data, dict):
        out: dict[str, JsonValue] = {}
        for key, item in data.items():
            if not isinstance(key, str):
                raise SerialisationError(f"{where}: object keys must be strings")
            out[key] = _plain_json(item, f"{where}.{key}")
        return out
    raise SerialisationError(f"{where}: not JSON data")
