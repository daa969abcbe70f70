"""Citizens' plain text as safe HTML: every character escaped, paragraphs and line breaks
kept, web addresses made into links that tell search engines and the browser not to trust
them (rel="nofollow ugc noopener noreferrer"), and nothing else let through (nh3).

Used for what citizens write in the forum and on maps; they write text, never HTML."""

import nh3
from django.utils.html import linebreaks, urlize
from django.utils.safestring import SafeString, mark_safe

_ALLOWED_TAGS = {"p", "br", "a"}
_ALLOWED_ATTRIBUTES = {"a": {"href"}}
_URL_SCHEMES = {"http", "https", "mailto"}


def plain_to_html(text: str) -> SafeString:
    """`text` as paragraphs with safe links. Escapes first (urlize with autoescape), so a
    citizen's "<script>" is shown, not run; nh3 then removes anything that is not a
    paragraph, a line break or an http(s)/mailto link."""
    html = linebreaks(urlize(text or "", trim_url_limit=60, autoescape=True), autoescape=False)
    cleaned = nh3.clean(
        html,
        tags=_ALLOWED_TAGS,
        attributes=_ALLOWED_ATTRIBUTES,
        url_schemes=_URL_SCHEMES,
        link_rel="nofollow ugc noopener noreferrer",
    )
    return mark_safe(cleaned)  # noqa: S308 (cleaned by nh3 just above)
