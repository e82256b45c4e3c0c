"""Two ways to reach a LocalMinistry: HTTP on loopback (a daemon thread), or in-process (no socket).

Both hand the request to `LocalMinistry.handle`, so the client runs its real code path either way;
`InProcessPool` is for unit tests and anything that must not open sockets.
"""

from __future__ import annotations

import contextlib
import io
import socket
import socketserver
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import urllib3

if TYPE_CHECKING:
    from .ministry import LocalMinistry

# Bodies are read whole before answering (a 413 must not break the pipe under a client still
# sending); beyond this the connection is simply closed.
HARD_BODY_LIMIT = 32 * 1024 * 1024


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as the client's connection pool expects
    disable_nagle_algorithm = True  # headers and body go out in two writes: no delayed-ACK stalls
    server: HttpServer

    def _dispatch(self) -> None:
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            self.send_error(411, "Content-Length required")
            self.close_connection = True
            return
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            length = -1
        if not 0 <= length <= HARD_BODY_LIMIT:
            self.send_error(413 if length > 0 else 400)
            self.close_connection = True
            return
        body = self.rfile.read(length) if length else b""
        reply = self.server.ministry.handle(self.command, self.path, dict(self.headers.items()), body)
        self.send_response(reply.status)
        for name, value in reply.headers.items():
            self.send_header(name, value)
        if reply.status != 204:
            self.send_header("Content-Length", str(len(reply.body)))
        self.end_headers()
        if reply.body and reply.status != 204:
            self.wfile.write(reply.body)

    do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = _dispatch

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: the ministry's `on_request` hook reports requests instead."""


class HttpServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, ministry: LocalMinistry, address: tuple[str, int]) -> None:
        super().__init__(address, _Handler)
        self.ministry = ministry
        self._connections: set[socket.socket] = set()
        self._connections_lock = threading.Lock()
        self._thread: threading.Thread | None = None

    def server_bind(self) -> None:
        # HTTPServer.server_bind asks DNS for the host's full name (slow offline); skip that.
        socketserver.TCPServer.server_bind(self)
        host, port = self.server_address[:2]
        self.server_name, self.server_port = str(host), int(port)

    def process_request(self, request: Any, client_address: Any) -> None:
        with self._connections_lock:
            self._connections.add(request)
        super().process_request(request, client_address)

    def shutdown_request(self, request: Any) -> None:
        with self._connections_lock:
            self._connections.discard(request)
        super().shutdown_request(request)

    def run_in_thread(self) -> None:
        self._thread = threading.Thread(
            target=self.serve_forever, kwargs={"poll_interval": 0.05}, name="local-ministry", daemon=True
        )
        self._thread.start()

    def stop(self) -> None:
        """Stop accepting, then close kept-alive connections so no handler thread lingers."""
        self.shutdown()
        with self._connections_lock:
            connections, self._connections = list(self._connections), set()
        for connection in connections:
            with contextlib.suppress(OSError):
                connection.shutdown(socket.SHUT_RDWR)
        self.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)


def serve(ministry: LocalMinistry, host: str, port: int) -> HttpServer:
    server = HttpServer(ministry, (host, port))
    server.run_in_thread()
    return server


class InProcessPool(urllib3.PoolManager):
    """A urllib3 pool whose requests go straight to `ministry.handle`: no socket, no thread."""

    def __init__(self, ministry: LocalMinistry) -> None:
        super().__init__()
        self.ministry = ministry

    # PoolManager.urlopen's own signature, which mypy finds incompatible with RequestMethods'.
    def urlopen(  # type: ignore[override]
        self, method: str, url: str, redirect: bool = True, **kw: Any
    ) -> urllib3.BaseHTTPResponse:
        parts = urlsplit(url)
        target = parts.path + (f"?{parts.query}" if parts.query else "")
        body = kw.get("body") or b""
        if isinstance(body, str):
            body = body.encode()
        headers = {str(name): str(value) for name, value in (kw.get("headers") or {}).items()}
        reply = self.ministry.handle(method, target, headers, bytes(body))
        return urllib3.HTTPResponse(
            body=io.BytesIO(reply.body),
            headers=reply.headers,
            status=reply.status,
            preload_content=True,
            request_method=method,
            request_url=url,
        )
