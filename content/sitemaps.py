from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from content.models import Article, ServicePage


class ContentPagesSitemap(Sitemap):
    priority = 0.8

    def items(self):
        return ["content:services", "content:insights"]

    def location(self, item):
        return reverse(item)


class ServiceSitemap(Sitemap):
    priority = 0.8

    def items(self):
        return ServicePage.objects.published().order_by("slug")

    def lastmod(self, service):
        return service.updated_at


class ArticleSitemap(Sitemap):
    priority = 0.6

    def items(self):
        return Article.objects.published().order_by("slug")

    def lastmod(self, article):
        return article.updated_at


SITEMAPS = {
    "content-pages": ContentPagesSitemap,
    "services": ServiceSitemap,
    "insights": ArticleSitemap,
}
