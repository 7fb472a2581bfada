"""A local webhook receiver for alert tests: records every POST (path, headers, JSON body) on 127.0.0.1.

`down = True` makes it answer 503 (a gateway that is up but failing); `stop()` closes it (connection refused).
"""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class _Handler(BaseHTTPRequestHandler):
    def log_message(self, format, *args):  # quiet
        pass

    def do_POST(self):
        server: WebhookServer = self.server.webhook_server
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length)
        headers = {key.lower(): value for key, value in self.headers.items()}
        status = 503 if server.down else 204
        with server.lock:
            server.attempts.append(self.path)
            if status < 300:
                server.received.append({"path": self.path, "headers": headers, "json": json.loads(body)})
        self.send_response(status)
        self.send_header("Content-Length", "0")
        self.end_headers()


class _Server(ThreadingHTTPServer):
    daemon_threads = True


class WebhookServer:
    def __init__(self) -> None:
        self.received: list[dict] = []  # accepted calls
        self.attempts: list[str] = []  # every call, accepted or not
        self.down = False
        self.lock = threading.Lock()
        self._server: _Server | None = None

    def start(self) -> "WebhookServer":
        self._server = _Server(("127.0.0.1", 0), _Handler)
        self._server.webhook_server = self
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}/siar-alerts"

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
