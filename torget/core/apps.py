from django.apps import AppConfig


class CoreConfig(AppConfig):
    """The toolbox every app may use (inputs, images, files, rate limits, working days, the
    form renderer); it imports no app of Torget's own."""

    name = "torget.core"
    label = "core"

    def ready(self) -> None:
        from django.core.signals import request_finished

        from torget.core import checks, inputs, logs  # noqa: F401 (checks registers itself)

        inputs.install()
        # The request's id stays set until its response is closed: Django logs a 4xx or 5xx
        # after the middleware has returned, and that line must carry the id too.
        request_finished.connect(logs.forget_request_id, dispatch_uid="torget-request-id")
