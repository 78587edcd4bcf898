"""Filters of the lead list. None lists more choices than it can show: whatever the size
of the library or the number of sources, each offers a bounded list, and the
dashboard's links may still ask for any value."""

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.db.models import Count, Q

from leads.models import Lead, person, recruiters
from roles.models import Area

TOP_CHOICES = 10
# The choice of leads without a value (no source, no market).
NOT_KNOWN = "-"


class AssignmentFilter(admin.SimpleListFilter):
    title = "assignment"
    parameter_name = "assignment"

    def lookups(self, request, model_admin):
        return [("me", "Assigned to me"), ("nobody", "Unassigned")]

    def queryset(self, request, queryset):
        if self.value() == "me":
            return queryset.filter(assigned_to=request.user)
        if self.value() == "nobody":
            return queryset.filter(assigned_to__isnull=True)
        return queryset


class AssignedToFilter(admin.SimpleListFilter):
    """Recruiters by the names colleagues know them by (anyone holding leads, too)."""

    title = "assigned to"
    parameter_name = "assigned_to__id__exact"

    def lookups(self, request, model_admin):
        holders = Lead.objects.exclude(assigned_to=None).values("assigned_to")
        people = get_user_model().objects.filter(Q(pk__in=holders) | Q(pk__in=recruiters()))
        return sorted(((str(user.pk), person(user)) for user in people), key=lambda c: c[1])

    def queryset(self, request, queryset):
        if self.value() and self.value().isdigit():
            return queryset.filter(assigned_to_id=int(self.value()))
        return queryset


class NextStepFilter(admin.SimpleListFilter):
    title = "next step"
    parameter_name = "next_step"

    def lookups(self, request, model_admin):
        return [
            ("overdue", "Overdue"),
            ("today", "Due today"),
            ("none", "No next step"),
        ]

    def queryset(self, request, queryset):
        if self.value() == "overdue":
            return queryset.overdue()
        if self.value() == "today":
            return queryset.due_today()
        if self.value() == "none":
            return queryset.without_next_step()
        return queryset


class StaleFilter(admin.SimpleListFilter):
    title = "activity"
    parameter_name = "stale"

    def lookups(self, request, model_admin):
        return [("yes", "Stale (no activity)")]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.stale()
        return queryset


class SpamFilter(admin.SimpleListFilter):
    """Spam stays out of the way unless asked for."""

    title = "spam"
    parameter_name = "spam"

    def lookups(self, request, model_admin):
        return [("yes", "Spam only"), ("all", "Genuine and spam")]

    def choices(self, changelist):
        for choice in super().choices(changelist):
            if choice["display"] == "All":
                choice["display"] = "Genuine only"
            yield choice

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(is_spam=True)
        if self.value() == "all":
            return queryset
        return queryset.filter(is_spam=False)


class TopValuesFilter(admin.SimpleListFilter):
    """The TOP_CHOICES most common values of a field as choices, and NOT_KNOWN for leads
    without one; any value may be asked for (the dashboard links to each of its rows)."""

    field: str
    label_field: str

    def lookups(self, request, model_admin):
        rows = (
            Lead.objects.genuine()
            .exclude(**{f"{self.field}__isnull": True})
            .exclude(**{self.field: ""})
            .values(self.field, self.label_field)
            .annotate(n=Count("pk"))
            .order_by("-n", self.label_field)[:TOP_CHOICES]
        )
        choices = [(str(row[self.field]), row[self.label_field]) for row in rows]
        if self.value() and self.value() not in (*dict(choices), NOT_KNOWN):
            choices.append((self.value(), self.label_for(self.value())))
        return [*choices, (NOT_KNOWN, "(not known)")]

    def label_for(self, value: str) -> str:
        return value

    def queryset(self, request, queryset):
        if self.value() == NOT_KNOWN:
            return queryset.filter(Q(**{f"{self.field}__isnull": True}) | Q(**{self.field: ""}))
        if self.value():
            return queryset.filter(**{self.field: self.value()})
        return queryset


class SourceFilter(TopValuesFilter):
    title = "source"
    parameter_name = "source"
    field = label_field = "source"


class MarketFilter(TopValuesFilter):
    title = "market"
    parameter_name = "market"
    field = "market__code"
    label_field = "market__title"

    def label_for(self, value: str) -> str:
        return Area.objects.filter(code=value).values_list("title", flat=True).first() or value
