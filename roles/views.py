from django.db.models import Prefetch
from django.views.generic import DetailView, ListView, TemplateView
from django_filters.views import FilterView

from roles.filters import RoleFilter, active_filter_chips, drop_suggestions
from roles.models import Role, Skill

ROLES_PER_PAGE = 12


class RoleListView(FilterView):
    filterset_class = RoleFilter
    queryset = Role.objects.published().for_cards().in_library_order()
    template_name = "roles/role_list.html"
    paginate_by = ROLES_PER_PAGE
    # Invalid values are left out with a message instead of emptying the results.
    strict = False

    def paginate_queryset(self, queryset, page_size):
        # `page=abc` or `page=999` shows the nearest real page instead of a 404.
        paginator = self.get_paginator(queryset, page_size)
        page = paginator.get_page(self.request.GET.get(self.page_kwarg))
        return paginator, page, page.object_list, page.has_other_pages()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["facets"] = self.filterset.facet_options()
        context["chips"] = active_filter_chips(self.filterset)
        if context["chips"] and not context["paginator"].count:
            context["suggestions"] = drop_suggestions(self.filterset)
        return context


class RoleDetailView(DetailView):
    queryset = (
        Role.objects.published()
        .select_related("family", "parent")
        .prefetch_related(
            "items",
            Prefetch("specialisations", queryset=Role.objects.published().order_by("title")),
        )
        .for_cards()
    )
    template_name = "roles/role_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        role = self.object
        context["related_roles"] = (
            Role.objects.published().related_to(role).select_related("family")[:3]
        )
        context["json_ld"] = role.occupation_json_ld(
            url=self.request.build_absolute_uri(role.get_absolute_url())
        )
        return context


class SkillListView(ListView):
    queryset = Skill.objects.in_use().by_kind()
    template_name = "roles/skill_list.html"
    context_object_name = "skills"


class SkillDetailView(DetailView):
    queryset = Skill.objects.all()
    template_name = "roles/skill_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["roles"] = self.object.roles.published().for_cards().in_library_order()
        return context


# The salary explorer arrives with its own issue; until then the navigation
# leads to a page that says so and offers the recruiters.
class SalaryExplorerView(TemplateView):
    template_name = "roles/salary_explorer.html"
