from django.db import models
from django.db.models import Q

from roles.models.library import SLUG_PATTERN, Skill


class SkillSlugRedirect(models.Model):
    """An address a skill had before an editor renamed it or merged it into another.

    /skills/<old_slug>/ and ?skill=<old_slug> links (bookmarks, search engines,
    links shared by recruiters) keep reaching the skill. Renames and merges keep
    these rows (roles.skills); nobody edits them by hand.
    """

    old_slug = models.SlugField(
        max_length=100, unique=True, help_text="The address the skill had: /skills/<old slug>/."
    )
    skill = models.ForeignKey(
        Skill,
        on_delete=models.CASCADE,
        related_name="slug_redirects",
        help_text="The skill the old address leads to now.",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["old_slug"]
        constraints = [
            models.CheckConstraint(
                condition=Q(old_slug__regex=SLUG_PATTERN), name="skillslugredirect_slug_format"
            )
        ]

    def __str__(self):
        return f"{self.old_slug} → {self.skill.slug}"
