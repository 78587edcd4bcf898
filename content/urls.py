from django.urls import path

from content import views
from content.feeds import ArticleFeed

app_name = "content"
urlpatterns = [
    path("services/", views.ServiceListView.as_view(), name="services"),
    path("services/<slug:slug>/", views.ServiceDetailView.as_view(), name="service"),
    path("insights/", views.article_list, name="insights"),
    path("insights/feed/", ArticleFeed(), name="feed"),
    path("insights/<slug:slug>/", views.ArticleDetailView.as_view(), name="article"),
    path(
        "preview/services/<str:token>/",
        views.ServicePreviewView.as_view(),
        name="service_preview",
    ),
    path(
        "preview/insights/<str:token>/",
        views.ArticlePreviewView.as_view(),
        name="article_preview",
    ),
]
