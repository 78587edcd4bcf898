from django.views.generic import TemplateView


# The role library and the salary explorer arrive with their own issues; until
# then the navigation leads to pages that say so and offer the recruiters.
class RoleListView(TemplateView):
    template_name = "roles/role_list.html"


class SalaryExplorerView(TemplateView):
    template_name = "roles/salary_explorer.html"
