"""(4) Delivery against the local ministry with a configured rate limit: records delivered per second
as a fraction of what the limit allows, and how many requests the ministry answered 429."""

from __future__ import annotations

import os
import time
from pathlib import Path

from bench.common import Figure, sample_file

SECTION = "4 delivery"
# The ministry's limit in requests per second, and the push function's MINISTRY_RATE_LIMIT_PER_S: an
# operator sets the published limit as it is. The ministry's bucket holds one request: no burst
# hides a request that arrives early.
RATE_PER_S = float(os.environ.get("BENCH_RATE", "1.0"))
RECORDS_PER_REQUEST = 100  # api/ministry.yaml's batch limit, which the push function fills


def run(quick: bool = False) -> list[Figure]:
    from sikas_sync.embedded.stack import EmbeddedStack
    from sikas_sync.ministry.local import Faults

    rows = 500 if quick else 2_000
    path = sample_file("pencari_kerja", rows, invalid_ratio=0.0)
    faults = Faults(rate_limit_per_s=RATE_PER_S, rate_limit_burst=1)
    with Path("/dev/null").open("w") as quiet, EmbeddedStack(log=quiet, ministry_faults=faults) as stack:
        assert stack.push_mapping is not None
        assert stack.local_ministry is not None
        stack.push_mapping.environment["MINISTRY_RATE_LIMIT_PER_S"] = str(RATE_PER_S)
        stack.upload(path, f"pencari_kerja/{path.name}")
        assert stack.run_ingest(600), "ingest did not finish"
        started = time.perf_counter()
        finished = stack.run_delivery(1200)
        elapsed = time.perf_counter() - started
        stats = stack.local_ministry.stats
        states = stack.delivery_states()
    delivered = states.get("delivered", 0)
    posts = [seen for seen in stats.log if seen.route == "/v1/records/{domain}"]
    refused = sum(1 for seen in posts if seen.status == 429)
    requests = len(stats.log)
    limit_records = RATE_PER_S * RECORDS_PER_REQUEST
    rate = delivered / elapsed
    return [
        Figure(
            SECTION,
            f"delivery of {rows:,} records at {RATE_PER_S:g} request/s",
            rate,
            "records/s",
            reference=limit_records,
            reference_name=f"limit ({RATE_PER_S:g} req/s x {RECORDS_PER_REQUEST} records)",
            ratio=rate / limit_records,
            target=">= 0.9",
            met=rate / limit_records >= 0.9 and finished,
            note=f"{delivered:,} delivered in {elapsed:.1f} s; {len(posts)} POSTs; push function limit "
            f"{RATE_PER_S:g} req/s (the same)",
            details={"states": states, "requests_by_status": {str(k): v for k, v in stats.requests.items()}},
        ),
        Figure(
            SECTION,
            "record POSTs per second after the first",  # the first waits for no one: n POSTs, n - 1 gaps
            (len(posts) - 1) / elapsed,
            "requests/s",
            reference=RATE_PER_S,
            reference_name="limit",
            ratio=(len(posts) - 1) / elapsed / RATE_PER_S,
            note="what the ministry's limit counts",
        ),
        Figure(
            SECTION,
            "requests per second vs the limit",
            requests / elapsed,
            "requests/s",
            reference=RATE_PER_S,
            reference_name="limit",
            ratio=requests / elapsed / RATE_PER_S,
            note=f"{requests} requests (token requests included)",
        ),
        Figure(
            SECTION,
            "429 answers (rate limited)",
            refused,
            "requests",
            reference=len(posts),
            reference_name="record POSTs",
            ratio=refused / len(posts) if posts else None,
            target="no storm",
            met=refused <= max(1, len(posts) // 20),
        ),
    ]
