"""The whole pipeline in-process: every valid record ends delivered or refused, under faults too."""

from __future__ import annotations

import io
from typing import Any

from sikas_sync.cli.run import Upload, all_terminal, run_pipeline
from sikas_sync.embedded import EmbeddedStack
from sikas_sync.ministry.local import Faults
from sikas_sync.sample import SampleResult

CREDENTIALS = ("local-client", "local-secret")


def run(
    uploads: list[Upload], faults: Faults | None = None, seed: int = 0
) -> tuple[dict[str, Any], dict[str, Any]]:
    seen: dict[str, Any] = {}

    def inspect(stack: EmbeddedStack) -> None:
        assert stack.local_ministry is not None
        seen["stats"] = stack.local_ministry.stats
        seen["records"] = {d: stack.local_ministry.records(d) for d in ("pencari_kerja", "lowongan", "jkp")}

    summary = run_pipeline(
        uploads,
        region_code="12.09",
        ministry_url=None,
        credentials=CREDENTIALS,
        timeout_s=240,
        log=io.StringIO(),
        faults=faults,
        ministry_seed=seed,
        stack_hook=inspect,
    )
    return summary, seen


def uploads_of(exports: dict[str, SampleResult], *domains: str) -> list[Upload]:
    return [Upload(exports[d].path, d) for d in domains]


def test_without_faults_each_record_is_pushed_once_and_a_reupload_pushes_nothing(
    exports: dict[str, SampleResult], tmp_path: Any
) -> None:
    first = exports["pencari_kerja"].path
    copy = tmp_path / "pencari_kerja_again.csv"
    copy.write_bytes(first.read_bytes())
    summary, seen = run([Upload(first, "pencari_kerja"), Upload(copy, "pencari_kerja")])
    original, again = summary["files"]
    valid = original["valid"]
    assert valid == exports["pencari_kerja"].rows - len(exports["pencari_kerja"].broken)
    assert (original["created"], original["updated"], original["unchanged"]) == (valid, 0, 0)
    assert (again["created"], again["updated"], again["unchanged"]) == (0, 0, valid)
    assert summary["delivery"]["queued"] == valid  # the second upload queued nothing
    assert summary["delivery"]["delivered"] == valid
    assert seen["stats"].records_received == valid  # exactly once at the ministry
    assert len(seen["records"]["pencari_kerja"]) == valid
    assert all_terminal(summary)


def test_every_valid_record_arrives_despite_failures_throttling_and_expiring_tokens(
    exports: dict[str, SampleResult],
) -> None:
    # Latency makes the run outlive several 2-second tokens; seed 4 makes the first POST fail.
    faults = Faults(failure_rate=0.3, throttle_rate=0.1, token_ttl_s=2, retry_after_s=0, latency_s=0.3)
    summary, seen = run(uploads_of(exports, "pencari_kerja", "lowongan", "jkp"), faults, seed=4)
    valid = sum(f["valid"] for f in summary["files"])
    delivery = summary["delivery"]
    assert delivery["delivered"] + delivery["rejected_by_ministry"] == valid
    assert delivery["pending"] == delivery["dead_lettered"] == 0
    stored = sum(len(records) for records in seen["records"].values())
    assert stored == delivery["delivered"]
    # Failed requests were retried: more ministry requests than the minimum of one per batch.
    assert delivery["attempts"] > len(summary["files"])
    stats = seen["stats"]
    assert stats.count(status=503) + stats.count(status=500) + stats.count(status=429) > 0
    assert stats.tokens_issued > 1  # tokens expired during the run and were fetched again
    assert all_terminal(summary)


def test_a_batch_accepted_but_never_acknowledged_is_retried_and_counted_once_as_delivered(
    exports: dict[str, SampleResult],
) -> None:
    faults = Faults(fail_after_accept_rate=0.7)
    summary, seen = run(uploads_of(exports, "pencari_kerja", "lowongan", "jkp"), faults)
    valid = sum(f["valid"] for f in summary["files"])
    assert summary["delivery"]["delivered"] == valid
    assert sum(len(records) for records in seen["records"].values()) == valid
    assert seen["stats"].count(method="POST", status=503) > 0  # stored, then answered as a failure
    assert seen["stats"].results.get("duplicate", 0) > 0  # the retry was answered `duplicate`


def test_records_the_ministry_refuses_end_refused_with_the_exit_still_terminal(
    exports: dict[str, SampleResult],
) -> None:
    summary, _ = run(uploads_of(exports, "jkp"), Faults(refuse_rate=0.2))
    delivery = summary["delivery"]
    assert delivery["rejected_by_ministry"] > 0
    assert delivery["delivered"] + delivery["rejected_by_ministry"] == summary["files"][0]["valid"]
    assert all_terminal(summary)


def test_the_push_function_at_exactly_the_ministrys_rate_limit_is_never_refused(
    exports: dict[str, SampleResult],
) -> None:
    # MINISTRY_RATE_LIMIT_PER_S set to the ministry's own limit, a bucket of one request: an early
    # arrival would be answered 429. At 2/s the few POSTs take about two seconds.
    rate = 2.0
    domains = ("pencari_kerja", "lowongan")
    faults = Faults(rate_limit_per_s=rate, rate_limit_burst=1)
    with EmbeddedStack(log=io.StringIO(), ministry_faults=faults) as stack:
        assert stack.push_mapping is not None
        assert stack.local_ministry is not None
        stack.push_mapping.environment["MINISTRY_RATE_LIMIT_PER_S"] = str(rate)
        for domain in domains:
            stack.upload(exports[domain].path, f"{domain}/{exports[domain].path.name}")
            assert stack.run_ingest(60)
        assert stack.run_delivery(60)
        posts = [
            seen.status for seen in stack.local_ministry.stats.log if seen.route == "/v1/records/{domain}"
        ]
        states = stack.delivery_states()
    valid = sum(exports[d].rows - len(exports[d].broken) for d in domains)
    assert states == {"delivered": valid}
    assert len(posts) >= 3
    assert posts == [200] * len(posts)
