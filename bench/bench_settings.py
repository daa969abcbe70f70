"""Settings for the HTTP benchmarks: Torget's own, plus one minimal POST view as a baseline."""

from torget.settings import *  # noqa: F403

ROOT_URLCONF = "bench_urls"
