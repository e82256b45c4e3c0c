"""What the emulator's tests share: one emulator per test module, and clients of it."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import boto3
import pytest
from botocore.config import Config

from sikas_sync.embedded.server import AwsEmulator

REGION = "ap-southeast-3"


@pytest.fixture(scope="module")
def clients() -> Iterator[Callable[[str], Any]]:
    emulator = AwsEmulator()
    url = emulator.start()

    def client(service: str) -> Any:
        return boto3.client(
            service,
            endpoint_url=url,
            region_name=REGION,
            aws_access_key_id="embedded",
            aws_secret_access_key="embedded",  # the emulator takes any credentials
            config=Config(retries={"mode": "standard", "max_attempts": 1}),  # a 500 is an answer here
        )

    try:
        yield client
    finally:
        emulator.stop()


@pytest.fixture(scope="module")
def sqs(clients: Callable[[str], Any]) -> Any:
    return clients("sqs")
