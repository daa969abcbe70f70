import pytest

from torget.accounts.roles import Role
from torget.accounts.tests.factories import UserFactory
from torget.dialogues.models import Method, Status, TargetGroup
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
            "code": "medborgarpanel",
            "ladder_step": 3,
            "description": "Ett slumpat urval.",
            "order": 0,
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    assert Method.objects.filter(name="Medborgarpanel", code="medborgarpanel").exists()


class TestStableCodes:
    """The admin may rename any catalogue entry; its code, which code refers to, stays."""

    def test_renaming_the_focus_group_method_in_the_admin_keeps_its_code_and_size(self, client):
        focus_group = Method.objects.get(code="fokusgrupp")
        client.force_login(UserFactory(role=Role.ADMINISTRATOR))
        url = f"/admin/dialogues/method/{focus_group.pk}/change/"
        assert 'name="code"' not in client.get(url).content.decode()
        response = client.post(
            url,
            {
                "name": "Samtalsgrupp",
                "code": "samtalsgrupp",
                "ladder_step": 2,
                "description": focus_group.description,
                "min_participants": 8,
                "max_participants": 12,
                "is_meeting": "on",
                "is_active": "on",
                "order": focus_group.order,
            },
        )
        assert response.status_code == 302
        focus_group.refresh_from_db()
        assert (focus_group.name, focus_group.code) == ("Samtalsgrupp", "fokusgrupp")
        assert (focus_group.min_participants, focus_group.max_participants) == (8, 12)

    def test_renaming_a_target_group_in_the_admin_keeps_its_code(self, client):
        children = TargetGroup.objects.get(code="barn")
        client.force_login(UserFactory(role=Role.ADMINISTRATOR))
        response = client.post(
            f"/admin/dialogues/targetgroup/{children.pk}/change/",
            {"name": "Barn 0–12 år", "code": "smabarn", "seldom_heard": "on", "order": 0},
        )
        assert response.status_code == 302
        children.refresh_from_db()
        assert (children.name, children.code) == ("Barn 0–12 år", "barn")

    def test_a_method_cannot_have_a_smaller_maximum_than_minimum(self, client):
        client.force_login(UserFactory(role=Role.ADMINISTRATOR))
        response = client.post(
            "/admin/dialogues/method/add/",
            {
                "name": "Bakvänd grupp",
                "code": "bakvand-grupp",
                "ladder_step": 2,
                "description": "Fel.",
                "min_participants": 12,
                "max_participants": 8,
                "order": 0,
            },
        )
        assert response.status_code == 200
        assert not Method.objects.filter(code="bakvand-grupp").exists()
