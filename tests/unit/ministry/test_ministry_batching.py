"""How a push is cut into requests: at most N records and B bytes each, in order, nothing lost."""

from __future__ import annotations

import itertools
import json

from hypothesis import given
from hypothesis import strategies as st

from sikas_sync.ministry.client import batch_body_size, plan_batches


@given(
    sizes=st.lists(st.integers(min_value=1, max_value=400), max_size=300),
    max_records=st.integers(min_value=1, max_value=100),
    max_bytes=st.integers(min_value=20, max_value=5_000),
)
def test_batches_cover_the_input_in_order_within_the_limits(
    sizes: list[int], max_records: int, max_bytes: int
) -> None:
    runs = plan_batches(sizes, max_records, max_bytes)
    assert [index for start, end in runs for index in range(start, end)] == list(range(len(sizes)))
    for start, end in runs:
        assert 1 <= end - start <= max_records
        fits = batch_body_size(sizes[start:end]) <= max_bytes
        assert fits or end - start == 1  # only a record too large on its own may exceed the limit
    # Greedy: the next record would not have fitted into the batch before it.
    for (start, end), (following, _) in itertools.pairwise(runs):
        grown = sizes[start : end + 1]
        assert end == following
        assert end - start == max_records or batch_body_size(grown) > max_bytes


def test_body_size_is_the_size_of_the_json_sent() -> None:
    parts = [
        json.dumps({"record_id": str(n), "data": {"x": "y" * n}}, separators=(",", ":")) for n in range(5)
    ]
    body = '{"records":[' + ",".join(parts) + "]}"
    assert batch_body_size([len(p) for p in parts]) == len(body)
    assert batch_body_size([]) == len('{"records":[]}')


def test_exact_limits() -> None:
    assert plan_batches([1] * 250, 100, 10**6) == [(0, 100), (100, 200), (200, 250)]
    # Three records of 10 bytes make a body of 14 + 30 + 2 = 46 bytes.
    assert plan_batches([10, 10, 10, 10], 100, 46) == [(0, 3), (3, 4)]
    assert plan_batches([10, 10, 10, 10], 100, 45) == [(0, 2), (2, 4)]
    assert plan_batches([50, 5, 5], 100, 40) == [(0, 1), (1, 3)]
    assert plan_batches([], 100, 100) == []
