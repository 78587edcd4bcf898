from django.db.models import Prefetch
from django.http import Http404, HttpResponsePermanentRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.http import urlencode
from django.views.generic import DetailView, ListView
from django_filters.views import FilterView

from content.models import Article
from roles.filters import RoleFilter, active_filter_chips, drop_suggestions, query_with_skills_moved
from roles.models import Role, Skill
from roles.preview import PREVIEW_LIFETIME, draft_pk_from
from roles.skills import skill_for_old_slug
from roles.wages.presentation import area_place, estimated_salary, salary_context

ROLES_PER_PAGE = 12
# Articles on a role listed on its page; the rest are a link away.
INSIGHTS_SHOWN = 5


def contact_url(role: Role | None, area: str = "", seniority: str = "") -> str:
    """The call to action, carrying what the visitor is looking at."""
    context = {"role": role.slug if role else "", "seniority": seniority, "area": area}
    query = urlencode({key: value for key, value in context.items() if value})
    return reverse("leads:contact") + (f"?{query}" if query else "")


class RoleListView(FilterView):
    filterset_class = RoleFilter
    queryset = Role.objects.published().for_cards().in_library_order()
    template_name = "roles/role_list.html"
    paginate_by = ROLES_PER_PAGE
    # Invalid values are left out with a message instead of emptying the results.
    strict = False

    def get(self, request, *args, **kwargs):
        self.filterset = self.get_filterset(self.get_filterset_class())
        # A skill renamed or merged since the link was made: the same list, at its
        # address now. The filterset knows today's slugs, so only unknown ones cost a query.
        if moved := self.filterset.moved_skills():
            query = query_with_skills_moved(request.GET, moved)
            return HttpResponsePermanentRedirect(f"{request.path}?{query}")
        # As FilterView.get, which is not strict here: invalid values are left out.
        self.object_list = self.filterset.qs
        context = self.get_context_data(filter=self.filterset, object_list=self.object_list)
        return self.render_to_response(context)

    def paginate_queryset(self, queryset, page_size):
        # `page=abc` or `page=999` shows the nearest real page instead of a 404.
        paginator = self.get_paginator(queryset, page_size)
        page = paginator.get_page(self.request.GET.get(self.page_kwarg))
        return paginator, page, page.object_list, page.has_other_pages()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["facets"] = self.filterset.facet_options()
        context["chips"] = active_filter_chips(self.filterset)
        # The page's filters travel with the request as its referring page; one
        # chosen seniority is also what the employer is hiring for.
        seniorities = self.filterset.cleaned_data.get("seniority") or []
        context["contact_url"] = contact_url(
            None, seniority=seniorities[0] if len(seniorities) == 1 else ""
        )
        if context["chips"] and not context["paginator"].count:
            context["suggestions"] = drop_suggestions(self.filterset)
        return context


def role_page_queryset(roles, specialisations):
    """Everything a role page shows, fetched up front."""
    return (
        roles.select_related("family", "parent")
        .prefetch_related(
            "items", Prefetch("specialisations", queryset=specialisations.order_by("title"))
        )
        .for_cards()
    )


class RoleDetailView(DetailView):
    queryset = role_page_queryset(Role.objects.published(), Role.objects.published())
    template_name = "roles/role_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        role = self.object
        # One market beside the nation here; the explorer compares several.
        area = self.request.GET.get("area")
        salary = salary_context(soc_code=role.soc_code, area_codes=[area], limit=1)
        chosen, shown = salary["chosen"], salary["shown"]
        context.update(
            salary,
            related_roles=Role.objects.published().related_to(role).select_related("family")[:3],
            # One more than shown: whether to link to the rest costs no count query.
            insights=Article.objects.published().about(role).newest_first()[: INSIGHTS_SHOWN + 1],
            insights_shown=INSIGHTS_SHOWN,
            contact_url=contact_url(role, chosen.area.code if chosen else ""),
            # The builder starts in the market the visitor is looking at.
            customise_url=reverse("roles:customise", args=[role.slug])
            + (f"?{urlencode({'area': chosen.area.code})}" if chosen else ""),
            json_ld=role.occupation_json_ld(
                url=self.request.build_absolute_uri(role.get_absolute_url()),
                markets=[(area_place(w.area), estimated_salary(w)) for w in shown],
            ),
        )
        return context


class RolePreviewView(RoleDetailView):
    """A draft exactly as its public page will show it once published today, for
    whoever holds the signed link (roles.preview). Never indexed, never cached."""

    queryset = role_page_queryset(
        Role.objects.drafts(), Role.objects.drafts().filter(live_copy__published=True)
    )

    def get(self, request, *args, **kwargs):
        try:
            return super().get(request, *args, **kwargs)
        except Http404:  # says what to do, rather than "this page may have moved"
            response = render(request, "roles/preview_expired.html", status=404)
            response["X-Robots-Tag"] = "noindex, nofollow"
            add_never_cache_headers(response)
            return response

    def get_object(self, queryset=None):
        pk = draft_pk_from(self.kwargs["token"])
        role = self.get_queryset().filter(pk=pk).first() if pk else None
        if role is None:
            raise Http404("This preview link is not valid any more; ask for a new one.")
        role.last_reviewed = timezone.localdate()  # what publishing it now would show
        return role

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {
            "preview": True,
            "preview_expires": timezone.now() + PREVIEW_LIFETIME,
        }

    def render_to_response(self, context, **response_kwargs):
        response = super().render_to_response(context, **response_kwargs)
        response["X-Robots-Tag"] = "noindex, nofollow"
        add_never_cache_headers(response)
        return response


class SkillListView(ListView):
    queryset = Skill.objects.in_use().by_kind()
    template_name = "roles/skill_list.html"
    context_object_name = "skills"


class SkillDetailView(DetailView):
    queryset = Skill.objects.all()
    template_name = "roles/skill_detail.html"

    def get(self, request, *args, **kwargs):
        try:
            return super().get(request, *args, **kwargs)
        except Http404:
            # Renamed or merged: its old address leads to it for good.
            if skill := skill_for_old_slug(kwargs["slug"]):
                return redirect(skill, permanent=True)
            raise

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["roles"] = self.object.roles.published().for_cards().in_library_order()
        return context
