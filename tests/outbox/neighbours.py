"""Real neighbours for delivery tests: an SMTP server (aiosmtpd) and an HTTP receiver standing in
for Slack's Web API and for webhook endpoints. Laneway talks to them over sockets exactly as it
talks to the real ones; each can be stopped (connections refused) and started again on its port.
"""

from __future__ import annotations

import contextlib
import json
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from aiosmtpd.controller import Controller


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def wait_for(condition: Callable[[], bool], timeout: float, what: str, step: float = 0.01) -> None:
    """Poll `condition` until true; fail the test after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout}s waiting for {what}")
        time.sleep(step)


# --- SMTP --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Mail:
    mail_from: str
    rcpt_tos: list[str]
    raw: bytes

    @property
    def message(self) -> EmailMessage:
        parsed = message_from_bytes(self.raw, policy=policy.default)
        assert isinstance(parsed, EmailMessage)
        return parsed

    def part(self, subtype: str) -> str:
        body = self.message.get_body(preferencelist=(subtype,))
        assert body is not None, f"no text/{subtype} part"
        assert isinstance(body, EmailMessage)
        content: str = body.get_content()
        return content


class _Collector:
    def __init__(self, server: SmtpServer) -> None:
        self.server = server

    async def handle_DATA(self, _server: object, _session: object, envelope: Any) -> str:
        mail = Mail(envelope.mail_from, list(envelope.rcpt_tos), envelope.content)
        with self.server.lock:
            if self.server.fail_next > 0:
                self.server.fail_next -= 1
                self.server.refused.append(mail)
                return "451 4.3.0 Try again later"
            self.server.mails.append(mail)
        return "250 OK"


class SmtpServer:
    """aiosmtpd on 127.0.0.1; `fail_next` answers that many DATA commands with a 451 (temporary
    failure), keeping what was refused in `refused`."""

    def __init__(self) -> None:
        self.port = free_port()
        self.mails: list[Mail] = []
        self.fail_next = 0
        self.refused: list[Mail] = []
        self.lock = threading.Lock()
        self._controller: Controller | None = None

    @property
    def url(self) -> str:
        return f"smtp://127.0.0.1:{self.port}"

    def start(self) -> None:
        self._controller = Controller(_Collector(self), hostname="127.0.0.1", port=self.port)
        self._controller.start()

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    def to(self, address: str) -> list[Mail]:
        """Mails whose envelope names `address` (the suite shares one database, so the worker
        may also deliver other tests' leftover rows here)."""
        with self.lock:
            return [m for m in self.mails if address in m.rcpt_tos]


# --- HTTP --------------------------------------------------------------------------------------


@dataclass
class Request:
    method: str
    path: str
    headers: dict[str, str]  # lower-case names
    body: bytes
    received_at: float = field(default_factory=time.monotonic)
    status: int | None = None  # what the receiver answered

    def json(self) -> Any:
        return json.loads(self.body)


@dataclass(frozen=True)
class Answer:
    status: int = 200
    body: Any = None  # JSON-serialisable, or bytes
    headers: dict[str, str] = field(default_factory=dict)


SLACK_OK = Answer(200, {"ok": True, "channel": "C0", "ts": "1700000000.000100"})
Responder = Callable[[Request], Answer]


def default_answer(request: Request) -> Answer:
    """Slack's chat.postMessage says ok; any other path (a webhook endpoint) takes the event."""
    return SLACK_OK if request.path.endswith("/chat.postMessage") else Answer(200, b"")


class Receiver:
    """A threaded HTTP/1.1 server recording every request; `respond` decides each answer.

    Stopping it also cuts the kept-alive connections, so an outage refuses every next call."""

    def __init__(self) -> None:
        self.port = free_port()
        self.requests: list[Request] = []
        self.respond: Responder = default_answer
        self.lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self._connections: set[socket.socket] = set()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def setup(self) -> None:
                super().setup()
                with receiver.lock:
                    receiver._connections.add(self.connection)

            def finish(self) -> None:
                with receiver.lock:
                    receiver._connections.discard(self.connection)
                super().finish()

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                request = Request(
                    self.command,
                    self.path,
                    {k.lower(): v for k, v in self.headers.items()},
                    self.rfile.read(length),
                )
                with receiver.lock:
                    receiver.requests.append(request)
                answer = receiver.respond(request)
                request.status = answer.status
                body = answer.body if isinstance(answer.body, bytes) else json.dumps(answer.body).encode()
                try:
                    self.send_response(answer.status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(body)))
                    for name, value in answer.headers.items():
                        self.send_header(name, value)
                    self.end_headers()
                    self.wfile.write(body)
                except OSError:  # the caller went away (a killed worker)
                    pass

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05})
        self._thread.daemon = True
        self._thread.start()

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            with self.lock:
                for connection in self._connections:
                    with contextlib.suppress(OSError):
                        connection.shutdown(socket.SHUT_RDWR)
            assert self._thread is not None
            self._thread.join(5)
            self._server = None

    def on(self, path_prefix: str) -> list[Request]:
        with self.lock:
            return [r for r in self.requests if r.path.startswith(path_prefix)]

    def slack_posts(self, channel: str) -> list[Request]:
        """Successful-or-not chat.postMessage calls for one channel."""
        return [r for r in self.on("/api/chat.postMessage") if r.json().get("channel") == channel]
