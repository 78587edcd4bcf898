from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from roles.models import Role, Skill


class StaticPagesSitemap(Sitemap):
    priority = 0.8

    def items(self):
        return [
            "home",
            "roles:list",
            "roles:skills",
            "roles:salaries",
            "leads:contact",
            "leads:privacy",
        ]

    def location(self, item):
        return reverse(item)


class RoleSitemap(Sitemap):
    priority = 1.0

    def items(self):
        return Role.objects.published().order_by("slug")

    def lastmod(self, role):
        return role.last_reviewed


class SkillSitemap(Sitemap):
    priority = 0.5

    def items(self):
        return Skill.objects.in_use().order_by("slug")


SITEMAPS = {"pages": StaticPagesSitemap, "roles": RoleSitemap, "skills": SkillSitemap}
