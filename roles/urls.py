from django.urls import path

from roles import views
from roles.builder import views as builder_views
from roles.wages import views as wages_views

app_name = "roles"
urlpatterns = [
    path("roles/", views.RoleListView.as_view(), name="list"),
    path("roles/<slug:slug>/", views.RoleDetailView.as_view(), name="detail"),
    path("roles/<slug:slug>/customise/", builder_views.customise, name="customise"),
    path("roles/<slug:slug>/customise/<str:token>/", builder_views.customise, name="customised"),
    path("preview/roles/<str:token>/", views.RolePreviewView.as_view(), name="preview"),
    path("skills/", views.SkillListView.as_view(), name="skills"),
    path("skills/<slug:slug>/", views.SkillDetailView.as_view(), name="skill"),
    path("salaries/", wages_views.salary_explorer, name="salaries"),
]
