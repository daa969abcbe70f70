"""Files kept for a while in the default storage (e.g. an upload waiting for the form's next
round) and removed by the worker when they are left behind."""

import datetime

from django.core.files.storage import default_storage
from django.utils import timezone


def files_prune(directory: str, *, older_than: datetime.timedelta) -> int:
    """Delete the files in `directory` not changed for `older_than`; how many were removed."""
    try:
        _dirs, files = default_storage.listdir(directory)
    except (FileNotFoundError, NotImplementedError):
        return 0
    limit = timezone.now() - older_than
    removed = 0
    for name in files:
        path = f"{directory}/{name}"
        try:
            if default_storage.get_modified_time(path) < limit:
                default_storage.delete(path)
                removed += 1
        except (FileNotFoundError, NotImplementedError):
            continue
    return removed
