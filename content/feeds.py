from django.conf import settings
from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from content.models import Article

FEED_SIZE = 20


class ArticleAtomFeed(Atom1Feed):
    """Atom with each article whole: the summary, and the body as `content`."""

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        handler.addQuickElement("content", item["content"], {"type": "html"})


class ArticleFeed(Feed):
    feed_type = ArticleAtomFeed

    def title(self):
        return f"{settings.SITE_NAME}: insights"

    def subtitle(self):
        return "Articles on hiring machine-learning and AI engineers."

    def link(self):
        return reverse("content:insights")

    def items(self):
        return Article.objects.published().for_cards().newest_first()[:FEED_SIZE]

    def item_title(self, article):
        return article.title

    def item_description(self, article):
        return article.summary

    def item_pubdate(self, article):
        return article.published_at

    def item_updateddate(self, article):
        return max(article.updated_at, article.published_at)

    def item_author_name(self, article):
        return settings.SITE_NAME

    def item_categories(self, article):
        return [tag.name for tag in article.tags()]

    def item_extra_kwargs(self, article):
        return {"content": article.body_html}
