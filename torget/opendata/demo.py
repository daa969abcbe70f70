"""The demo's open data: the exports are built from the demo municipality, after every other
loader (opendata comes after every domain app in INSTALLED_APPS and names no loader it must
wait for, so core.demo runs it last)."""

from torget.core import demo
from torget.core.demo import DemoContext
from torget.opendata import exports


@demo.register("opendata")
def load(context: DemoContext) -> None:
    # Files, not rows: a second run rewrites them and context.changes stays 0.
    exports.build_all()
