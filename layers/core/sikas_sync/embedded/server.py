"""moto in server mode on 127.0.0.1, on a free port, for the lifetime of one stack."""

from __future__ import annotations

import datetime
import logging
import time
import urllib.request
from typing import Any

import moto.s3.notifications as moto_s3_notifications
import moto.sqs.models as moto_sqs
from moto.core import utils as moto_utils
from moto.server import ThreadedMotoServer


def _unix_time(dt: datetime.datetime | None = None) -> float:
    return time.time() if dt is None else moto_utils.unix_time(dt)


def _unix_time_millis(dt: datetime.datetime | None = None) -> float:
    return _unix_time(dt) * 1000.0


# moto's SQS asks the clock through datetime arithmetic about a hundred times per message on every
# ReceiveMessage, which makes a queue of a few thousand messages take seconds per receive; the
# same value from time.time() keeps the emulator usable for whole exports.
moto_sqs.unix_time = _unix_time  # type: ignore[attr-defined]
moto_sqs.unix_time_millis = _unix_time_millis  # type: ignore[attr-defined]

_moto_s3_event = moto_s3_notifications._get_s3_event


def _s3_event_with_version(event_name: str, bucket: Any, key: Any, notification_id: str) -> dict[str, Any]:
    # S3 names the object version in every notification of a versioned bucket; moto leaves it out,
    # and without it two uploads of one key before dispatch would both read the newer version.
    event = _moto_s3_event(event_name, bucket, key, notification_id)
    version = getattr(key, "version_id", None)
    if version and version != "null":
        for record in event["Records"]:
            record["s3"]["object"]["versionId"] = version
    return event


moto_s3_notifications._get_s3_event = _s3_event_with_version


class AwsEmulator:
    def __init__(self) -> None:
        # werkzeug logs every request at INFO; that is noise for operators.
        logging.getLogger("werkzeug").setLevel(logging.ERROR)
        self._server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
        self.url = ""

    def start(self) -> str:
        self._server.start()
        host, port = self._server.get_host_and_port()
        self.url = f"http://{host}:{port}"
        # moto keeps its state per process, not per server: start from nothing every time.
        self.reset()
        return self.url

    def reset(self) -> None:
        # Our own emulator on loopback, over plain http.
        request = urllib.request.Request(f"{self.url}/moto-api/reset", method="POST")  # noqa: S310
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
            response.read()

    def stop(self) -> None:
        self.reset()  # free the emulated data, which would otherwise live as long as the process
        self._server.stop()
