"""moto in server mode on 127.0.0.1, on a free port, for the lifetime of one stack."""

from __future__ import annotations

import logging

from moto.server import ThreadedMotoServer


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
        return self.url

    def stop(self) -> None:
        self._server.stop()
