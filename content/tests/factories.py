import datetime
import importlib

import factory
from django.contrib.auth.models import Group, Permission

from content.models import Article, ServicePage, Status
from roles.tests.factories import editors_group

editors_migration = importlib.import_module(
    "content.migrations.0002_editors_write_services_and_articles"
)
figures_migration = importlib.import_module(
    "content.migrations.0004_editors_keep_testimonials_and_figures"
)

PUBLISHED_AT = datetime.datetime(2026, 11, 2, 9, 0, tzinfo=datetime.UTC)


def content_editors_group() -> Group:
    """The Editors group as all its migrations make it, this app's included
    (tests outside a transaction flush the migrations' groups away)."""
    group = editors_group()
    group.permissions.add(
        *Permission.objects.filter(
            content_type__app_label="content",
            codename__in=editors_migration.CODENAMES + figures_migration.CODENAMES,
        )
    )
    return group


class ServicePageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ServicePage

    title = factory.Sequence(lambda n: f"Service {n}")
    slug = factory.Sequence(lambda n: f"service-{n}")
    summary = "What this service is."
    body = "How it works.\n\n# Who it is for\n\nTeams hiring."
    status = Status.PUBLISHED
    published_at = PUBLISHED_AT


class ArticleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Article
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Article {n}")
    slug = factory.Sequence(lambda n: f"article-{n}")
    summary = "What the article says, in a sentence."
    body = "First paragraph.\n\n# A section\n\nSecond paragraph."
    status = Status.PUBLISHED
    published_at = factory.Sequence(lambda n: PUBLISHED_AT + datetime.timedelta(hours=n))

    class Params:
        draft = factory.Trait(status=Status.DRAFT, published_at=None)

    @factory.post_generation
    def skills(self, create, extracted, **kwargs):
        if create and extracted:
            self.skills.set(extracted)

    @factory.post_generation
    def families(self, create, extracted, **kwargs):
        if create and extracted:
            self.families.set(extracted)

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        if create and extracted:
            self.roles.set(extracted)
