"""The daily digest: each recruiter's My work by email, once a day, only when there is
something in it."""

from django.utils import timezone

from leads import tasks
from leads.models import recruiters


def digests_enqueue() -> int:
    """Queue today's digest for every recruiter who has not had one today (cron, daily)."""
    today = timezone.localdate()
    people = recruiters().exclude(recruiter_profile__digest_sent_on=today)
    user_ids = list(people.values_list("pk", flat=True))
    for user_id in user_ids:
        tasks.send_digest.enqueue(user_id)
    return len(user_ids)
