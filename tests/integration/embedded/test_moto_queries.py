"""The emulator's Query over one partition (embedded/moto_queries.py) answers as moto's own Query.

moto walks the whole table for every Query; the patch walks the asked partition of the table or of a
global secondary index, kept up to date on every write. Random writes (puts, updates that move an
item between partitions or out of a sparse index, deletes) and random queries (key conditions,
order, limits and the pages they make, filters, projections) get the same items, counts and
LastEvaluatedKeys from both.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from moto import mock_aws
from moto.dynamodb.comparisons import get_filter_expression
from moto.dynamodb.models import dynamodb_backends
from moto.dynamodb.models.dynamo_type import DynamoType

from sikas_sync.embedded import moto_queries

REGION = "ap-southeast-3"
KEYS = [f"k{n}" for n in range(12)]
PARTITIONS = ["a", "b", "c"]

moto_queries.install()


def _table(client: Any, name: str, with_range: bool) -> None:
    keys = [{"AttributeName": "pk", "KeyType": "HASH"}]
    attributes = [
        {"AttributeName": "pk", "AttributeType": "S"},
        {"AttributeName": "part", "AttributeType": "S"},
        {"AttributeName": "at", "AttributeType": "N"},
    ]
    if with_range:
        keys.append({"AttributeName": "sk", "KeyType": "RANGE"})
        attributes.append({"AttributeName": "sk", "AttributeType": "N"})
    client.create_table(
        TableName=name,
        KeySchema=keys,
        AttributeDefinitions=attributes,
        BillingMode="PAY_PER_REQUEST",
        GlobalSecondaryIndexes=[
            {
                "IndexName": "waiting",
                "KeySchema": [
                    {"AttributeName": "part", "KeyType": "HASH"},
                    {"AttributeName": "at", "KeyType": "RANGE"},
                ],
                "Projection": {"ProjectionType": "INCLUDE", "NonKeyAttributes": ["flag"]},
            },
            {
                "IndexName": "everything",
                "KeySchema": [
                    {"AttributeName": "part", "KeyType": "HASH"},
                    {"AttributeName": "at", "KeyType": "RANGE"},
                ],
                "Projection": {"ProjectionType": "ALL"},
            },
        ],
    )


writes = st.lists(
    st.tuples(
        st.sampled_from(["put", "put", "update", "remove_shard", "delete"]),
        st.sampled_from(KEYS),
        st.integers(0, 2),  # the table sort key, when there is one
        st.sampled_from(PARTITIONS),
        st.integers(0, 6),  # `at`: ties on the index sort key are ordered by the table key
        st.booleans(),  # flag
    ),
    max_size=40,
)
queries = st.tuples(
    st.sampled_from(["waiting", "everything", None]),
    st.sampled_from(PARTITIONS + KEYS[:3]),
    st.sampled_from([None, "=", "<", "<=", ">", ">=", "BETWEEN"]),
    st.integers(0, 6),
    st.integers(0, 6),
    st.sampled_from([None, 1, 2, 5]),  # Limit: pages
    st.booleans(),  # ScanIndexForward
    st.sampled_from([None, "flag = :yes", "attribute_not_exists(flag)"]),
    st.sampled_from([None, [["pk"]], [["flag"], ["at"]]]),
)


def _write(client: Any, name: str, with_range: bool, write: tuple[Any, ...]) -> None:
    action, pk, sk, shard, at, flag = write
    key = {"pk": {"S": pk}, **({"sk": {"N": str(sk)}} if with_range else {})}
    if action == "put":
        item = {**key, "part": {"S": shard}, "at": {"N": str(at)}, "other": {"S": "x" * at}}
        if flag:
            item["flag"] = {"BOOL": True}
        client.put_item(TableName=name, Item=item)
    elif action == "update":
        client.update_item(
            TableName=name,
            Key=key,
            UpdateExpression="SET part = :part, #at = :at",
            ExpressionAttributeNames={"#at": "at"},
            ExpressionAttributeValues={":part": {"S": shard}, ":at": {"N": str(at)}},
        )
    elif action == "remove_shard":  # out of the sparse index, as a settled record leaves it
        client.update_item(TableName=name, Key=key, UpdateExpression="REMOVE part")
    else:
        client.delete_item(TableName=name, Key=key)


def _pages(table: Any, query: Any, run: Any) -> Iterator[tuple[list[Any], int, Any]]:
    index, value, comparison, low, high, limit, forward, filter_text, projection = query
    if index is None and table.range_key_attr is None:
        comparison = None  # no sort key to compare
    ranges = [DynamoType({"N": str(low)})]
    if comparison == "BETWEEN":
        ranges.append(DynamoType({"N": str(max(low, high))}))
    filter_op = get_filter_expression(filter_text, {}, {":yes": {"BOOL": True}}) if filter_text else None
    start = None
    for _ in range(100):
        items, scanned, last = run(
            table,
            DynamoType({"S": value}),
            comparison,
            ranges if comparison else [],
            limit,
            start,
            forward,
            projection,
            index_name=index,
            filter_expression=filter_op,
            # What moto's Query request parser hands over: the partition key condition by name.
            hash_key_conditions=[("pk" if index is None else "part", DynamoType({"S": value}))],
        )
        yield [item.to_json() for item in items], scanned, last
        if last is None:
            return
        start = {name: value.to_json() for name, value in last.items()}


@pytest.mark.parametrize("with_range", [False, True], ids=["hash key", "hash and sort key"])
# Derandomized and without the example database: the same examples on every run and machine.
@settings(
    max_examples=40,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(writes=writes, asked=st.lists(queries, min_size=1, max_size=6))
def test_a_partition_query_answers_as_moto_walking_the_table(
    with_range: bool, writes: list[tuple[Any, ...]], asked: list[Any]
) -> None:
    with mock_aws():
        client = boto3.client("dynamodb", region_name=REGION)
        _table(client, "t", with_range)
        for write in writes:
            _write(client, "t", with_range, write)
        table = dynamodb_backends["123456789012"][REGION].get_table("t")
        for query in asked:
            walked_whole = list(_pages(table, query, moto_queries._moto_query))
            walked_partition = list(_pages(table, query, type(table).query))
            assert walked_partition == walked_whole, query


def test_a_count_is_the_items_a_query_returns_in_one_page() -> None:
    with mock_aws():
        client = boto3.client("dynamodb", region_name=REGION)
        _table(client, "t", with_range=False)
        for n in range(30):
            _write(client, "t", False, ("put", f"k{n}", 0, PARTITIONS[n % 2], n % 7, n % 3 == 0))
        _write(client, "t", False, ("remove_shard", "k0", 0, "a", 0, False))
        asked = {
            "TableName": "t",
            "IndexName": "waiting",
            "KeyConditionExpression": "part = :s AND #at >= :at",
            "FilterExpression": "flag = :yes",
            "ExpressionAttributeNames": {"#at": "at"},
            "ExpressionAttributeValues": {":s": {"S": "a"}, ":at": {"N": "2"}, ":yes": {"BOOL": True}},
        }
        items = client.query(**asked)
        counted = client.query(**asked, Select="COUNT")
    # Partition "a" holds k2..k28 (k0 left it); `at` >= 2 keeps those with n % 7 >= 2; flag n % 3 == 0.
    in_range = [n for n in range(2, 30, 2) if n % 7 >= 2]
    flagged = [n for n in in_range if n % 3 == 0]
    assert (counted["ScannedCount"], counted["Count"]) == (len(in_range), len(flagged))
    assert (items["ScannedCount"], items["Count"]) == (counted["ScannedCount"], counted["Count"])
    assert set(counted) - {"ResponseMetadata", "ConsumedCapacity"} == {"Count", "ScannedCount"}


@pytest.mark.parametrize("with_range", [False, True], ids=["hash key", "hash and sort key"])
def test_every_page_of_every_key_condition_in_both_directions_as_moto_gives_them(with_range: bool) -> None:
    with mock_aws():
        client = boto3.client("dynamodb", region_name=REGION)
        _table(client, "t", with_range)
        for n in range(12):  # ties on `at`, so the table key orders them within the index
            write = ("put", f"k{n % 6}", n // 6, PARTITIONS[n % 2], n % 3, n % 4 == 0)
            _write(client, "t", with_range, write)
        _write(client, "t", with_range, ("remove_shard", "k2", 0, "a", 0, False))
        table = dynamodb_backends["123456789012"][REGION].get_table("t")
        for index in ("waiting", "everything"):
            for comparison in (None, "=", "<", "<=", ">", ">=", "BETWEEN"):
                for limit in (1, 2, None):
                    for forward in (True, False):
                        query = (index, "a", comparison, 1, 2, limit, forward, None, None)
                        walked_whole = list(_pages(table, query, moto_queries._moto_query))
                        assert list(_pages(table, query, type(table).query)) == walked_whole, query
