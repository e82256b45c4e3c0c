"""One invocation of a function in a process of its own: what a Lambda execution environment is.

The dispatcher runs invocations in its own process one at a time; when it runs several at once
(an event source's MaximumConcurrency), each goes through this module instead, so concurrent
invocations share nothing but what they share on AWS (the emulated services): no module globals,
no environment, no credentials.

    python -m sikas_sync.embedded.worker HANDLER_DIR FUNCTION_NAME MEMORY_MB TIMEOUT_S REGION RESULT_PATH
    (the event as JSON on stdin; the function's output on stdout; its result written to RESULT_PATH)

Exit 0 with the result written, or 1 when the handler raised (its error type on stderr, not its
message, which might quote data).
"""

from __future__ import annotations

import json
import sys
import warnings
from pathlib import Path

from .functions import LocalLambdaContext, load_handler


def main(argv: list[str]) -> int:
    handler_dir, function_name, memory_mb, timeout_s, region, result_path = argv
    event = json.load(sys.stdin)
    context = LocalLambdaContext(function_name, int(memory_mb), int(timeout_s), region)
    warnings.simplefilter("ignore", UserWarning)  # as the dispatcher: Powertools' "no metrics" note
    try:
        result = load_handler(handler_dir)(event, context)
    except Exception as error:  # the invocation failed, as Lambda reports it to the event source
        sys.stderr.write(f"{type(error).__name__}\n")
        return 1
    Path(result_path).write_text(json.dumps(result, default=str), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
