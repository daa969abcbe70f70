"""A local HTTP server that speaks 46elks' SMS API (POST /a1/sms) and checks each request
the way 46elks would: basic auth, form-encoded `from`, `to`, `message`."""

import base64
import json
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs


@dataclass
class ElksServer:
    username: str = "u1234"
    password: str = "hemligt"  # noqa: S105 — the test server's own credentials
    requests: list[dict] = field(default_factory=list)
    # Status code to answer with next (then back to 200), to test provider errors.
    fail_with: list[int] = field(default_factory=list)

    def __post_init__(self) -> None:
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # quiet
                pass

            def do_POST(self):  # noqa: N802
                length = int(self.headers.get("Content-Length", 0))
                body = self.rfile.read(length).decode()
                form = {k: v[0] for k, v in parse_qs(body).items()}
                expected = (
                    "Basic "
                    + base64.b64encode(f"{server.username}:{server.password}".encode()).decode()
                )
                problem = None
                if self.path != "/a1/sms":
                    problem = (404, "Not found")
                elif self.headers.get("Authorization") != expected:
                    problem = (401, "Unauthorized")
                elif not self.headers.get("Content-Type", "").startswith(
                    "application/x-www-form-urlencoded"
                ):
                    problem = (400, "Expected form data")
                elif not {"from", "to", "message"} <= form.keys():
                    problem = (400, "Missing from, to or message")
                elif not form["to"].startswith("+"):
                    problem = (400, "Invalid to: must be E.164")
                elif server.fail_with:
                    code = server.fail_with.pop(0)
                    problem = (code, "Simulated provider error")
                if problem:
                    self.send_response(problem[0])
                    self.end_headers()
                    self.wfile.write(problem[1].encode())
                    return
                server.requests.append(form)
                reply = {
                    "id": f"s{len(server.requests):05d}",
                    "status": "created",
                    **form,
                    "parts": 1,
                    "cost": 3500,
                }
                data = json.dumps(reply).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self._httpd.server_address[1]
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)
        self._thread.start()

    @property
    def url(self) -> str:
        return f"46elks+http://{self.username}:{self.password}@127.0.0.1:{self.port}"

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
