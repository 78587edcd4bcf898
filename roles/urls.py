from django.urls import path

from roles import views

app_name = "roles"
urlpatterns = [
    path("roles/", views.RoleListView.as_view(), name="list"),
    path("salaries/", views.SalaryExplorerView.as_view(), name="salaries"),
]
