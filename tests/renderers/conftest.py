"""Shared fixtures: hand-built audits, a local HTTP server that counts requests."""

from __future__ import annotations

import http.server
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from tests.renderers.audits import make_audit

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "report"
ROOT = Path(__file__).resolve().parents[2]


class CountingServer:
    def __init__(self) -> None:
        self.requests: list[str] = []
        outer = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                outer.requests.append(self.path)
                body = b"h1 { color: red }" if self.path.endswith(".css") else b"SERVED"
                self.send_response(200)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: object) -> None:
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> CountingServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture(scope="session")
def server() -> Iterator[CountingServer]:
    with CountingServer() as running:
        yield running


@pytest.fixture(scope="session")
def audit():  # type: ignore[no-untyped-def]
    return make_audit()


@pytest.fixture(scope="session")
def hostile_text(server: CountingServer) -> str:
    return (FIXTURES / "hostile-notes.md").read_text().replace("PORT", str(server.port))
