import pytest

from torget.accounts.roles import Role
from torget.accounts.tests.factories import UserFactory
from torget.dialogues.models import Method, Status
from torget.dialogues.tests.factories import cast, initiative

pytestmark = pytest.mark.django_db


def test_the_admin_cannot_change_a_dialogues_status(client):
    people = cast()
    dialogue = initiative(people)
    client.force_login(UserFactory(role=Role.ADMINISTRATOR))
    url = f"/admin/dialogues/dialogue/{dialogue.pk}/change/"
    page = client.get(url)
    assert page.status_code == 200
    assert 'name="status"' not in page.content.decode()
    client.post(url, {"status": Status.OPEN, "title": "Ändrad"})
    dialogue.refresh_from_db()
    assert dialogue.status == Status.INITIATIVE and dialogue.title != "Ändrad"


def test_the_method_catalogue_starts_with_the_seeds_methods_and_can_be_extended(client):
    assert Method.objects.filter(name="Dialogmöte", ladder_step=3).exists()
    assert Method.objects.filter(ladder_step=1).count() >= 5
    client.force_login(UserFactory(role=Role.ADMINISTRATOR))
    response = client.post(
        "/admin/dialogues/method/add/",
        {
            "name": "Medborgarpanel",
            "ladder_step": 3,
            "description": "Ett slumpat urval.",
            "order": 0,
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    assert Method.objects.filter(name="Medborgarpanel").exists()
