"""The WSGI application, for gunicorn (`gunicorn -c deploy/gunicorn.conf.py torget.wsgi`).

Python's cycle collector walks every object a process holds when it runs its oldest
generation; a worker holds some 230,000 objects once Django, the apps and the API are loaded,
and a walk over them all took 100-230 ms every sixty or so API requests, which was the whole of
the lists' slowest percentile under load. Those objects live as long as the worker, so they
are moved out of the collector's sight (gc.freeze) once the worker has loaded the project and
again after its first request has filled the lazy parts (URL patterns, templates, the API's
serializers). Cycles made by later requests are still collected as before.
"""

import gc
import os
from typing import Any

from django.core.signals import request_finished
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "torget.settings")
application = get_wsgi_application()


def _freeze_after_first_request(**kwargs: Any) -> None:
    request_finished.disconnect(_freeze_after_first_request)
    gc.collect()
    gc.freeze()


gc.collect()
gc.freeze()
request_finished.connect(_freeze_after_first_request)
