"""Logging filters named in settings.LOGGING."""

import logging


class OneLineRefusals(logging.Filter):
    """A refusal (403) is an expected answer, not an error: one line in the log, no traceback.

    Django logs every PermissionDenied on `django.request` with the exception attached, so the
    route matrix or one curious user would fill the log with tracebacks that hide real errors.
    """

    def filter(self, record):
        if getattr(record, "status_code", None) == 403:
            record.exc_info = None
            record.exc_text = None
        return True
