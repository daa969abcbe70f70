"""The safety coordinator reads every dialogue, not only those in the areas it covers (the
results and questions of any dialogue may concern safety), but changes none of them."""

import pytest

from torget.accounts.roles import Role
from torget.accounts.tests.factories import user_with_role
from torget.dialogues.models import Status
from torget.dialogues.permissions import can_see_staff_pages, can_work_with
from torget.dialogues.tests.factories import approved, cast
from torget.dialogues.tests.test_staff import (
    INDEX,
    INITIATE,
    decision_data,
    detail_url,
    edit_url,
    plan_url,
    status_of,
    step_url,
    text,
)
from torget.geo.tests.factories import AreaFactory
from torget.organisation.tests.factories import EmploymentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def coordinator_of_norr():
    """A safety coordinator responsible for Norr only."""
    user = user_with_role(Role.SAFETY_COORDINATOR)
    employment = EmploymentFactory(person=user, title="Trygghetssamordnare")
    employment.areas.add(AreaFactory(name="Norr"))
    return user


def test_reads_a_dialogue_outside_its_areas(client, coordinator_of_norr):
    people = cast()
    dialogue = approved(people, title="Ny lekplats i Söder", areas=[AreaFactory(name="Söder")])
    assert can_see_staff_pages(coordinator_of_norr)
    client.force_login(coordinator_of_norr)
    assert "Ny lekplats i Söder" in text(client.get(INDEX))
    page = client.get(detail_url(dialogue))
    assert page.status_code == 200
    assert "Ny lekplats i Söder" in text(page)
    assert page.context["step_forms"] == []


def test_changes_no_dialogue_not_even_in_its_areas(client, coordinator_of_norr):
    people = cast()
    norr = coordinator_of_norr.employments.get().areas.get()
    dialogue = approved(people, title="Trygg väg till skolan", areas=[norr])
    assert not can_work_with(coordinator_of_norr, dialogue)
    client.force_login(coordinator_of_norr)
    assert "Registrera ett initiativ" not in text(client.get(INDEX))
    assert client.get(INITIATE).status_code == 403
    assert client.get(edit_url(dialogue)).status_code == 403
    assert client.post(step_url(dialogue, "open"), {}).status_code == 403
    assert client.post(step_url(dialogue, "decide"), decision_data(people)).status_code == 403
    assert client.post(plan_url(dialogue, "add-date"), {}).status_code == 403
    assert status_of(dialogue) == Status.PLAN_APPROVED
