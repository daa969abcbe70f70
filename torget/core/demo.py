"""The demo municipality, contributed app by app.

Each app that has demo data keeps it in its own `demo.py` and registers a loader here; the
`load_demo` command finds those modules, runs the loaders in dependency order inside one
transaction and prints what they report. A new app adds its demo with one file of its own:

    # torget/<app>/demo.py
    from torget.core import demo

    @demo.register("parking", after=["organisation", "geo"])
    def load(context: demo.DemoContext) -> None:
        context.ensure(Zone, {"code": "P1"}, name="Torget", area=context.areas["Innerstaden"])

A loader must be idempotent: it looks each object up by a natural key and writes only what is
missing or differs (`context.ensure` does that), or it returns early when its data is already
there. A second run then changes nothing and `context.changes` stays 0.

The toolbox knows no domain model, so the shared values are typed loosely here; the apps that
fill them say what they hold.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.utils.module_loading import autodiscover_modules

# The README's published password for the demo log-ins; only the dev and test profiles use it
# (the command draws a random one elsewhere).
DEMO_PASSWORD = "torget-demo"  # noqa: S105 — printed for the demo on purpose


@dataclass
class DemoContext:
    """What one run of the demo shares between the apps' loaders."""

    # The password for demo log-ins created (or reset) in this run.
    password: str
    # Objects created or changed so far; a second run must leave it at 0.
    changes: int = 0
    # Whether `password` was given to any log-in in this run (so the command shows it).
    password_used: bool = False
    # Filled by accounts: the demo log-ins by role (accounts.roles.Role → User).
    users: dict[Any, Any] = field(default_factory=dict)
    # Filled by geo: every area by name.
    areas: dict[str, Any] = field(default_factory=dict)
    # Filled by organisation: the bodies by abbreviation (KF, KS, SBN, UMD1, …).
    bodies: dict[str, Any] = field(default_factory=dict)
    # (role, e-mail) of each demo log-in, in the order the command prints them.
    logins: list[tuple[str, str]] = field(default_factory=list)

    def ensure(self, model: type[models.Model], lookup: dict[str, Any], **values: Any) -> Any:
        """The object found by `lookup`, created with `values` or updated to them if needed."""
        obj = model._default_manager.filter(**lookup).first()
        if obj is None:
            obj = model(**lookup, **values)
            obj.full_clean()
            obj.save()
            self.changes += 1
            return obj
        changed = [name for name, value in values.items() if getattr(obj, name) != value]
        if changed:
            for name in changed:
                setattr(obj, name, values[name])
            obj.full_clean()
            obj.save()
            self.changes += 1
        return obj


LoadFunction = Callable[[DemoContext], None]


@dataclass(frozen=True)
class Loader:
    name: str
    load: LoadFunction
    after: tuple[str, ...]


_loaders: dict[str, Loader] = {}


def register(name: str, *, after: Iterable[str] = ()) -> Callable[[LoadFunction], LoadFunction]:
    """Register `name`'s demo loader, to run after the loaders named in `after`."""

    def decorator(load: LoadFunction) -> LoadFunction:
        _loaders[name] = Loader(name=name, load=load, after=tuple(after))
        return load

    return decorator


def loaders() -> list[Loader]:
    """Every installed app's loader, each after those it names; otherwise in the order of
    INSTALLED_APPS, so the order is the same on every run."""
    autodiscover_modules("demo")
    position = {config.name: index for index, config in enumerate(apps.get_app_configs())}

    def installed_order(loader: Loader) -> int:
        config = apps.get_containing_app_config(loader.load.__module__)
        return position[config.name] if config else len(position)

    pending = {loader.name: loader for loader in sorted(_loaders.values(), key=installed_order)}
    for loader in pending.values():
        unknown = [name for name in loader.after if name not in pending]
        if unknown:
            raise ImproperlyConfigured(
                f"The demo loader {loader.name!r} runs after {', '.join(unknown)}, "
                "which no installed app registers."
            )
    ordered: list[Loader] = []
    done: set[str] = set()
    while pending:
        ready = [loader for loader in pending.values() if set(loader.after) <= done]
        if not ready:
            raise ImproperlyConfigured(
                f"The demo loaders {', '.join(sorted(pending))} wait for each other."
            )
        ordered.append(ready[0])
        done.add(ready[0].name)
        del pending[ready[0].name]
    return ordered


def load_all(context: DemoContext) -> None:
    """Run every loader with the same context (the caller holds the transaction)."""
    for loader in loaders():
        loader.load(context)
