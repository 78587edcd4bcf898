from django.contrib.sitemaps import Sitemap
from django.urls import reverse
from django.utils.http import urlencode

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
            "about",
        ]

    def location(self, item):
        return reverse(item)


class RoleSitemap(Sitemap):
    priority = 1.0

    def items(self):
        return Role.objects.published().order_by("slug")

    def lastmod(self, role):
        return role.last_reviewed


class RoleSalariesSitemap(Sitemap):
    """Each role's salary explorer, at its canonical address (`?role=`)."""

    priority = 0.6

    def items(self):
        return Role.objects.published().order_by("slug").values_list("slug", flat=True)

    def location(self, slug):
        return f"{reverse('roles:salaries')}?{urlencode({'role': slug})}"


class SkillSitemap(Sitemap):
    priority = 0.5

    def items(self):
        return Skill.objects.in_use().order_by("slug")


SITEMAPS = {
    "pages": StaticPagesSitemap,
    "roles": RoleSitemap,
    "salaries": RoleSalariesSitemap,
    "skills": SkillSitemap,
}
