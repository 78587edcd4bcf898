"""My public profile: a recruiter chooses whether employers see them on the site,
and what they see (name, photo, specialties, bio, markets)."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.widgets import AutocompleteSelectMultiple
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone

from leads.models import RecruiterProfile, may_show_a_profile
from leads.services.profiles import photo_from_upload, profile_slug

NEEDED_TO_PUBLISH = ["public_name", "headline", "bio"]


class PublicProfileForm(forms.ModelForm):
    photo_upload = forms.FileField(
        label="Photo",
        required=False,
        help_text="A portrait: JPEG, PNG or WebP, up to 5 MB. It is cropped to a square, "
        "and nothing of the file but its pixels is kept.",
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )
    remove_photo = forms.BooleanField(label="Remove my photo", required=False)

    class Meta:
        model = RecruiterProfile
        fields = ["is_public", "public_name", "headline", "bio", "families", "markets"]
        labels = {"is_public": "Show my profile on the public site"}
        widgets = {
            "families": forms.CheckboxSelectMultiple,
            "bio": forms.Textarea(attrs={"rows": 5, "cols": 60}),
        }

    def __init__(self, *args, admin_site, **kwargs):
        super().__init__(*args, **kwargs)
        markets = self.fields["markets"]
        markets.widget = AutocompleteSelectMultiple(
            RecruiterProfile._meta.get_field("markets"), admin_site
        )
        markets.widget.choices = markets.choices
        self.new_photo = None

    @property
    def photo_chosen(self) -> bool:
        """A file came with the submission (the browser will not show it again)."""
        return bool(self.files.get(self.add_prefix("photo_upload")))

    def clean_photo_upload(self):
        upload = self.cleaned_data["photo_upload"]
        if upload:
            self.new_photo = photo_from_upload(upload)
        return upload

    def clean_is_public(self):
        showing = self.cleaned_data["is_public"]
        profile = self.instance
        if showing and profile.taken_down_at and not profile.is_public:
            raise forms.ValidationError(
                "A manager took your profile off the site: they can let you show it again "
                "(Recruiter profiles, “Let them show it again”)."
            )
        return showing

    def clean(self):
        data = super().clean()
        if data.get("is_public"):
            for name in NEEDED_TO_PUBLISH:
                if not (data.get(name) or "").strip() and name not in self.errors:
                    self.add_error(
                        name, "Needed to show your profile on the site (or untick “Show”)."
                    )
            name = (data.get("public_name") or "").strip()
            if name and self.name_shown_by_another(name):
                self.add_error(
                    "public_name",
                    "Another recruiter is shown under this name: add an initial or a "
                    "middle name, so employers can tell you apart.",
                )
        return data

    def name_shown_by_another(self, name: str) -> bool:
        return (
            RecruiterProfile.objects.filter(is_public=True, public_name__iexact=name)
            .exclude(pk=self.instance.pk)
            .exists()
        )

    def save(self, commit=True):
        profile = super().save(commit=False)
        if self.new_photo:
            profile.photo, profile.photo_digest = self.new_photo
        elif self.cleaned_data.get("remove_photo"):
            profile.photo, profile.photo_digest = None, ""
        if profile.public_name.strip():
            profile.slug = profile_slug(profile)
        if commit:
            profile.save()
            self.save_m2m()
        return profile


def my_profile_view(model_admin, request):
    if not may_show_a_profile(request.user):
        messages.info(
            request,
            "Only members of the Recruiters group appear on the site: a public profile "
            "is theirs to keep.",
        )
        return redirect("admin:index")
    profile, _ = RecruiterProfile.objects.get_or_create(user=request.user)
    if not profile.public_name:
        profile.public_name = request.user.get_full_name()
    form = PublicProfileForm(
        request.POST or None,
        request.FILES or None,
        instance=profile,
        admin_site=model_admin.admin_site,
    )
    if request.method == "POST" and form.is_valid():
        profile = form.save()
        if profile.is_public:
            messages.success(request, "Saved: your profile is on the site.")
        else:
            messages.success(request, "Saved. Your profile is not shown on the site.")
        return redirect("admin:leads_recruiterprofile_mine")
    context = {
        **model_admin.admin_site.each_context(request),
        "title": "My public profile",
        "opts": RecruiterProfile._meta,
        "form": form,
        "profile": profile,
        # select2's search box named after its field (axe `label`), as on editors' pages.
        "media": model_admin.media
        + form.media
        + forms.Media(js=["js/admin-autocomplete-labels.js"]),
    }
    return TemplateResponse(request, "admin/leads/recruiterprofile/mine.html", context)


@admin.action(description="Let them show it again (after a take-down)", permissions=["change"])
def allow_back_on_the_site(model_admin, request, queryset):
    count = queryset.exclude(taken_down_at=None).update(taken_down_at=None, taken_down_by=None)
    messages.success(
        request,
        f"{count} {'recruiter' if count == 1 else 'recruiters'} may show their profile again: "
        "it stays off the site until they tick “Show” themselves.",
    )


@admin.action(description="Take off the public site", permissions=["change"])
def take_off_the_site(model_admin, request, queryset):
    count = queryset.filter(is_public=True).update(
        is_public=False, taken_down_at=timezone.now(), taken_down_by=request.user
    )
    messages.success(
        request,
        f"{count} {'profile' if count == 1 else 'profiles'} taken off the site; "
        "the recruiter is told so on their profile page.",
    )
