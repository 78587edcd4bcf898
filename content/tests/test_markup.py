"""The new pages' markup: valid enough for every browser and screen reader (no
duplicate attributes or ids) and within the CSP (no inline script, style or handler)."""

from collections import Counter
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from content.models import Status
from content.preview import preview_url
from content.tests.factories import ArticleFactory, ServicePageFactory
from roles.tests.factories import RoleFactory, RoleFamilyFactory, SkillFactory

pytestmark = pytest.mark.django_db

HOSTILE_BODY = (
    '# Heading\n\n<p style="color:red" onclick="x()" id="main">Styled</p>'
    '<script>alert(1)</script><a href="javascript:alert(1)">x</a> [ext](https://example.com)'
)


class Markup(HTMLParser):
    def __init__(self):
        super().__init__()
        self.problems = []
        self.ids = Counter()

    def handle_starttag(self, tag, attrs):
        names = [name for name, _ in attrs]
        values = dict(attrs)
        for name, count in Counter(names).items():
            if count > 1:
                self.problems.append(f"<{tag}> has {name} {count} times")
        if "id" in values:
            self.ids[values["id"]] += 1
        for name in names:
            if name == "style" or name.startswith("on"):
                self.problems.append(f"<{tag}> has inline {name}")
        if tag == "style":
            self.problems.append("inline <style>")
        if tag == "script" and not (
            values.get("src") or values.get("type") == "application/ld+json"
        ):
            self.problems.append("inline <script>")
        if "javascript:" in (values.get("href") or "").lower():
            self.problems.append(f"<{tag}> links to javascript:")


def problems_in(html: str) -> list[str]:
    parser = Markup()
    parser.feed(html)
    return parser.problems + [f"id {i!r} {n} times" for i, n in parser.ids.items() if n > 1]


@pytest.fixture
def pages():
    role = RoleFactory(title="NLP Engineer", slug="nlp-engineer")
    skill = SkillFactory(name="spaCy", slug="spacy")
    family = RoleFamilyFactory()
    article = ArticleFactory(body=HOSTILE_BODY, roles=[role], skills=[skill], families=[family])
    draft = ArticleFactory(body=HOSTILE_BODY, draft=True)
    service = ServicePageFactory(body=HOSTILE_BODY)
    draft_service = ServicePageFactory(status=Status.DRAFT, published_at=None)
    return [
        reverse("content:services"),
        service.get_absolute_url(),
        preview_url(draft_service),
        reverse("content:insights"),
        reverse("content:insights") + "?skill=spacy",
        reverse("content:insights") + f"?family={family.slug}&role=nlp-engineer",
        article.get_absolute_url(),
        preview_url(draft),
        role.get_absolute_url(),
    ]


def test_pages_have_no_duplicate_attributes_or_ids_and_nothing_inline(client, pages):
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        assert problems_in(response.content.decode()) == [], url


def test_the_empty_lists_too(client):
    for url in (reverse("content:services"), reverse("content:insights")):
        assert problems_in(client.get(url).content.decode()) == [], url


def test_the_checker_finds_what_it_looks_for():
    found = problems_in(
        '<p id="a" class="x" class="y" style="c" onclick="d()">'
        '<script>x</script><i id="a"></i><a href="javascript:x">'
    )

    assert len(found) == 6
