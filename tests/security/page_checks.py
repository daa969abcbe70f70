"""What every page of Torget must carry and must not contain, for the header test and others.

Headers: a Content-Security-Policy that allows no inline script or style and no eval, forbids
framing by any site, and keeps plugins, <base> and form targets to our own origin; a
Referrer-Policy, a Permissions-Policy, a Cross-Origin-Opener-Policy and
`X-Content-Type-Options: nosniff`.

HTML: no inline `<script>` without the request's nonce (JSON data blocks are no scripts), no
`<style>` element without it, no `style="…"` attribute and no `on…=` handler attribute, and no
`javascript:` link: the policy would block each of them in the browser, so a page that has
one has a part that silently does not work.
"""

from __future__ import annotations

from html.parser import HTMLParser
from typing import Any

# Types of <script> that the browser does not run, so CSP does not apply to them.
DATA_SCRIPT_TYPES = {"application/json", "application/ld+json", "application/geo+json"}
UNSAFE = ("'unsafe-inline'", "'unsafe-eval'", "'unsafe-hashes'", "*")


def policy_of(header: str) -> dict[str, list[str]]:
    """A Content-Security-Policy header as {directive: [sources]}."""
    directives: dict[str, list[str]] = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            directives[words[0].lower()] = words[1:]
    return directives


def header_problems(response: Any) -> list[str]:
    problems = []
    for name in ("Referrer-Policy", "Permissions-Policy", "Cross-Origin-Opener-Policy"):
        if not response.get(name):
            problems.append(f"no {name}")
    if response.get("X-Content-Type-Options") != "nosniff":
        problems.append("no X-Content-Type-Options: nosniff")
    content_type = response.get("Content-Type", "")
    if "html" not in content_type:
        return problems
    header = response.get("Content-Security-Policy", "")
    if not header:
        return [*problems, "no Content-Security-Policy"]
    policy = policy_of(header)
    expected = {
        "default-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
    for directive, sources in expected.items():
        if policy.get(directive) != sources:
            problems.append(f"CSP {directive} is {policy.get(directive)}, not {sources}")
    if "form-action" not in policy:
        problems.append("CSP has no form-action")
    for directive in ("script-src", "style-src", "default-src"):
        for source in policy.get(directive, []):
            if source in UNSAFE or source.startswith("'sha") or source in ("http:", "https:"):
                problems.append(f"CSP {directive} allows {source}")
    return problems


class _InlineFinder(HTMLParser):
    def __init__(self, nonce: str) -> None:
        super().__init__(convert_charrefs=True)
        self.nonce = nonce
        self.problems: list[str] = []
        self._open_script: dict[str, str | None] | None = None
        self._script_text = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        for name, value in attrs:
            if name == "style":
                self.problems.append(f"<{tag} style={value!r}>")
            elif name.startswith("on"):
                self.problems.append(f"<{tag} {name}=…> handler attribute")
            elif name in ("href", "src", "action", "formaction") and (
                value or ""
            ).strip().lower().startswith("javascript:"):
                self.problems.append(f"<{tag} {name}={value!r}>")
        if tag == "script":
            self._open_script = values
            self._script_text = ""
        elif tag == "style" and not self._has_nonce(values):
            self.problems.append("<style> element without the nonce")

    def handle_data(self, data: str) -> None:
        if self._open_script is not None:
            self._script_text += data

    def handle_endtag(self, tag: str) -> None:
        if tag != "script" or self._open_script is None:
            return
        attrs = self._open_script
        self._open_script = None
        if attrs.get("src"):
            return
        kind = (attrs.get("type") or "").split(";")[0].strip().lower()
        if kind in DATA_SCRIPT_TYPES:
            return
        if not self._has_nonce(attrs) and self._script_text.strip():
            self.problems.append(f"inline <script> without the nonce: {self._script_text[:60]!r}")

    def _has_nonce(self, attrs: dict[str, str | None]) -> bool:
        return bool(self.nonce) and attrs.get("nonce") == self.nonce


def html_problems(response: Any) -> list[str]:
    """What the policy would block in an HTML page (nothing for other content)."""
    if "html" not in response.get("Content-Type", ""):
        return []
    header = response.get("Content-Security-Policy", "")
    nonce = ""
    for source in policy_of(header).get("script-src", []):
        if source.startswith("'nonce-"):
            nonce = source[len("'nonce-") : -1]
    finder = _InlineFinder(nonce)
    finder.feed(response.content.decode(errors="replace"))
    finder.close()
    return finder.problems
