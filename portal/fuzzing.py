"""Hostile requests, generated: arbitrary headers, charsets, content types, query
parameters and form fields for every public page and staff list.

One set of Hypothesis strategies, two ways to send them: through Django's WSGI
handler in the test suite (portal/tests/test_fuzz.py), and over HTTP to a running
server (`manage.py fuzz_server`). Either way a request must be answered below
500, and an HTML page must never carry the marker unescaped."""

from dataclasses import dataclass, field
from urllib.parse import quote

from django.conf import settings
from hypothesis import strategies as st

# In a value, it shows up in a page unescaped only if the page reflects input as HTML.
MARKER = "<zq-fuzz>"

# Each page and the query parameters it reads (and a few it does not).
PUBLIC_PAGES = {
    "/": [],
    "/roles/": ["q", "skill", "match", "seniority", "family", "page"],
    "/roles/machine-learning-engineer/": ["area"],
    "/roles/no-such-role/": ["area"],
    "/roles/machine-learning-engineer/customise/": ["area", "seniority"],
    "/roles/machine-learning-engineer/customise/no-such-saved-draft/": [],
    "/skills/": [],
    "/skills/python/": ["page"],
    "/salaries/": ["role", "area", "sort", "page", "format"],
    "/contact/": ["role", "seniority", "area", "utm_source", "utm_campaign", "utm_medium"],
    "/contact/thanks/": [],
    "/privacy/": [],
    "/services/": [],
    "/services/no-such-service/": [],
    "/insights/": ["skill", "family", "role", "page"],
    "/insights/feed/": [],
    "/insights/no-such-article/": [],
    "/preview/insights/not-a-token/": [],
    "/healthz": [],
    "/readyz": ["deep"],
    "/sitemap.xml": [],
    "/robots.txt": [],
    "/admin/login/": ["next"],
    "/admin/password_reset/": [],
}
STAFF_PAGES = {
    "/admin/leads/lead/": [
        "q",
        "o",
        "p",
        "stage__exact",
        "assignment",
        "assigned_to__id__exact",
        "next_step",
        "family__id__exact",
        "source",
        "market",
        "stale",
        "spam",
        "_facets",
    ],
    "/admin/leads/lead/my-work/": [],
    "/admin/leads/lead/board/": ["mine", "unassigned", "overdue", "family"],
    "/admin/leads/lead/dashboard/": [],
    "/admin/roles/role/": [
        "q",
        "family__id__exact",
        "seniority__exact",
        "status",
        "skills__id__exact",
    ],
    "/admin/roles/skill/": ["q", "kind__exact", "o"],
    "/admin/content/article/": [
        "q",
        "status__exact",
        "families__id__exact",
        "skills__id__exact",
        "roles__id__exact",
    ],
    "/admin/content/servicepage/": ["q", "status__exact", "o"],
}
FORMS = {
    "/contact/": ["name", "email", "phone", "company", "job_title", "roles", "hires", "message"],
    "/roles/machine-learning-engineer/customise/": [
        "action",
        "title",
        "seniority",
        "employment_type",
        "area",
        "workplace",
        "pay_low",
        "pay_high",
        "suggested_pay",
        "company",
        "company_url",
        "responsibility",
        "benefits",
    ],
    "/admin/login/": ["username", "password"],
    "/admin/password_reset/": ["email"],
    "/csp-report/": [],
}

# Text as attackers write it: any character (NUL, controls, surrogates aside), the
# marker, URL syntax, very long values.
hostile_text = st.one_of(
    st.text(st.characters(exclude_categories=["Cs"]), max_size=40),
    st.sampled_from(
        [
            MARKER,
            f'"{MARKER}',
            "http://[::1",
            "%00",
            "\x00",
            "../../etc/passwd",
            "x" * 3000,
            "-1",
            "9" * 30,
            "é",
        ]
    ),
)
header_value = hostile_text.map(lambda text: text.encode("utf-8", "replace").decode("latin-1"))
content_types = st.one_of(
    st.sampled_from(
        [
            "application/x-www-form-urlencoded",
            "multipart/form-data",
            "multipart/form-data; boundary=",
            "application/json",
            "text/plain",
        ]
    ).flatmap(
        lambda kind: st.sampled_from(
            [kind, f"{kind}; charset=utf-16", f"{kind}; charset=latin-1", f"{kind}; charset=x"]
        )
    ),
    header_value,
)


# A CSRF token the sender pairs with a cookie of the same value, so that half the
# form posts get past CSRF to the form itself.
CSRF_TOKEN = "F" * 32


@dataclass
class HostileRequest:
    method: str
    path: str
    query: str = ""
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""
    with_csrf: bool = False

    def __str__(self) -> str:
        return f"{self.method} {self.path}?{self.query[:200]} {self.headers}"

    def headers_to_send(self, *, staff_session: str = "") -> dict[str, str]:
        """The drawn headers, the CSRF cookie paired with the form's token, and a staff
        session when the staff lists are fuzzed too."""
        cookies = [self.headers.get("Cookie", "")]
        if self.with_csrf:
            cookies.append(f"{settings.CSRF_COOKIE_NAME}={CSRF_TOKEN}")
        if staff_session:
            cookies.append(f"{settings.SESSION_COOKIE_NAME}={staff_session}")
        return {**self.headers, "Cookie": "; ".join(filter(None, cookies))}


def encoded(pairs: list[tuple[str, str]]) -> str:
    return "&".join(f"{quote(name)}={quote(value)}" for name, value in pairs)


@st.composite
def query_strings(draw, names: list[str]) -> str:
    known = st.sampled_from(names) if names else hostile_text
    pairs = draw(st.lists(st.tuples(st.one_of(known, hostile_text), hostile_text), max_size=6))
    return encoded(pairs)


@st.composite
def headers(draw) -> dict[str, str]:
    chosen = {}
    for name in ["Referer", "X-Forwarded-For", "Accept-Language", "Cookie", "User-Agent"]:
        if draw(st.booleans()):
            chosen[name] = draw(header_value)
    if draw(st.integers(0, 5)) == 0:
        chosen["Host"] = draw(header_value)
    return chosen


@st.composite
def hostile_requests(draw, *, staff: bool = False) -> HostileRequest:
    pages = {**PUBLIC_PAGES, **(STAFF_PAGES if staff else {})}
    if draw(st.integers(0, 3)) == 0:  # a form post
        path = draw(st.sampled_from(sorted(FORMS)))
        with_csrf = draw(st.booleans())
        fields = [("csrfmiddlewaretoken", CSRF_TOKEN)] if with_csrf else []
        fields += [(name, draw(hostile_text)) for name in FORMS[path]]
        body = draw(st.one_of(st.just(encoded(fields).encode()), st.binary(max_size=200)))
        return HostileRequest(
            "POST",
            path,
            headers={**draw(headers()), "Content-Type": draw(content_types)},
            body=body,
            with_csrf=with_csrf,
        )
    path = draw(st.sampled_from(sorted(pages)))
    method = draw(st.sampled_from(["GET", "GET", "GET", "HEAD", "OPTIONS"]))
    return HostileRequest(method, path, draw(query_strings(pages[path])), draw(headers()))


def reflected_unescaped(content_type: str, body: bytes) -> bool:
    """An HTML page carries the marker as markup: input reflected without escaping."""
    return content_type.startswith("text/html") and MARKER.encode() in body
