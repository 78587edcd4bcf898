import re

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Lower

# Expansions are typed one per line or separated by commas.
EXPANSION_SEPARATOR = re.compile(r"[,\n]")


class SearchSynonym(models.Model):
    """Words visitors type for the same thing: "ML" and "machine learning".

    The term and its expansions form one group; a search naming any of them finds
    what any of them finds (roles.search), so "ML engineer" and "machine learning
    engineer" give the same results. Editors keep the list in the admin.
    """

    term = models.CharField(
        max_length=100, help_text="What visitors type, such as ML. Case does not matter."
    )
    expansions = models.TextField(
        help_text="What the term stands for, such as machine learning: one per line "
        "or separated by commas. A search for any of them finds the others too."
    )

    class Meta:
        ordering = ["term"]
        constraints = [
            models.UniqueConstraint(
                Lower("term"),
                name="searchsynonym_term_unique_ignoring_case",
                violation_error_message="This term already has synonyms; add to them there.",
            )
        ]

    def __str__(self):
        return f"{self.term} = {', '.join(self.expansion_list())}"

    def expansion_list(self) -> list[str]:
        return [part.strip() for part in EXPANSION_SEPARATOR.split(self.expansions) if part.strip()]

    def phrases(self) -> list[str]:
        """The term and its expansions: every way of saying the one thing."""
        return [self.term.strip(), *self.expansion_list()]

    def clean(self):
        # A blank field is already "This field is required": one message, not two.
        self.term = self.term.strip()
        if self.term and not re.search(r"\w", self.term):
            raise ValidationError({"term": "The term needs at least one letter or digit."})
        expansions = self.expansion_list()
        if self.expansions.strip() and not expansions:
            raise ValidationError({"expansions": "Give at least one expansion."})
        if any(e.casefold() == self.term.casefold() for e in expansions):
            raise ValidationError({"expansions": "An expansion repeats the term itself."})
        self.expansions = "\n".join(expansions)
