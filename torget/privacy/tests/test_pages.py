"""The register as a visitor and as staff see it."""

from typing import Any

import pytest
from django.urls import reverse

from torget.accounts.roles import Role
from torget.accounts.tests.factories import user_with_role

pytestmark = pytest.mark.django_db


def test_a_visitor_sees_the_register_on_the_privacy_page(client: Any) -> None:
    response = client.get("/integritet/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Register över personuppgifter" in page
    assert "<caption" in page and 'scope="col"' in page
    for expected in (
        "Anmälningar till möten",
        "behov av stöd för att kunna delta",
        "Uttryckligt samtycke till uppgift om hälsa (art. 9.2 a)",
        "Allmänt intresse och myndighetsutövning (art. 6.1 e)",
        "Synpunkter och felanmälningar",
        "(allmän handling)",
    ):
        assert expected in page
    # Model and field names are for staff.
    assert "meetings.Registration" not in page
    assert "<code>" not in page


def test_staff_see_model_and_field_names(client: Any) -> None:
    client.force_login(user_with_role(Role.OFFICIAL))
    response = client.get(reverse("privacy:register_staff"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "meetings.Registration" in page and "<code>needs</code>" in page
    # An official may not use the rights tool, so is not offered it.
    assert reverse("privacy:rights") not in page


def test_administrators_are_offered_the_rights_tool(client: Any) -> None:
    client.force_login(user_with_role(Role.ADMINISTRATOR))
    page = client.get(reverse("privacy:register_staff")).content.decode()
    assert reverse("privacy:rights") in page
    assert reverse("privacy:rights") in client.get(reverse("core:backoffice")).content.decode()


def test_citizens_do_not_see_the_staff_register(client: Any) -> None:
    client.force_login(user_with_role(Role.CITIZEN))
    assert client.get(reverse("privacy:register_staff")).status_code == 403
