"""Two uploads of one domain at the same time, on the embedded stack as AWS runs them (moto open;
tests/infra/test_embedded_iam.py runs the same with every function on its own role)."""

from __future__ import annotations

from pathlib import Path

import pytest

from concurrent_uploads import two_uploads_at_once
from sikas_sync.embedded import EmbeddedStack

# Invocations that only see S3 test events publish no metric; Powertools warns about that.
pytestmark = pytest.mark.filterwarnings("ignore:No application metrics:UserWarning")


def test_two_uploads_of_one_domain_at_once_are_stored_one_after_the_other(
    stack: EmbeddedStack, tmp_path: Path
) -> None:
    two_uploads_at_once(stack, tmp_path)
