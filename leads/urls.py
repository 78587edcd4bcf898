from django.urls import path

from leads import views

app_name = "leads"
urlpatterns = [
    path("contact/", views.ContactView.as_view(), name="contact"),
]
