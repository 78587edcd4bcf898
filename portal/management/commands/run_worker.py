"""`db_worker`, made to outlive the database: production's task worker (`make worker`)."""

import contextlib
import logging
import time

from django.db import DatabaseError, connections
from django_tasks_db.management.commands import db_worker

from portal.queue import reclaim_abandoned_tasks

logger = logging.getLogger(__name__)

# Waits between attempts while the database is down: 1, 2, 4 ... seconds, at most a minute.
FIRST_WAIT_SECONDS = 1
LONGEST_WAIT_SECONDS = 60


class Command(db_worker.Command):
    help = (
        "Run the background task worker (django-tasks-db's db_worker, same options). On a "
        "database outage it waits, with backoff, and starts again instead of exiting; on "
        "each start it puts tasks a dead worker left RUNNING back in the queue."
    )

    def handle(self, *args, **options):
        wait = FIRST_WAIT_SECONDS
        while True:
            try:
                reclaimed = reclaim_abandoned_tasks()
                wait = FIRST_WAIT_SECONDS  # the database answers again
                if reclaimed:
                    logger.warning("Reclaimed %s task(s) a dead worker left running", reclaimed)
                super().handle(*args, **options)
                return  # --batch or --max-tasks: done
            except DatabaseError as error:
                logger.warning(
                    "Database unavailable (%s): the worker starts again in %s s",
                    type(error).__name__,
                    wait,
                )
                self.close_connections()
                time.sleep(wait)
                wait = min(wait * 2, LONGEST_WAIT_SECONDS)

    @staticmethod
    def close_connections():
        """Drop the broken connections; the next query opens fresh ones."""
        for connection in connections.all(initialized_only=True):
            with contextlib.suppress(DatabaseError):  # already gone with the server
                connection.close()
