"""Markdown as editors write it, to HTML that is safe to show as it is.

Editors' Markdown may hold raw HTML (an abbreviation, a definition list); nh3
(ammonia) is the one gate that decides what reaches the page: a short list of
tags and attributes, http(s) and mailto links only, no `style`, no `class`, no
`id`, no event handlers, no scripts. Images are left out: the site's CSP serves
images from itself only, and articles have no uploads. Rendering runs once, on
save (`Publishable.save`), never per request.
"""

import html
import re
from urllib.parse import urlsplit

import nh3
from markdown_it import MarkdownIt

ALLOWED_TAGS = {
    "a",
    "abbr",
    "b",
    "blockquote",
    "br",
    "caption",
    "cite",
    "code",
    "dd",
    "del",
    "dl",
    "dt",
    "em",
    "figcaption",
    "figure",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "i",
    "ins",
    "kbd",
    "li",
    "mark",
    "ol",
    "p",
    "pre",
    "q",
    "s",
    "samp",
    "small",
    "strong",
    "sub",
    "sup",
    "table",
    "tbody",
    "td",
    "th",
    "thead",
    "time",
    "tr",
    "ul",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title", "hreflang"},
    "abbr": {"title"},
    "blockquote": {"cite"},
    "del": {"cite", "datetime"},
    "ins": {"cite", "datetime"},
    "ol": {"start", "reversed"},
    "q": {"cite"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
    "time": {"datetime"},
}
URL_SCHEMES = {"http", "https", "mailto"}
# Links that leave the site: no window.opener for the page opened, no ranking passed on.
EXTERNAL_REL = "noopener nofollow"

# CommonMark plus GitHub's tables and ~~strikethrough~~; raw HTML passes to nh3.
_markdown = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])

# An <a> start tag as nh3 writes it: every attribute double-quoted, quotes escaped.
_LINK_START = re.compile(r'<a((?:\s+[^\s="]+="[^"]*")*)\s*>')
_HREF = re.compile(r'\shref="([^"]*)"')


def render_markdown(text: str) -> str:
    """Editors' Markdown as sanitised HTML. The page's title is its h1, so the
    text's headings start at h2: "# Heading" is an h2, "## Heading" an h3."""
    tokens = _markdown.parse(text)
    for token in tokens:
        if token.type in {"heading_open", "heading_close"}:
            token.tag = f"h{min(int(token.tag[1]) + 1, 6)}"
    return sanitise(_markdown.renderer.render(tokens, _markdown.options, {}))


def sanitise(fragment: str) -> str:
    cleaned = nh3.clean(
        fragment,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel=None,  # set below, on external links only
        strip_comments=True,
    )
    return _LINK_START.sub(_mark_external, cleaned)


def is_external(url: str) -> bool:
    """Absolute http(s) and scheme-relative URLs leave the site; paths do not."""
    parts = urlsplit(url.strip())
    return bool(parts.netloc) and parts.scheme in {"", "http", "https"}


def _mark_external(match: re.Match) -> str:
    attributes = match.group(1)
    href = _HREF.search(attributes)
    if href and is_external(html.unescape(href.group(1))):
        return f'<a{attributes} rel="{EXTERNAL_REL}">'
    return match.group(0)


def plain_text(fragment: str) -> str:
    """Sanitised HTML as text (for word counts and descriptions)."""
    return html.unescape(nh3.clean(fragment, tags=set(), link_rel=None)).strip()
