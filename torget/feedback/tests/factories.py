import factory

from torget.feedback import services
from torget.feedback.models import ApiClient, Case, Category, CategoryUse, Kind
from torget.organisation.tests.factories import AdministrationFactory


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category

    name = factory.Sequence(lambda n: f"Gatubelysning {n}")
    code = factory.Sequence(lambda n: f"kategori-{n}")
    use = CategoryUse.FAULT
    administration = factory.SubFactory(AdministrationFactory)


class OpinionCategoryFactory(CategoryFactory):
    name = factory.Sequence(lambda n: f"Skola {n}")
    use = CategoryUse.OPINION


def make_case(**kwargs) -> Case:
    """A case received through the same service as every channel. Defaults: an anonymous
    fault report with a pin in the middle of AreaFactory's default square."""
    kind = kwargs.pop("kind", Kind.FAULT)
    if "category" not in kwargs:
        kwargs["category"] = CategoryFactory() if kind == Kind.FAULT else OpinionCategoryFactory()
    kwargs.setdefault("description", "Lampan vid busshållplatsen är trasig.")
    if kind == Kind.FAULT and "address" not in kwargs and "lat" not in kwargs:
        kwargs.update(lat=58.5, lon=15.5)
    return services.case_create(kind=kind, **kwargs)


def make_api_client(name: str = "Felanmälningsappen") -> tuple[ApiClient, str]:
    """An Open311 integration and its key (shown once, stored hashed)."""
    from torget.feedback.open311.keys import api_client_create

    return api_client_create(name=name)


CaseFactory = make_case
