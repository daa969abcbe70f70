"""The rules every way of answering shares (web, paper, SMS, preview): which questions are
shown, given the answers so far, and the keyed hash of a person for one survey."""

import hashlib
import hmac
from collections.abc import Iterable, Mapping
from typing import Any

from django.conf import settings

from torget.surveys.models import Question, Survey


def condition_met(value: Any, expected: str) -> bool:
    """Whether an answer `value` (as stored in `Answer.value`) matches a condition's value:
    the chosen option's code, one of the codes of a multiple choice, "ja"/"nej", or a scale
    point or number written as digits. Compared without regard to case."""
    expected = (expected or "").strip().casefold()
    if value is None or not expected:
        return False
    if isinstance(value, list):
        return any(str(item).casefold() == expected for item in value)
    return str(value).strip().casefold() == expected


def is_shown(question: Question, answers: Mapping[int, Any]) -> bool:
    """A question without a condition is always shown; one with a condition only when the
    question it depends on is itself shown and was answered with the condition's value.
    `answers` maps question id to `Answer.value` (free text as a string)."""
    seen: set[int] = set()
    current: Question | None = question
    while current is not None and current.condition_question_id is not None:
        if current.pk in seen:  # a loop of conditions shows nothing rather than hanging
            return False
        seen.add(current.pk)
        if not condition_met(answers.get(current.condition_question_id), current.condition_value):
            return False
        current = current.condition_question
    return True


def shown_questions(questions: Iterable[Question], answers: Mapping[int, Any]) -> list[Question]:
    return [question for question in questions if is_shown(question, answers)]


def person_hash(survey: Survey, key: str) -> str:
    """The keyed hash that marks "has answered" for one person and one survey. `key` is the
    e-ID's person key (itself a keyed hash) or "e-post:" and a verified address, lower-cased.
    Per survey, so that the marks of two surveys cannot be matched with each other."""
    secret = f"{settings.SECRET_KEY}:surveys.participation".encode()
    message = f"{survey.pk}:{key}".encode()
    return hmac.new(secret, message, hashlib.sha256).hexdigest()
