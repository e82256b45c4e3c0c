"""Serve a local ministry until Ctrl-C, for `sikas-sync run --ministry-url` and manual testing.

python -m sikas_sync.ministry.local --port 8400 --failure-rate 0.3 --throttle-rate 0.1 --token-ttl 5
"""

from __future__ import annotations

import argparse
import signal
import sys
import threading
from types import FrameType

from .. import contract
from .faults import Faults
from .ministry import LocalMinistry
from .stats import RequestSeen


def _fraction(text: str) -> float:
    value = float(text)
    if not 0.0 <= value <= 1.0:
        raise argparse.ArgumentTypeError("must be between 0 and 1")
    return value


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="python -m sikas_sync.ministry.local",
        description="Serve the project's implementation of api/ministry.yaml, with switchable faults.",
    )
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8400, help="0 picks a free port (default 8400)")
    p.add_argument("--region-code", default="12.09")
    p.add_argument("--client-id", default="local-client")
    p.add_argument("--client-secret", default="local-secret")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--failure-rate", type=_fraction, default=0.0, help="API requests answered 503 or 500")
    p.add_argument("--throttle-rate", type=_fraction, default=0.0, help="API requests answered 429")
    p.add_argument("--retry-after", type=int, default=1, help="Retry-After seconds of a throttled answer")
    p.add_argument("--token-ttl", type=float, default=3600.0, help="token lifetime in seconds")
    p.add_argument("--latency", type=float, default=0.0, help="seconds added to every request")
    p.add_argument("--refuse-rate", type=_fraction, default=0.0, help="records answered rejected")
    p.add_argument("--max-batch-records", type=int, default=contract.MAX_BATCH_RECORDS)
    p.add_argument("--max-body-bytes", type=int, default=contract.MAX_BATCH_BYTES)
    p.add_argument(
        "--rate-limit", type=float, default=None, help="API requests per second (default unlimited)"
    )
    p.add_argument(
        "--rate-limit-burst", type=int, default=None, help="requests the rate limit lets through at once"
    )
    p.add_argument(
        "--fail-after-accept-rate", type=_fraction, default=0.0, help="POSTs stored, then answered 503"
    )
    p.add_argument("--quiet", action="store_true", help="do not print one line per request on stderr")
    return p


def _print_request(seen: RequestSeen) -> None:
    print(f"{seen.status} {seen.method} {seen.path} request={seen.request_id}", file=sys.stderr, flush=True)


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    faults = Faults(
        failure_rate=args.failure_rate,
        throttle_rate=args.throttle_rate,
        retry_after_s=args.retry_after,
        token_ttl_s=args.token_ttl,
        latency_s=args.latency,
        refuse_rate=args.refuse_rate,
        max_batch_records=args.max_batch_records,
        max_body_bytes=args.max_body_bytes,
        rate_limit_per_s=args.rate_limit,
        rate_limit_burst=args.rate_limit_burst,
        fail_after_accept_rate=args.fail_after_accept_rate,
    )
    ministry = LocalMinistry(
        region_code=args.region_code,
        clients={args.client_id: args.client_secret},
        faults=faults,
        seed=args.seed,
        host=args.host,
        port=args.port,
        on_request=None if args.quiet else _print_request,
    )
    stopped = threading.Event()

    def _on_term(signum: int, frame: FrameType | None) -> None:
        stopped.set()

    signal.signal(signal.SIGTERM, _on_term)
    # Ctrl-C stops it even when started from a process that ignores SIGINT (Python then installs no
    # KeyboardInterrupt handler, and the server would never stop): a test runner's worker, a script.
    signal.signal(signal.SIGINT, _on_term)
    url = ministry.start()
    print(f"Local ministry API on {url} (region {args.region_code}, client id {args.client_id})", flush=True)
    try:
        while not stopped.wait(0.5):
            pass
    except KeyboardInterrupt:
        pass
    finally:
        ministry.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
