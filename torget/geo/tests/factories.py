import factory

from torget.geo.models import Area, AreaKind


def square(lon: float, lat: float, size: float) -> dict:
    """A square polygon with its south-west corner at (lon, lat)."""
    return {
        "type": "Polygon",
        "coordinates": [
            [[lon, lat], [lon + size, lat], [lon + size, lat + size], [lon, lat + size], [lon, lat]]
        ],
    }


class AreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Area

    name = factory.Sequence(lambda n: f"Område {n}")
    slug = factory.Sequence(lambda n: f"omrade-{n}")
    kind = AreaKind.DISTRICT
    geometry = factory.LazyFunction(lambda: square(15.0, 58.0, 1.0))
