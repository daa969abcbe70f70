"""Benchmark: 10,000 responses to a 20-question survey, then its results and exports.

Creates a survey of 20 questions of mixed kinds (single and multiple choice, scales,
numbers, yes/no, free text, a ranking, a place), submits N responses one at a time with
background answers (age band, area), and reports responses and answers per second and the
p50/p95 latency of one submission. Then times, on the full survey, the staff results page
(with its query count), the free-text page, a cross-table, the CSV export (streamed to the
end) and the XLSX export, each the median of a few runs through Django's test client, in
one process on PostgreSQL with the production profile.

    .venv/bin/python bench/survey_answers.py
    .venv/bin/python bench/survey_answers.py --responses 2000 --runs 3

Creates and drops its own database, torget_bench_surveys.

How a response is submitted is one function, `submit_one`: it goes through the answering
services in `torget.surveys.answering`, as the web answering pages do (the survey is
open, so no participation key): `response_start`, `response_save_page` for each of the
survey's four sections (five questions each), `response_save_background` (age band and
area) and `response_submit`, which checks the required questions and the conditions,
drops hidden answers and writes the receipt. The latency of one submission is the time of
all four steps together.
"""

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(BENCH))

from notify_fanout import prepare_database  # noqa: E402
from support_storm import environment  # noqa: E402

AGE_BANDS = ("12-15", "16-19", "20-29", "30-44", "45-64", "65-79", "80+")  # geo.population
TEXTS = (
    "Bättre belysning på kvällarna vid gångvägen",
    "Fler bänkar och mer skugga",
    "Säkrare övergångsställe vid skolan",
    "Mer grönska, träd och blommor",
    "Cykelparkering med tak",
)
# The 20 questions: (kind, text).
QUESTIONS = [
    ("ett-val", "Hur ofta är du i parken?"),
    ("ett-val", "Hur tar du dig dit?"),
    ("ett-val", "När på dagen är du där?"),
    ("ett-val", "Med vem är du där?"),
    ("flera-val", "Vad gör du där?"),
    ("flera-val", "Vad saknar du?"),
    ("flera-val", "Vad är viktigast?"),
    ("skala", "Hur trivs du?"),
    ("skala", "Hur trygg känner du dig på kvällen?"),
    ("skala", "Hur ren är parken?"),
    ("tal", "Hur många minuter går du dit?"),
    ("tal", "Hur många gånger i månaden?"),
    ("ja-nej", "Har du barn som leker där?"),
    ("ja-nej", "Har du en hund?"),
    ("ja-nej", "Vill du bli kontaktad om resultatet?"),
    ("kort-text", "Ett ord om parken"),
    ("kort-text", "Vad ska parken heta?"),
    ("lang-text", "Vad skulle göra parken bättre?"),
    ("rangordning", "Rangordna förslagen"),
    ("plats", "Var behövs det något nytt?"),
]
OPTIONS = ["Gungor", "Bänkar", "Belysning", "Odlingslådor", "Utegym"]


def build_survey() -> tuple[Any, Any, list[Any]]:
    from torget.geo.models import Area, AreaKind
    from torget.surveys.models import Kind, Option, Question
    from torget.surveys.tests.factories import section, survey, survey_dialogue

    dialogue, people = survey_dialogue()
    s = survey(dialogue, title="Parken i Berga")
    parts = [section(s, f"Del {n}", order=n) for n in range(1, 5)]
    questions = []
    for order, (kind, text) in enumerate(QUESTIONS, start=1):
        question = Question.objects.create(
            survey=s,
            section=parts[(order - 1) // 5],
            order=order,
            kind=kind,
            text=text,
            number_min=0 if kind == Kind.NUMBER else None,
            number_max=120 if kind == Kind.NUMBER else None,
            max_choices=3 if kind == Kind.MULTIPLE else None,
        )
        if kind in (Kind.SINGLE, Kind.MULTIPLE, Kind.RANKING):
            for number, option in enumerate(OPTIONS, start=1):
                Option.objects.create(
                    question=question, order=number, code=chr(64 + number), text=option
                )
        questions.append(question)
    for n in range(12):
        Area.objects.create(
            name=f"Område {n}",
            slug=f"omrade-{n}",
            kind=AreaKind.DISTRICT,
            geometry={
                "type": "Polygon",
                "coordinates": [[[18, 59], [18.1, 59], [18.1, 59.1], [18, 59.1], [18, 59]]],
            },
        )
    return s, people, questions


def answer_values(questions: list[Any], rng: random.Random) -> dict[int, Any]:
    """One respondent's answers, question id → value in the answering services' shapes
    (as `answer_forms.SectionForm.answers()` gives them); unanswered questions are left out."""
    codes = [chr(64 + n) for n in range(1, len(OPTIONS) + 1)]
    values: dict[int, Any] = {}
    for question in questions:
        kind = question.kind
        if kind == "ett-val":
            values[question.pk] = rng.choice(codes)
        elif kind == "flera-val":
            values[question.pk] = sorted(rng.sample(codes, rng.randint(1, 3)))
        elif kind == "skala":
            values[question.pk] = rng.randint(1, 5)
        elif kind == "tal":
            values[question.pk] = rng.randint(0, 120)
        elif kind == "ja-nej":
            values[question.pk] = rng.choice(["ja", "nej"])
        elif kind in ("kort-text", "lang-text") and rng.random() < 0.7:
            values[question.pk] = rng.choice(TEXTS)
        elif kind == "rangordning":
            values[question.pk] = rng.sample(codes, len(codes))
        elif kind == "plats" and rng.random() < 0.5:
            lat, lon = 59.33 + rng.uniform(-0.02, 0.02), 18.06 + rng.uniform(-0.03, 0.03)
            values[question.pk] = {"text": "Vid entrén", "lat": lat, "lon": lon}
    return values


def submit_one(
    survey: Any, sections: list[Any], values: dict[int, Any], background: dict[str, Any]
) -> int:
    """Submit one response through the answering services, page by page; returns the
    number of answers stored."""
    from torget.surveys import answering

    response = answering.response_start(survey=survey)
    for part in sections:
        answering.response_save_page(response=response, section=part, answers=values)
    answering.response_save_background(response=response, background=background)
    answering.response_submit(response=response)
    return len(values)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def timed(label: str, runs: int, call: Any) -> None:
    durations = []
    size = 0
    for _ in range(runs):
        start = time.perf_counter()
        size = call()
        durations.append(time.perf_counter() - start)
    print(
        f"{label:<28} median {1000 * statistics.median(durations):8.1f} ms  "
        f"(min {1000 * min(durations):.1f}, max {1000 * max(durations):.1f}; {size / 1024:.0f} KiB)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--responses", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=5, help="runs of each page and export")
    parser.add_argument(
        "--database-url", default="postgres://postgres@127.0.0.1:5432/torget_bench_surveys"
    )
    args = parser.parse_args()

    env = environment(args.database_url)
    env["ALLOWED_HOSTS"] = "127.0.0.1,localhost,testserver"
    os.environ.update(env)
    prepare_database(args.database_url)

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment
    from django.urls import reverse

    from torget.geo.models import Area

    setup_test_environment()
    call_command("migrate", verbosity=0)
    call_command("collectstatic", "--noinput", verbosity=0)
    survey, people, questions = build_survey()
    areas = list(Area.objects.all())
    sections = list(survey.sections.prefetch_related("questions"))
    rng = random.Random(19)

    latencies = []
    answers = 0
    started = time.perf_counter()
    for _ in range(args.responses):
        values = answer_values(questions, rng)
        background = {"age_band": rng.choice(AGE_BANDS), "area": rng.choice(areas)}
        start = time.perf_counter()
        answers += submit_one(survey, sections, values, background)
        latencies.append(time.perf_counter() - start)
    elapsed = time.perf_counter() - started
    print(
        f"submitted {args.responses} responses ({answers} answers, 20 questions) "
        f"in {elapsed:.1f} s, one at a time, path: answering services, 4 pages"
    )
    print(
        f"  {args.responses / elapsed:.0f} responses/s, {answers / elapsed:.0f} answers/s; "
        f"latency per submission p50 {1000 * percentile(latencies, 0.5):.2f} ms, "
        f"p95 {1000 * percentile(latencies, 0.95):.2f} ms"
    )

    # As autovacuum does after a large insert: the planner's statistics of the new rows.
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")

    client = Client()
    client.force_login(people.official)
    pk = survey.pk
    single = questions[0].pk

    def get(name: str, **params: Any) -> Any:
        def call() -> int:
            response = client.get(reverse(f"surveys:{name}", args=[pk]), params)
            assert response.status_code == 200, response.status_code
            if response.streaming:
                return sum(len(chunk) for chunk in response.streaming_content)
            return len(response.content)

        return call

    with CaptureQueriesContext(connection) as queries:
        get("results_staff")()
    print(f"staff results page: {len(queries)} queries")
    timed("staff results page", args.runs, get("results_staff"))
    timed("free-text page", args.runs, get("results_free_text"))
    timed("cross-table (age band)", args.runs, get("results_cross", fraga=single, efter="alder"))
    timed("places GeoJSON", args.runs, get("results_geojson"))
    timed("CSV export", args.runs, get("results_csv"))
    timed("XLSX export", args.runs, get("results_xlsx"))


if __name__ == "__main__":
    main()
