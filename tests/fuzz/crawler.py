"""Find every page and form of the site the way a visitor would: by following links.

The fuzz tests start from the home page (and `/personal/` for staff), follow same-site links
breadth-first, and keep each form they meet with its fields as the HTML declares them. A
URL pattern is visited at most `PER_PATTERN` times, so a list of 200 proposals costs two
pages, not two hundred.
"""

from __future__ import annotations

import dataclasses
from collections import deque
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urldefrag, urljoin, urlsplit

from django.test import Client
from django.urls import Resolver404, resolve

PER_PATTERN = 2
MAX_PAGES = 400
# Never followed: log-out ends the crawl's session, the admin is Django's own, media and
# static files are no pages, and the language switch is a form tested elsewhere.
SKIP_PREFIXES = ("/admin/", "/static/", "/media/", "/konto/logga-ut/", "/sprak/")
NOT_HTML = (".csv", ".ics", ".json", ".geojson", ".pdf", ".xml")


@dataclasses.dataclass
class Field:
    name: str
    kind: str  # input type, or "select", "select-multiple", "textarea"
    value: str = ""
    options: list[str] = dataclasses.field(default_factory=list)
    required: bool = False


@dataclasses.dataclass
class Form:
    page: str
    action: str
    method: str
    multipart: bool
    fields: list[Field]
    submit: dict[str, str]  # the first submit button's name and value, if it has a name

    @property
    def url_name(self) -> str:
        return url_name_of(self.action)

    def key(self) -> tuple:
        return (self.method, self.url_name, tuple(sorted(f.name for f in self.fields)))


def url_name_of(url: str) -> str:
    try:
        match = resolve(urlsplit(url).path)
    except Resolver404:
        return "?"
    return match.view_name


class _FormParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.forms: list[dict] = []
        self._form: dict | None = None
        self._select: Field | None = None
        self._textarea: Field | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: (v or "") for k, v in attrs}
        if tag == "a" and a.get("href"):
            self.links.append(a["href"])
        elif tag == "form":
            self._form = {
                "action": a.get("action", ""),
                "method": (a.get("method") or "get").lower(),
                "multipart": "multipart" in a.get("enctype", ""),
                "fields": [],
                "submit": {},
            }
            self.forms.append(self._form)
        elif self._form is None:
            return
        elif tag == "input":
            kind = a.get("type", "text").lower()
            if kind in ("submit", "image"):
                if a.get("name") and not self._form["submit"]:
                    self._form["submit"] = {a["name"]: a.get("value", "")}
                return
            if not a.get("name") or kind in ("reset",):
                return
            value = a.get("value", "on" if kind in ("checkbox", "radio") else "")
            existing = [f for f in self._form["fields"] if f.name == a["name"] and f.kind == kind]
            if kind in ("checkbox", "radio") and existing:
                existing[0].options.append(value)
                return
            self._form["fields"].append(
                Field(
                    a["name"],
                    kind,
                    value,
                    options=[value] if kind in ("checkbox", "radio") else [],
                    required="required" in a,
                )
            )
        elif tag == "button":
            if a.get("name") and a.get("type", "submit") == "submit" and not self._form["submit"]:
                self._form["submit"] = {a["name"]: a.get("value", "")}
        elif tag == "select" and a.get("name"):
            self._select = Field(
                a["name"],
                "select-multiple" if "multiple" in a else "select",
                required="required" in a,
            )
            self._form["fields"].append(self._select)
        elif tag == "option" and self._select is not None:
            self._select.options.append(a.get("value", ""))
            if "selected" in a:
                self._select.value = a.get("value", "")
        elif tag == "textarea" and a.get("name"):
            self._textarea = Field(a["name"], "textarea", required="required" in a)
            self._form["fields"].append(self._textarea)

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self._textarea.value += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None


def parse_page(url: str, html: str) -> tuple[list[str], list[Form]]:
    parser = _FormParser()
    parser.feed(html)
    forms = [
        Form(
            page=url,
            action=urljoin(url, f["action"] or url),
            method=f["method"],
            multipart=f["multipart"],
            fields=f["fields"],
            submit=f["submit"],
        )
        for f in parser.forms
    ]
    links = [urljoin(url, href) for href in parser.links]
    return links, forms


def _local_path(url: str) -> str | None:
    url, _fragment = urldefrag(url)
    parts = urlsplit(url)
    if parts.scheme not in ("", "http", "https") or parts.netloc not in ("", "testserver"):
        return None
    path = parts.path or "/"
    if path.startswith(SKIP_PREFIXES):
        return None
    query = "&".join(f"{k}={v}" for k, v in parse_qsl(parts.query, keep_blank_values=True))
    return path + (f"?{query}" if query else "")


@dataclasses.dataclass
class CrawlResult:
    pages: dict[str, int]  # url -> status
    forms: list[Form]


def crawl(client: Client, starts: list[str]) -> CrawlResult:
    """Breadth-first over same-site links; every page's status and every distinct form.
    The start pages are always visited; pages found by links at most PER_PATTERN times per
    URL pattern."""
    queue = deque(starts)
    exempt = {_local_path(url) for url in starts}
    seen: set[str] = set()
    per_pattern: dict[str, int] = {}
    pages: dict[str, int] = {}
    forms: dict[tuple, Form] = {}
    while queue and len(pages) < MAX_PAGES:
        url = _local_path(queue.popleft())
        if url is None or url in seen:
            continue
        seen.add(url)
        name = url_name_of(url)
        if per_pattern.get(name, 0) >= PER_PATTERN and url not in exempt:
            continue
        per_pattern[name] = per_pattern.get(name, 0) + 1
        response = client.get(url)
        pages[url] = response.status_code
        content_type = response.get("Content-Type", "")
        if response.status_code != 200 or "html" not in content_type:
            continue
        if url.split("?")[0].endswith(NOT_HTML):
            continue
        links, found = parse_page(url, response.content.decode())
        for form in found:
            forms.setdefault(form.key(), form)
        queue.extend(links)
    return CrawlResult(pages=pages, forms=list(forms.values()))
