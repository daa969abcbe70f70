from torget.insight import demo_representation  # noqa: F401
