"""A local HTTP server that speaks 46elks' SMS API (POST /a1/sms) and checks each request
the way 46elks would: basic auth, form-encoded `from`, `to`, `message`.

And the other direction: an SMS *to* our number, posted to our webhook the way 46elks posts
it (https://46elks.com/docs/receive-sms): form-encoded `direction=incoming`, `id`, `from`,
`to`, `created` (UTC) and `message`. `inbound_form` builds the body; `post_inbound` sends it
with Django's test client, `ElksServer.send_inbound` over real HTTP to a running site.
"""

import base64
import datetime
import itertools
import json
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlencode

import requests as http_client

# Our virtual number at the gateway, the `to` of every inbound SMS.
OUR_NUMBER = "+46766861004"
_ids = itertools.count(1)


def inbound_form(*, sender: str, message: str, message_id: str = "", to: str = OUR_NUMBER) -> dict:
    """The fields 46elks posts for one SMS received, in its order."""
    created = datetime.datetime.now(datetime.UTC).replace(tzinfo=None).isoformat()
    return {
        "direction": "incoming",
        "id": message_id or f"sf{next(_ids):031x}",
        "from": sender,
        "to": to,
        "created": created,
        "message": message,
    }


def post_inbound(client: Any, url: str, **fields: Any) -> Any:
    """Post one inbound SMS to the webhook at `url` with Django's test client, as the
    gateway does: a form-encoded body, no cookies, no CSRF token."""
    return client.post(
        url,
        data=urlencode(inbound_form(**fields)),
        content_type="application/x-www-form-urlencoded",
    )


def send_inbound(webhook_url: str, **fields: Any) -> http_client.Response:
    """Post one inbound SMS to a running site's webhook over HTTP (a dev server, a live test
    server), as 46elks does; by hand in `manage.py shell`:
    send_inbound("http://127.0.0.1:8000/sms/inkommande/<secret>/", sender="+46701740606",
    message="ja")."""
    return http_client.post(webhook_url, data=inbound_form(**fields), timeout=10)


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

    def send_inbound(self, webhook_url: str, **fields: Any) -> http_client.Response:
        return send_inbound(webhook_url, **fields)

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
