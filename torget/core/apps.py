from django.apps import AppConfig


class CoreConfig(AppConfig):
    """The toolbox every app may use (inputs, images, files, rate limits, working days, the
    form renderer); it imports no app of Torget's own."""

    name = "torget.core"
    label = "core"

    def ready(self) -> None:
        from torget.core import checks, inputs  # noqa: F401 (checks registers itself)

        inputs.install()
