from django.views.generic import TemplateView


# The request form and the recruiters' pipeline arrive with the leads issue.
class ContactView(TemplateView):
    template_name = "leads/contact.html"
