"""The one article the agency's own page gives: "What Does a Machine Learning Engineer
Do?", its overview text word for word (fixtures/source), inserted once and never over
an editor's changes. Nothing else is seeded: the page names its staffing solutions
and its blog but gives no text for them, and nothing is invented here."""

import re
from pathlib import Path

from content.models import Article, Status
from roles.models import Role, RoleFamily, Skill

SOURCE = (
    Path(__file__).resolve().parent.parent
    / "fixtures"
    / "source"
    / "ml-engineer-sample-job-descriptions.txt"
)
TITLE = "What Does a Machine Learning Engineer Do?"
# The heading after the overview on the agency's page.
OVERVIEW_ENDS = "Looking to Hire a Machine Learning Engineer?"
SLUG = "what-does-a-machine-learning-engineer-do"
ROLE = "machine-learning-engineer"


def overview_paragraphs(source: Path = SOURCE) -> list[str]:
    """The paragraphs between the overview's heading and the next one, as written."""
    text = source.read_text(encoding="utf-8")
    start = text.index(TITLE) + len(TITLE)
    section = text[start : text.index(OVERVIEW_ENDS, start)]
    return [" ".join(part.split()) for part in section.split("\n\n") if part.strip()]


def seed_insights(source: Path = SOURCE) -> Article | None:
    """Insert the overview article, published, unless an article has its address
    (an editor's copy, changed or deleted to a draft, stays as it is). Returns the
    new article, or None when there was one already."""
    if Article.objects.filter(slug=SLUG).exists():
        return None
    paragraphs = overview_paragraphs(source)
    body = "\n\n".join(paragraphs)
    role = Role.objects.published().filter(slug=ROLE).first()
    article = Article.objects.create(
        title=TITLE,
        slug=SLUG,
        # The overview's own first sentence.
        summary=re.split(r"(?<=\.)\s", paragraphs[0], maxsplit=1)[0],
        body=body,
        status=Status.PUBLISHED,
        # The day the seed's template was published, rather than the day of seeding.
        published_at=role.published_at if role else None,
    )
    if role:
        article.roles.add(role)
        article.families.add(role.family)
    else:
        article.families.set(RoleFamily.objects.filter(slug="machine-learning"))
    article.skills.set(
        skill
        for skill in Skill.objects.all()
        if re.search(rf"(?<!\w){re.escape(skill.name)}(?!\w)", body)
    )
    return article
