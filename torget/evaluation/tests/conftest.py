import pytest

from torget.accounts.roles import Role
from torget.accounts.tests.factories import user_with_role
from torget.dialogues.tests.factories import cast


@pytest.fixture
def people():
    return cast()


@pytest.fixture
def administrator():
    return user_with_role(Role.ADMINISTRATOR)
