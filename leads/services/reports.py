"""Figures about the pipeline, computed in SQL: the dashboard, My work and the digest.

"Today" and weeks are the site's (TIME_ZONE), whatever the server's clock says.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.contrib.auth import get_user_model
from django.db.models import (
    Count,
    DurationField,
    ExpressionWrapper,
    F,
    Q,
    QuerySet,
    Window,
)
from django.db.models.functions import RowNumber, TruncWeek
from django.utils import timezone

from leads.models import (
    OPEN_STAGES,
    Lead,
    Stage,
    local_day_bounds,
    person,
    recruiters,
    stale_cutoff,
)

WEEKS_CHARTED = 12
TOP_ROWS = 10


def median_durations(queryset: QuerySet, *, start: str, end: str, group: str | None = None) -> dict:
    """{group value: median of end - start} over rows where both are set, in SQL.

    Portable (PostgreSQL and SQLite): rows are numbered by duration within their
    group and only the one or two middle rows are fetched."""
    duration = ExpressionWrapper(F(end) - F(start), output_field=DurationField())
    partition = [F(group)] if group else []
    middle = (
        queryset.filter(**{f"{end}__isnull": False, f"{start}__isnull": False})
        .annotate(
            duration=duration,
            rows=Window(Count("pk"), partition_by=partition),
            row=Window(RowNumber(), partition_by=partition, order_by=[duration.asc(), "pk"]),
        )
        .filter(row__gte=(F("rows") + 1) / 2, row__lte=(F("rows") + 2) / 2)
        .values_list(group or "rows", "duration")
    )
    found: dict = {}
    for key, value in middle:
        found.setdefault(key if group else None, []).append(value)
    return {key: sum(values, timedelta()) / len(values) for key, values in found.items()}


def pipeline_figures(*, now: datetime | None = None) -> dict:
    """What the pipeline dashboard shows, from genuine (non-spam) leads."""
    now = now or timezone.now()
    leads = Lead.objects.genuine()
    by_stage = dict(leads.values_list("stage").annotate(n=Count("pk")).order_by())
    won, lost = by_stage.get(Stage.WON, 0), by_stage.get(Stage.LOST, 0)
    weeks = weekly_counts(leads, now=now)
    return {
        "stages": [(value, label, by_stage.get(value, 0)) for value, label in Stage.choices],
        "total": sum(by_stage.values()),
        "new_this_week": leads.filter(created_at__gte=now - timedelta(days=7)).count(),
        "week_ago": now - timedelta(days=7),
        "overdue": leads.overdue(now=now).count(),
        "median_first_response": median_durations(
            leads, start="created_at", end="first_response_at"
        ).get(None),
        "conversion": won / (won + lost) if won + lost else None,
        "weeks": weeks,
        "chart": bar_chart(weeks),
        "recruiters": recruiter_figures(now=now),
        "by_source": conversion_by(leads, "source", label="source"),
        "by_family": conversion_by(leads, "family_id", label="family__name"),
        "by_market": conversion_by(leads, "market__code", label="market__title"),
    }


def weekly_counts(leads: QuerySet, *, now: datetime) -> list[dict]:
    """New leads per week (Monday to Sunday, site time) for the last WEEKS_CHARTED weeks."""
    today = timezone.localdate(now)
    this_monday = today - timedelta(days=today.weekday())
    first_monday = this_monday - timedelta(weeks=WEEKS_CHARTED - 1)
    since = timezone.make_aware(datetime.combine(first_monday, datetime.min.time()))
    counts = dict(
        leads.filter(created_at__gte=since)
        .annotate(week=TruncWeek("created_at"))
        .values_list("week")
        .annotate(n=Count("pk"))
        .order_by()
    )
    by_monday = {timezone.localtime(week).date(): n for week, n in counts.items()}
    return [
        {"start": monday, "end": monday + timedelta(days=6), "count": by_monday.get(monday, 0)}
        for monday in (first_monday + timedelta(weeks=i) for i in range(WEEKS_CHARTED))
    ]


def recruiter_figures(*, now: datetime) -> list[dict]:
    """Per recruiter (everyone in the Recruiters group, and anyone holding leads), and
    for unassigned leads: open, overdue, won and the median first response."""
    is_open = Q(stage__in=OPEN_STAGES)
    counts = {
        row["assigned_to"]: row
        for row in Lead.objects.genuine()
        .values("assigned_to")
        .annotate(
            open=Count("pk", filter=is_open),
            overdue=Count("pk", filter=is_open & Q(next_step_due_at__lt=now)),
            won=Count("pk", filter=Q(stage=Stage.WON)),
        )
        .order_by()
    }
    medians = median_durations(
        Lead.objects.genuine(), start="created_at", end="first_response_at", group="assigned_to"
    )
    holders = [pk for pk in counts if pk is not None]
    people = get_user_model().objects.filter(
        Q(pk__in=holders) | Q(pk__in=recruiters().values("pk"))
    )
    rows = [(user.pk, person(user)) for user in people]
    rows.sort(key=lambda row: row[1].lower())
    if None in counts:
        rows.append((None, "Unassigned"))
    empty = {"open": 0, "overdue": 0, "won": 0}
    return [
        {
            "pk": pk,
            "name": name,
            **{key: counts.get(pk, empty)[key] for key in empty},
            "median_first_response": medians.get(pk),
        }
        for pk, name in rows
    ]


def conversion_by(leads: QuerySet, key: str, *, label: str) -> list[dict]:
    """The TOP_ROWS largest groups of leads by `key` (those without one too): total, open,
    won, lost, conversion."""
    rows = (
        leads.values(key, label)
        .annotate(
            total=Count("pk"),
            won=Count("pk", filter=Q(stage=Stage.WON)),
            lost=Count("pk", filter=Q(stage=Stage.LOST)),
        )
        .order_by("-total", F(label).asc(nulls_last=True))[:TOP_ROWS]
    )
    return [
        {
            "key": row[key] or None,
            "label": row[label] or "(not known)",
            "total": row["total"],
            "open": row["total"] - row["won"] - row["lost"],
            "won": row["won"],
            "lost": row["lost"],
            "conversion": row["won"] / (row["won"] + row["lost"])
            if row["won"] + row["lost"]
            else None,
        }
        for row in rows
    ]


def bar_chart(weeks: list[dict], *, width=600, height=200, gap=8) -> dict:
    """Geometry of an SVG bar chart, drawn by the dashboard template."""
    tallest = max((w["count"] for w in weeks), default=0) or 1
    plot_height = height - 30
    bar_width = (width - gap * (len(weeks) + 1)) / len(weeks)
    bars = []
    for index, week in enumerate(weeks):
        bar_height = plot_height * week["count"] / tallest
        x = gap + index * (bar_width + gap)
        bars.append(
            {
                "x": round(x, 1),
                "y": round(plot_height - bar_height + 10, 1),
                "width": round(bar_width, 1),
                "height": round(bar_height, 1),
                "label_x": round(x + bar_width / 2, 1),
                **week,
            }
        )
    return {"width": width, "height": height, "bars": bars, "label_y": height - 5}


@dataclass
class MyWork:
    """A recruiter's open leads that need them, each in its most urgent section."""

    overdue: list
    due_today: list
    new: list
    stale: list
    without_next_step: list
    more: bool

    @property
    def is_empty(self) -> bool:
        return not (
            self.overdue or self.due_today or self.new or self.stale or self.without_next_step
        )


MY_WORK_LIMIT = 200


def my_work(*, user, now: datetime | None = None) -> MyWork:
    now = now or timezone.now()
    end_of_today = local_day_bounds(now)[1]
    cutoff = stale_cutoff(now)
    leads = list(
        Lead.objects.open()
        .assigned_to(user)
        .filter(
            Q(next_step_due_at__lt=end_of_today)
            | Q(next_step_due_at__isnull=True)
            | Q(stage=Stage.NEW)
            | Q(last_activity_at__lt=cutoff)
        )
        .for_cards()
        .order_by(F("next_step_due_at").asc(nulls_first=True), "created_at")[: MY_WORK_LIMIT + 1]
    )
    work = MyWork([], [], [], [], [], more=len(leads) > MY_WORK_LIMIT)
    for lead in leads[:MY_WORK_LIMIT]:
        if lead.next_step_due_at is None:
            work.without_next_step.append(lead)
        elif lead.next_step_due_at < now:
            work.overdue.append(lead)
        elif lead.next_step_due_at < end_of_today:
            work.due_today.append(lead)
        elif lead.stage == Stage.NEW:
            work.new.append(lead)
        else:
            work.stale.append(lead)
    return work
