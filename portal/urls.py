from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path

from content.sitemaps import SITEMAPS as CONTENT_SITEMAPS
from portal import views
from roles.sitemaps import SITEMAPS as ROLE_SITEMAPS

# What Django's admin-styled pages outside the admin site (password reset) show.
STAFF_PAGE = {"site_header": admin.site.site_header, "site_title": admin.site.site_title}

handler400 = "portal.views.bad_request"
handler500 = "portal.views.server_error"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("about/", views.AboutView.as_view(), name="about"),
    path("", include("roles.urls")),
    path("", include("leads.urls")),
    path("", include("content.urls")),
    path("healthz", views.healthz, name="healthz"),
    path("readyz", views.readyz, name="readyz"),
    path("csp-report/", views.csp_report, name="csp-report"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("sitemap.xml", sitemap, {"sitemaps": ROLE_SITEMAPS | CONTENT_SITEMAPS}, name="sitemap"),
    path("robots.txt", views.robots_txt, name="robots"),
    # Staff who forgot their password get a link by email (Django's own views and
    # templates; the admin's sign-in page links to the first one by its name).
    *(
        path(route, view.as_view(extra_context=STAFF_PAGE), name=name)
        for route, view, name in [
            ("admin/password_reset/", views.PasswordResetView, "admin_password_reset"),
            ("admin/password_reset/done/", auth_views.PasswordResetDoneView, "password_reset_done"),
            (
                "admin/reset/<uidb64>/<token>/",
                auth_views.PasswordResetConfirmView,
                "password_reset_confirm",
            ),
            ("admin/reset/done/", auth_views.PasswordResetCompleteView, "password_reset_complete"),
        ]
    ),
    # Passkeys (django-otp-webauthn's endpoints for the browser's WebAuthn calls).
    path("admin/passkeys/", include("django_otp_webauthn.urls", namespace="otp_webauthn")),
    path("admin/", admin.site.urls),
]
