"""An uploaded file kept for a background job: written by the view, read and removed by the task."""

import os
import uuid

from django.conf import settings


def save_upload(upload, suffix=".csv"):
    """Copy the upload under UPLOAD_DIR, readable by the service only (a register file holds personal data)."""
    settings.UPLOAD_DIR.mkdir(parents=True, exist_ok=True)
    path = settings.UPLOAD_DIR / f"{uuid.uuid4().hex}{suffix}"
    with open(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "wb") as out:
        for piece in upload.chunks():
            out.write(piece)
    return path


def remove_upload(path):
    """Delete the job's copy once the job has read it (whether it succeeded or not)."""
    try:
        os.remove(path)
    except FileNotFoundError:
        pass
