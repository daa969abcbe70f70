"""Demo data for evaluation: the participants' survey template, so staff find it ready to
adapt."""

from torget.core import demo
from torget.core.demo import DemoContext
from torget.evaluation import services as evaluation


@demo.register("evaluation")
def load(context: DemoContext) -> None:
    evaluation.template_ensure()
