"""Log records as one line per problem."""

import logging


class NoTracebackBelow500(logging.Filter):
    """A 4xx answer (a page refused, not found, a bad request) is the client's doing:
    one line, no traceback. Django logs a traceback with each 403, which buries the
    real errors under a screenful per refusal."""

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "status_code", 500) < 500:
            record.exc_info = None
            record.exc_text = None
        return True
