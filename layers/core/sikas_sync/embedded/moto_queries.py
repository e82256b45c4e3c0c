"""moto's DynamoDB Query, made to read only the partition it is asked about, as DynamoDB does.

moto 5 answers every Query, of a table or of an index, by walking, sorting and deep-copying every
item of the table: a `pending` over the undelivered index of a 200,000-record table took minutes,
and held the emulator (which serves one request at a time) from the uploads meanwhile. Here each
table keeps the items of each global secondary index by partition, in index order, updated on every
write, with the index's projection of each item made once. A Query of such an index walks its
partition only, from where its key condition and its ExclusiveStartKey place it; a Query of the
table walks the table partition. Conditions, filters, projections, limits and keys follow moto's own
code (a test compares the two on random tables and queries), with one difference: a Select=COUNT
query of an index is answered in one page, where DynamoDB pages it at 1 MB read (callers add the
pages up either way).
"""

from __future__ import annotations

import bisect
import copy
import inspect
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, cast

import moto.dynamodb.responses as moto_dynamodb_responses
from moto.dynamodb.comparisons import get_comparison_func
from moto.dynamodb.models import DynamoDBBackend
from moto.dynamodb.models.dynamo_type import DynamoType, Item, LimitedSizeDict
from moto.dynamodb.models.table import RESULT_SIZE_LIMIT, GlobalSecondaryIndex, Table

_PARTITIONS = "_sikas_index_partitions"  # the attribute each moto Table keeps them in

ItemKey = tuple[DynamoType, DynamoType | None]
Order = tuple[Any, Any, Any]  # index sort key, table partition key, table sort key: cast values


@dataclass(frozen=True)
class IndexLayout:
    name: str
    partition_key: str
    sort_key: str
    projected: tuple[str, ...] | None  # None: every attribute (ProjectionType ALL)


@dataclass
class Entry:
    """An item as one index holds it: its place in index order, and its projection, made once."""

    order: Order
    item: Item
    layout: IndexLayout
    _projected: Item | None = field(default=None, repr=False)
    _size: int = -1

    @property
    def projected(self) -> Item:
        if self._projected is None:
            if self.layout.projected is None:
                self._projected = self.item
            else:
                # The stored item's values, shared: nothing here writes them, and results are copied.
                attrs = LimitedSizeDict.__new__(LimitedSizeDict)
                dict.__init__(attrs)
                for name in self.layout.projected:
                    if name in self.item.attrs:
                        dict.__setitem__(attrs, name, self.item.attrs[name])
                # Item.__new__ skips LimitedSizeDict's per-attribute size check: the item passed it.
                projected = cast(Item, Item.__new__(Item))
                keys = {"hash_key": self.item.hash_key, "range_key": self.item.range_key}
                projected.__dict__.update(keys, attrs=attrs)
                self._projected = projected
        return self._projected

    @property
    def size(self) -> int:
        if self._size < 0:
            self._size = self.projected.size()
        return self._size


def _order_of(entry: Entry) -> Order:
    return entry.order


class Partition:
    def __init__(self) -> None:
        self.entries: list[Entry] = []  # in index order

    def add(self, entry: Entry) -> None:
        bisect.insort(self.entries, entry, key=_order_of)

    def remove(self, entry: Entry) -> None:
        at = bisect.bisect_left(self.entries, entry.order, key=_order_of)
        if at < len(self.entries) and self.entries[at] is entry:
            del self.entries[at]


class IndexPartitions:
    """One table's global secondary indexes with a partition and a sort key, each as partition key
    value → Partition. Other indexes are left to moto (it walks the table for them)."""

    def __init__(self, table: Table) -> None:
        self.layouts = layouts(table)
        self.by_name = {layout.name: layout for layout in self.layouts}
        self.partitions: dict[str, dict[DynamoType, Partition]] = {layout.name: {} for layout in self.layouts}
        self._placed: dict[ItemKey, list[tuple[str, DynamoType, Entry]]] = {}
        for item in _moto_all_items(table):
            self.place((item.hash_key, item.range_key), item)

    def place(self, key: ItemKey, item: Item | None) -> None:
        """Put the item with this key where its attributes say now (nowhere when it is gone)."""
        for name, value, entry in self._placed.pop(key, []):
            partitions = self.partitions[name]
            partitions[value].remove(entry)
            if not partitions[value].entries:
                del partitions[value]
        if item is None:
            return
        placed = []
        for layout in self.layouts:
            partition_value: DynamoType | None = item.attrs.get(layout.partition_key)
            sort: DynamoType | None = item.attrs.get(layout.sort_key)
            if partition_value is None or sort is None:  # sparse: only items with both key attributes
                continue
            table_sort = "" if item.range_key is None else item.range_key.cast_value
            order = (sort.cast_value, item.hash_key.cast_value, table_sort)
            entry = Entry(order, item, layout)
            self.partitions[layout.name].setdefault(partition_value, Partition()).add(entry)
            placed.append((layout.name, partition_value, entry))
        if placed:
            self._placed[key] = placed

    def entries(self, index_name: str, value: DynamoType) -> list[Entry]:
        partition = self.partitions[index_name].get(value)
        return [] if partition is None else partition.entries


def layouts(table: Table) -> tuple[IndexLayout, ...]:
    found = []
    for index in table.global_indexes:
        hashes = [key["AttributeName"] for key in index.schema if key["KeyType"] == "HASH"]
        ranges = [key["AttributeName"] for key in index.schema if key["KeyType"] == "RANGE"]
        if not isinstance(index, GlobalSecondaryIndex) or len(hashes) != 1 or len(ranges) != 1:
            continue
        projection = (index.projection or {}).get("ProjectionType", "ALL")
        keys = (*table.table_key_attrs, hashes[0], ranges[0])
        projected = None
        if projection == "KEYS_ONLY":
            projected = keys
        elif projection == "INCLUDE":
            projected = keys + tuple(index.projection.get("NonKeyAttributes", []))
        found.append(IndexLayout(index.name, hashes[0], ranges[0], projected))
    return tuple(found)


def partitions_of(table: Table, build: bool = True) -> IndexPartitions | None:
    """The table's partitions, built on first use and again when its indexes changed."""
    partitions: IndexPartitions | None = table.__dict__.get(_PARTITIONS)
    if partitions is not None and partitions.layouts == layouts(table):
        return partitions
    table.__dict__.pop(_PARTITIONS, None)
    if not build:  # not built yet, or stale after UpdateTable: the next Query builds them
        return None
    partitions = IndexPartitions(table)
    table.__dict__[_PARTITIONS] = partitions
    return partitions


# Key conditions on the index sort key that bound a slice of the partition (cast value → bounds).
_BOUNDS: dict[str, Callable[[list[Entry], list[Any]], tuple[int, int]]] = {}
for _names, _bounds in (
    (("=", "EQ"), lambda e, v: (_left(e, v[0]), _right(e, v[0]))),
    (("<", "LT"), lambda e, v: (0, _left(e, v[0]))),
    (("<=", "LE"), lambda e, v: (0, _right(e, v[0]))),
    ((">", "GT"), lambda e, v: (_right(e, v[0]), len(e))),
    ((">=", "GE"), lambda e, v: (_left(e, v[0]), len(e))),
    (("BETWEEN",), lambda e, v: (_left(e, v[0]), _right(e, v[1]))),
):
    for _name in _names:
        _BOUNDS[_name] = _bounds


def _sort_value(entry: Entry) -> Any:
    return entry.order[0]


def _left(entries: list[Entry], value: Any) -> int:
    return bisect.bisect_left(entries, value, key=_sort_value)


def _right(entries: list[Entry], value: Any) -> int:
    return bisect.bisect_right(entries, value, key=_sort_value)


@dataclass(frozen=True)
class IndexQuery:
    index_name: str
    value: DynamoType
    range_comparison: str | None
    range_objs: list[DynamoType]
    limit: int | None
    exclusive_start_key: dict[str, Any] | None
    scan_index_forward: bool
    projection_expressions: list[list[str]] | None
    filter_expression: Any


def query_index(table: Table, partitions: IndexPartitions, asked: IndexQuery, counting: bool) -> Any:
    """moto's Query of a global secondary index, over the asked partition only."""
    entries = partitions.entries(asked.index_name, asked.value)
    lo, hi, compare, values = _key_range(entries, asked)
    if asked.exclusive_start_key:
        start = _start_order(table, partitions.by_name[asked.index_name], asked.exclusive_start_key)
        if asked.scan_index_forward:
            lo = max(lo, bisect.bisect_right(entries, start, key=_order_of))
        else:
            hi = min(hi, bisect.bisect_left(entries, start, key=_order_of))
    walk = entries[lo:hi] if asked.scan_index_forward else entries[lo:hi][::-1]
    found: list[Entry] = []
    size = 0
    last_key = None
    for entry in walk:
        # As moto: the limits are checked at each item walked, before its key condition.
        if len(found) == asked.limit or (not counting and size + entry.size > RESULT_SIZE_LIMIT):
            last_key = table._get_last_evaluated_key(found[-1].projected, asked.index_name)
            break
        if compare is not None and not compare(entry.order[0], *values):
            continue
        found.append(entry)
        if not counting:
            size += entry.size
    else:
        # moto stops at the limit when any item is left to walk, in the key range or beyond it.
        beyond = hi < len(entries) if asked.scan_index_forward else lo > 0
        if found and len(found) == asked.limit and beyond:
            last_key = table._get_last_evaluated_key(found[-1].projected, asked.index_name)
    # A count returns no items: nothing to copy. Results are copies, as moto's are.
    items = [entry.projected if counting else copy.deepcopy(entry.projected) for entry in found]
    if asked.filter_expression is not None:
        items = [item for item in items if asked.filter_expression.expr(item)]
    if asked.projection_expressions and not counting:
        items = [item.project(asked.projection_expressions) for item in items]
    return items, len(found), last_key


def _key_range(entries: list[Entry], asked: IndexQuery) -> tuple[int, int, Any, list[Any]]:
    """The slice of the partition the sort key condition bounds, or the whole partition and the
    comparison each item is to pass (begins_with)."""
    values = [obj.cast_value for obj in asked.range_objs]
    if asked.range_comparison in _BOUNDS:
        return (*_BOUNDS[asked.range_comparison](entries, values), None, values)
    compare = get_comparison_func(asked.range_comparison) if asked.range_comparison else None
    return 0, len(entries), compare, values


def _start_order(table: Table, layout: IndexLayout, key: dict[str, Any]) -> Order:
    def cast(name: str | None) -> Any:
        return "" if name is None or name not in key else DynamoType(key[name]).cast_value

    return (cast(layout.sort_key), cast(table.hash_key_attr), cast(table.range_key_attr))


_moto_all_items = Table.all_items
_moto_query = Table.query
_moto_put_item = Table.put_item
_moto_delete_item = Table.delete_item
_moto_update_item = DynamoDBBackend.update_item
_moto_handler_query = moto_dynamodb_responses.DynamoHandler.query
_QUERY_SIGNATURE = inspect.signature(_moto_query)
_local = threading.local()  # per request thread: the partition moto walks, and whether it counts


def _all_items(self: Table) -> list[Item]:
    walking = getattr(_local, "partition", None)
    if walking is not None and walking[0] is self:
        return list(walking[1])
    return _moto_all_items(self)


def _query(self: Table, *args: Any, **kwargs: Any) -> Any:
    asked = _QUERY_SIGNATURE.bind(self, *args, **kwargs).arguments
    hash_key, index_name = asked["hash_key"], asked.get("index_name")
    conditions = dict(asked.get("hash_key_conditions") or [])
    if index_name is None:
        if hash_key is None or len(conditions) > 1:
            return _moto_query(self, *args, **kwargs)
        partition = self.items.get(hash_key)
        walked: list[Any] = (  # moto keeps a partition's items in a dict, or the item alone
            [] if partition is None else list(partition.values()) if self.range_key_attr else [partition]
        )
        return _walking(self, walked, *args, **kwargs)
    partitions = partitions_of(self)
    assert partitions is not None
    layout = partitions.by_name.get(index_name)
    ranges = asked.get("range_key_conditions") or []
    value = conditions.get(layout.partition_key, hash_key) if layout is not None else None
    if (
        layout is None
        or value is None
        or set(conditions) - {layout.partition_key}
        or asked.get("consistent_read")  # moto refuses it, as DynamoDB does for a global index
        or asked.get("filter_kwargs")
        or len(ranges) > 1
        or any(name != layout.sort_key for name, _, _ in ranges)
    ):
        return _moto_query(self, *args, **kwargs)
    index_query = IndexQuery(
        index_name,
        value,
        asked.get("range_comparison"),
        asked.get("range_objs") or [],
        asked.get("limit"),
        asked.get("exclusive_start_key"),
        asked.get("scan_index_forward", True),
        asked.get("projection_expressions"),
        asked.get("filter_expression"),
    )
    return query_index(self, partitions, index_query, getattr(_local, "counting", False))


def _walking(table: Table, items: list[Item], *args: Any, **kwargs: Any) -> Any:
    outer = getattr(_local, "partition", None)
    _local.partition = (table, items)
    try:
        return _moto_query(table, *args, **kwargs)
    finally:
        _local.partition = outer


def _handler_query(self: Any) -> Any:
    _local.counting = self.body.get("Select") == "COUNT"
    try:
        return _moto_handler_query(self)
    finally:
        _local.counting = False


def _put_item(self: Table, *args: Any, **kwargs: Any) -> Item:
    item = _moto_put_item(self, *args, **kwargs)
    partitions = partitions_of(self)  # built at the first write, when the table is still small
    assert partitions is not None
    partitions.place((item.hash_key, item.range_key), item)
    return item


def _delete_item(self: Table, hash_key: DynamoType, range_key: DynamoType | None) -> Item | None:
    item = _moto_delete_item(self, hash_key, range_key)
    partitions = partitions_of(self, build=False)
    if partitions is not None and item is not None:
        partitions.place((item.hash_key, item.range_key), None)
    return item


def _update_item(
    self: DynamoDBBackend, table_name: str, key: dict[str, Any], *args: Any, **kwargs: Any
) -> Item:
    # moto updates the stored item in place: where it sits is decided again afterwards, also when
    # the update failed half-way.
    try:
        return _moto_update_item(self, table_name, key, *args, **kwargs)
    finally:
        table = self.tables.get(table_name)
        partitions = None if table is None else partitions_of(table, build=False)
        if table is not None and partitions is not None and table.hash_key_attr in key:
            hash_value = DynamoType(key[table.hash_key_attr])
            range_value = DynamoType(key[table.range_key_attr]) if table.range_key_attr in key else None
            partitions.place((hash_value, range_value), table.get_item(hash_value, range_value))


def install() -> None:
    """Patch moto's DynamoDB, once per process; the emulator does it when imported."""
    if Table.query is _query:
        return
    Table.all_items = _all_items  # type: ignore[method-assign]
    Table.query = _query  # type: ignore[method-assign]
    Table.put_item = _put_item  # type: ignore[method-assign]
    Table.delete_item = _delete_item  # type: ignore[method-assign]
    DynamoDBBackend.update_item = _update_item  # type: ignore[method-assign]
    moto_dynamodb_responses.DynamoHandler.query = _handler_query  # type: ignore[method-assign]
