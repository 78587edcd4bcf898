"""Recruiters as staff users: routing settings, and the rule that a member of a staff
group can sign in (Django's `is_staff`), or is told why not."""

from functools import partial

from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.urls import path, reverse
from django.utils.html import format_html
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from leads.admin import profile
from leads.models import OPEN_STAGES, RECRUITERS_GROUP, Lead, RecruiterProfile, person, recruiters
from portal import two_factor

# Groups whose members work in the admin: joining one makes a user staff.
STAFF_GROUPS = [RECRUITERS_GROUP, "Editors"]

User = get_user_model()


@admin.register(RecruiterProfile)
class RecruiterProfileAdmin(admin.ModelAdmin):
    list_display = [
        "user",
        "public_name",
        "accepts_leads",
        "family_list",
        "is_public",
        "last_assigned_at",
        "digest_sent_on",
    ]
    list_filter = ["accepts_leads", "families", "is_public"]
    search_fields = ["user__username", "user__first_name", "user__last_name", "public_name"]
    autocomplete_fields = ["user"]
    filter_horizontal = ["families"]
    list_select_related = ["user"]
    # The public profile is the recruiter's own to show (My public profile); here it
    # can only be taken down.
    fields = ["user", "accepts_leads", "families", "taken_down_at", "taken_down_by"]
    readonly_fields = ["taken_down_at", "taken_down_by"]
    actions = [profile.take_off_the_site, profile.allow_back_on_the_site]

    def get_queryset(self, request):
        return super().get_queryset(request).defer("photo").prefetch_related("families")

    def get_urls(self):
        mine = path(
            "mine/",
            self.admin_site.admin_view(partial(profile.my_profile_view, self)),
            name="leads_recruiterprofile_mine",
        )
        return [mine, *super().get_urls()]

    @admin.display(description="Families covered")
    def family_list(self, profile):
        return ", ".join(f.name for f in profile.families.all()) or "all"


admin.site.unregister(User)
# Devices hold staff's secrets (an app's key): nobody reads them in the admin. A lost
# phone is handled by the users' "Reset two-step sign-in" action.
for device_model in (TOTPDevice, StaticDevice):
    admin.site.unregister(device_model)


@admin.register(User)
class StaffUserAdmin(UserAdmin):
    """Django's user admin, with the staff flag following the staff groups."""

    list_display = [*UserAdmin.list_display, "group_list"]
    actions = ["reset_two_step_sign_in"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("groups")

    @admin.action(description="Reset two-step sign-in (lost phone)", permissions=["change"])
    def reset_two_step_sign_in(self, request, queryset):
        """Their app, passkeys and recovery codes go; the next sign-in sets a new app up.
        Check who is asking first: this is what stands between a password and the admin."""
        for user in queryset:
            two_factor.forget_second_factors(user)
        messages.success(
            request,
            f"Two-step sign-in reset for {', '.join(person(user) for user in queryset)}: "
            "they set up an authenticator app again at their next sign-in.",
        )

    @admin.display(description="Groups")
    def group_list(self, user):
        return ", ".join(group.name for group in user.groups.all()) or "-"

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        user = form.instance
        name = person(user)
        groups = [group.name for group in user.groups.all() if group.name in STAFF_GROUPS]
        if groups and not user.is_staff:
            user.is_staff = True
            user.save(update_fields=["is_staff"])
            messages.info(
                request,
                f"{name} is in {' and '.join(groups)}, so they were made staff: "
                "they can now sign in here.",
            )
        if groups and not user.is_active:
            messages.warning(request, f"{name} is inactive: they cannot sign in and get no leads.")
        if RECRUITERS_GROUP in groups and not user.email:
            messages.warning(
                request,
                f"{name} has no email address: they will get no notifications or daily digest.",
            )
        if not groups and user.is_staff and not user.is_superuser:
            messages.warning(
                request,
                f"{name} is in no staff group but is still staff: they can sign in to an empty "
                "admin. Untick “Staff status” if they should not.",
            )
        held = Lead.objects.open().filter(assigned_to=user).count()
        if held and not recruiters().filter(pk=user.pk).exists():
            messages.warning(
                request,
                format_html(
                    "{} still holds {} open lead(s) but can no longer work them: "
                    '<a href="{}?assigned_to__id__exact={}&amp;stage__in={}">reassign them</a>.',
                    name,
                    held,
                    reverse("admin:leads_lead_changelist"),
                    user.pk,
                    ",".join(OPEN_STAGES),
                ),
            )
