"""The demo registry: each app's loader runs once, after the loaders it names."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from torget.core import demo


@pytest.fixture
def registry(monkeypatch):
    """The apps' real loaders, in a copy that a test may add to."""
    demo.loaders()  # imports every app's demo.py, so the copy holds them all
    monkeypatch.setattr(demo, "_loaders", dict(demo._loaders))
    return demo._loaders


class TestLoaders:
    def test_each_loader_runs_after_those_it_names(self):
        names = [loader.name for loader in demo.loaders()]
        assert len(names) == len(set(names))
        for position, loader in enumerate(demo.loaders()):
            assert set(loader.after) <= set(names[:position]), loader.name

    def test_every_app_with_demo_data_has_a_loader(self):
        names = {loader.name for loader in demo.loaders()}
        assert {
            "accounts",
            "geo",
            "organisation",
            "proposals",
            "feedback",
            "dialogues",
            "meetings",
            "results",
            "evaluation",
        } <= names

    def test_a_new_apps_loader_runs_without_changing_any_other(self, registry):
        ran = []

        @demo.register("parking", after=["organisation", "geo"])
        def load(context):
            ran.append(sorted(context.bodies))

        context = demo.DemoContext(password="x")  # noqa: S106
        context.bodies = {"KF": object()}
        for loader in demo.loaders():
            if loader.name == "parking":
                loader.load(context)
        names = [loader.name for loader in demo.loaders()]
        assert names.index("parking") > names.index("organisation")
        assert ran == [["KF"]]

    def test_a_loader_after_an_unknown_one_is_refused(self, registry):
        demo.register("parking", after=["no-such-app"])(lambda context: None)
        with pytest.raises(ImproperlyConfigured, match="no-such-app"):
            demo.loaders()

    def test_loaders_that_wait_for_each_other_are_refused(self, registry):
        demo.register("a", after=["b"])(lambda context: None)
        demo.register("b", after=["a"])(lambda context: None)
        with pytest.raises(ImproperlyConfigured, match="wait for each other"):
            demo.loaders()
