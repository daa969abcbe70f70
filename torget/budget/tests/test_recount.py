"""A recount from the stored ballots reproduces the published result exactly, through the
service and through `manage.py budget_recount`; a changed ballot makes the command fail."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from torget.budget import counting, result_services
from torget.budget.models import Ballot, CountingMethod, Phase
from torget.budget.tests.factories import budget_dialogue, budget_round, project


def _published(method):
    dialogue, people = budget_dialogue()
    round = budget_round(
        dialogue, people=people, phase=Phase.COUNTING, amount=100, counting_method=method
    )
    project(round, 50, title="A")
    project(round, 50, title="B")
    project(round, 40, title="C")
    for i in range(60):
        Ballot.objects.create(round=round, chain=f"a{i:063d}", choices=[1, 2])
    for i in range(40):
        Ballot.objects.create(round=round, chain=f"b{i:063d}", choices=[3])
    result_services.result_publish(round=round, actor=people.official)
    round.refresh_from_db()
    return round


@pytest.mark.django_db
@pytest.mark.parametrize("method", [CountingMethod.GREEDY, CountingMethod.EQUAL_SHARES])
def test_the_recount_equals_the_published_result(method):
    round = _published(method)
    assert round.result["funded"] == ([1, 2] if method == CountingMethod.GREEDY else [1, 3])
    assert counting.count(round) == round.result
    assert counting.differences(round.result, counting.count(round)) == []
    out = StringIO()
    call_command("budget_recount", str(round.pk), stdout=out)
    assert "Omräkningen ger exakt det publicerade resultatet." in out.getvalue()
    assert "Röstsedlar: 100" in out.getvalue()


@pytest.mark.django_db
def test_a_changed_ballot_makes_the_recount_fail_with_the_difference():
    round = _published(CountingMethod.GREEDY)
    ballot = Ballot.objects.filter(round=round, choices=[3]).first()
    ballot.choices = [1]
    ballot.save()
    with pytest.raises(CommandError) as error:
        call_command("budget_recount", str(round.pk), stdout=StringIO())
    assert "skiljer sig från det publicerade resultatet" in str(error.value)
    assert "idé 1" in str(error.value) and "idé 3" in str(error.value)


@pytest.mark.django_db
def test_an_unknown_round_is_a_clear_error():
    with pytest.raises(CommandError, match="ingen medborgarbudgetomgång med id 999999"):
        call_command("budget_recount", "999999", stdout=StringIO())


@pytest.mark.django_db
def test_an_unpublished_round_is_counted_without_comparison():
    dialogue, people = budget_dialogue()
    round = budget_round(dialogue, people=people, phase=Phase.COUNTING, amount=100)
    project(round, 50)
    Ballot.objects.create(round=round, chain="a" * 64, choices=[1])
    out = StringIO()
    call_command("budget_recount", str(round.pk), "--method", "lika-andelar", stdout=out)
    assert "Metoden med lika andelar" in out.getvalue() and "JA " in out.getvalue()
