"""The background task queue (django-tasks-db's table): what a dead worker left
behind goes back in line, and monitoring can ask whether the queue is moving."""

from datetime import timedelta

from django.db.models import Q
from django.tasks import TaskResultStatus
from django.utils import timezone
from django_tasks_db.models import DBTaskResult, get_date_max

# Far beyond the longest task (a few SMTP calls of EMAIL_TIMEOUT each): a task
# RUNNING this long belongs to a worker that was killed or lost its database.
TASK_LEASE = timedelta(minutes=15)
# A task ready for longer than this means no worker is taking tasks.
QUEUE_LATE_AFTER = timedelta(minutes=10)


def reclaim_abandoned_tasks() -> int:
    """Put tasks left RUNNING past the lease back in the queue; returns how many.

    Safe because every task here may run twice: each email is claimed and
    stamped (see `leads.tasks`), so a second run sends nothing already sent."""
    abandoned = DBTaskResult.objects.filter(
        status=TaskResultStatus.RUNNING, started_at__lt=timezone.now() - TASK_LEASE
    )
    return abandoned.update(status=TaskResultStatus.READY, started_at=None)


def queue_is_moving() -> bool:
    """No task waits past QUEUE_LATE_AFTER, and none is abandoned mid-run."""
    now = timezone.now()
    late = now - QUEUE_LATE_AFTER
    waiting_too_long = DBTaskResult.objects.ready().filter(
        Q(run_after=get_date_max(), enqueued_at__lt=late) | Q(run_after__lt=late)
    )
    abandoned = DBTaskResult.objects.filter(
        status=TaskResultStatus.RUNNING, started_at__lt=now - TASK_LEASE
    )
    return not waiting_too_long.exists() and not abandoned.exists()
