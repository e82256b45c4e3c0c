"""The emulator serves concurrent requests as AWS does, each whole: a Scan while other requests
write the table, a listing while objects are put, a long poll while messages are sent.

moto's threaded server alone shares plain dicts between its request threads; a Scan that iterates a
table while another request adds items can die with "dictionary changed size during iteration" (a
500, seen on a 200,000-record local stack). At this test's scale moto alone seldom shows it; the
test holds the emulator to AWS's answer whatever the interleaving: no error, no half-seen write.
"""

from __future__ import annotations

import sys
import threading
import time
from collections.abc import Callable
from typing import Any

WRITERS, WRITES, READS = 2, 30, 10
STORED = 2_000  # a table a Scan takes a while over, as a regency's records table


def _together(*work: Callable[[], None]) -> list[BaseException]:
    failures: list[BaseException] = []

    def run(job: Callable[[], None]) -> None:
        try:
            job()
        except BaseException as problem:  # collected, asserted empty below
            failures.append(problem)

    threads = [threading.Thread(target=run, args=(job,)) for job in work]
    # The emulator's request threads run in this process: switching threads every few microseconds
    # instead of every 5 ms makes a request land inside another's loop over a table, as a busy
    # emulator's requests do over minutes.
    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
    finally:
        sys.setswitchinterval(interval)
    return failures


def test_scans_while_other_requests_write_see_whole_tables(clients: Callable[[str], Any]) -> None:
    db = clients("dynamodb")
    db.create_table(
        TableName="t",
        AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
        BillingMode="PAY_PER_REQUEST",
    )

    for start in range(0, STORED, 25):
        items = [{"PutRequest": {"Item": {"pk": {"S": f"old-{start + i}"}}}} for i in range(25)]
        db.batch_write_item(RequestItems={"t": items})

    def writer(number: int) -> Callable[[], None]:
        def write() -> None:
            own = clients("dynamodb")
            for batch in range(WRITES):
                items = [{"PutRequest": {"Item": {"pk": {"S": f"{number}-{batch}-{i}"}}}} for i in range(25)]
                own.batch_write_item(RequestItems={"t": items})

        return write

    counts: list[int] = []

    def reader() -> None:
        own = clients("dynamodb")
        for _ in range(READS):
            pages = own.get_paginator("scan").paginate(TableName="t")
            counts.append(sum(len(page["Items"]) for page in pages))

    assert _together(*(writer(n) for n in range(WRITERS)), reader) == []
    assert counts == sorted(counts)  # never a count that went back: no half-seen write
    total = sum(p["Count"] for p in db.get_paginator("scan").paginate(TableName="t", Select="COUNT"))
    assert total == STORED + WRITERS * WRITES * 25


def test_a_long_poll_does_not_hold_the_emulator(clients: Callable[[str], Any]) -> None:
    sqs = clients("sqs")
    url = sqs.create_queue(QueueName="q")["QueueUrl"]
    received: list[str] = []

    def poll() -> None:
        answer = clients("sqs").receive_message(QueueUrl=url, WaitTimeSeconds=5)
        received.extend(message["Body"] for message in answer.get("Messages", []))

    def send_later() -> None:
        time.sleep(0.5)  # the poll is waiting by now
        clients("sqs").send_message(QueueUrl=url, MessageBody="datang")

    assert _together(poll, send_later) == []
    assert received == ["datang"]  # sent while the poll waited: the poll did not block the send
