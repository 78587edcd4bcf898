from django.urls import path

from leads import views

app_name = "leads"
urlpatterns = [
    path("contact/", views.contact, name="contact"),
    path("contact/thanks/", views.ThanksView.as_view(), name="thanks"),
    path("privacy/", views.PrivacyView.as_view(), name="privacy"),
    path("about/team/<slug:slug>/<str:digest>.jpg", views.recruiter_photo, name="recruiter-photo"),
]
