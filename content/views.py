from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q
from django.http import Http404, HttpResponsePermanentRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.http import urlencode
from django.views.generic import DetailView, ListView

from content.models import Article, ServicePage
from content.preview import PREVIEW_LIFETIME, pk_from
from roles.models import Role, RoleFamily, Skill
from roles.skills import SLUG_RE, skill_for_old_slug

ARTICLES_PER_PAGE = 10


def organisation(request) -> dict:
    return {
        "@type": "Organization",
        "name": settings.SITE_NAME,
        "url": request.build_absolute_uri("/"),
    }


# Views ask for what is published when each request comes, never at import:
# `published()` compares with the time it is called.


class ServiceListView(ListView):
    template_name = "content/service_list.html"
    context_object_name = "services"

    def get_queryset(self):
        return ServicePage.objects.published()


class ServiceDetailView(DetailView):
    template_name = "content/service_detail.html"
    context_object_name = "service"

    def get_queryset(self):
        return ServicePage.objects.published()

    def get_context_data(self, **kwargs):
        service = self.object
        url = self.request.build_absolute_uri(service.get_absolute_url())
        return super().get_context_data(**kwargs) | {
            "json_ld": {
                "@context": "https://schema.org",
                "@type": "Service",
                "name": service.title,
                "description": service.summary,
                "url": url,
                "serviceType": "Staffing",
                "provider": organisation(self.request),
                "areaServed": {"@type": "Country", "name": "United States"},
            },
        }


class PreviewMixin:
    """A page as it will look once published, for whoever holds its signed link
    (content.preview): any status, noindex, never cached, with a notice."""

    kind: str
    expired_template = "content/preview_expired.html"

    def get(self, request, *args, **kwargs):
        try:
            response = super().get(request, *args, **kwargs)
        except Http404:  # says what to do, rather than "this page may have moved"
            response = render(request, self.expired_template, status=404)
        response["X-Robots-Tag"] = "noindex, nofollow"
        add_never_cache_headers(response)
        return response

    def get_object(self, queryset=None):
        pk = pk_from(self.kwargs["token"], kind=self.kind)
        page = self.get_queryset().filter(pk=pk).first() if pk else None
        if page is None:
            raise Http404("This preview link is not valid any more; ask for a new one.")
        if not page.is_public:
            # A draft has no date yet: the page says so, and what needs one (JSON-LD)
            # takes today's, as publishing now would. A scheduled one keeps its own.
            page.undated = page.published_at is None
            page.published_at = page.published_at or timezone.now()
        return page

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {
            "preview": True,
            "preview_expires": timezone.now() + PREVIEW_LIFETIME,
        }


class ServicePreviewView(PreviewMixin, ServiceDetailView):
    kind = "servicepage"

    def get_queryset(self):
        return ServicePage.objects.all()


def article_list(request):
    """Published articles, newest first, narrowed by a skill, a family or a role."""
    articles = Article.objects.published()
    chosen = {}
    for param, model, field in (
        ("family", RoleFamily, "families"),
        ("skill", Skill, "skills"),
        ("role", Role, "roles"),
    ):
        slug = request.GET.get(param)
        if not slug:
            continue
        if not SLUG_RE.fullmatch(slug):  # never a tag, and never sent to the database
            raise Http404(f"No {param} like that.")
        found = model.objects.filter(slug=slug)
        tag = (found.published() if model is Role else found).first()
        if tag is None and model is Skill and (moved := skill_for_old_slug(slug)):
            query = request.GET.copy()
            query[param] = moved.slug
            return HttpResponsePermanentRedirect(f"{request.path}?{query.urlencode()}")
        if tag is None:
            raise Http404(f"No {param} {slug!r}.")
        chosen[param] = tag
        articles = articles.filter(**{field: tag})
    page = Paginator(articles.for_cards().newest_first(), ARTICLES_PER_PAGE).get_page(
        request.GET.get("page")
    )
    on_site = Q(articles__in=Article.objects.published())
    context = {
        "page_obj": page,
        "articles": page.object_list,
        "chosen": chosen,
        "chips": [(tag, _without(chosen, param)) for param, tag in chosen.items()],
        "topic_families": RoleFamily.objects.annotate(article_count=Count("articles", on_site))
        .filter(article_count__gt=0)
        .order_by("name"),
        "topic_skills": Skill.objects.annotate(article_count=Count("articles", on_site))
        .filter(article_count__gt=0)
        .order_by("name"),
    }
    return render(request, "content/article_list.html", context)


def _without(chosen: dict, param: str) -> str:
    """The list's address with every chosen tag but `param`'s."""
    query = urlencode({key: tag.slug for key, tag in chosen.items() if key != param})
    return reverse("content:insights") + (f"?{query}" if query else "")


def article_page_queryset(articles):
    return articles.for_cards().prefetch_related(
        Prefetch("roles", queryset=Role.objects.published().order_by("title"), to_attr="on_site")
    )


class ArticleDetailView(DetailView):
    template_name = "content/article_detail.html"
    context_object_name = "article"

    def get_queryset(self):
        return article_page_queryset(Article.objects.published())

    def get_context_data(self, **kwargs):
        article = self.object
        url = self.request.build_absolute_uri(article.get_absolute_url())
        data = {
            "@context": "https://schema.org",
            "@type": "Article",
            "headline": article.title,
            "description": article.summary,
            "url": url,
            "mainEntityOfPage": url,
            "datePublished": article.published_at,
            "dateModified": max(article.updated_at, article.published_at),
            "author": organisation(self.request),
            "publisher": organisation(self.request),
            "keywords": [tag.name for tag in article.tags()],
        }
        if article.on_site:
            data["about"] = [
                {
                    "@type": "Occupation",
                    "name": role.title,
                    "url": self.request.build_absolute_uri(role.get_absolute_url()),
                }
                for role in article.on_site
            ]
        return super().get_context_data(**kwargs) | {"json_ld": data}


class ArticlePreviewView(PreviewMixin, ArticleDetailView):
    kind = "article"

    def get_queryset(self):
        return article_page_queryset(Article.objects.all())
