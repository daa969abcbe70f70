import factory
from django.contrib.auth.models import Group
from django.utils import timezone

from torget.accounts.models import User
from torget.accounts.roles import STAFF_ROLES, Role

PASSWORD = "ett-bra-lösenord-123"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.se")
    full_name = factory.Faker("name", locale="sv_SE")
    display_name = factory.LazyAttribute(lambda o: o.full_name.split()[0])
    email_verified_at = factory.LazyFunction(timezone.now)
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def role(self, create, extracted, **kwargs):
        """UserFactory(role=Role.OFFICIAL) puts the user in that role's group."""
        _apply_role(self, create, extracted)


class CitizenFactory(UserFactory):
    @factory.post_generation
    def role(self, create, extracted, **kwargs):
        _apply_role(self, create, extracted or Role.CITIZEN)


def _apply_role(user: User, create: bool, role: Role | None) -> None:
    if create and role:
        user.groups.add(Group.objects.get(name=Role(role).value))
        user.is_staff = role in STAFF_ROLES
    user.save()


def user_with_role(role: Role, **kwargs) -> User:
    return UserFactory(role=role, **kwargs)
