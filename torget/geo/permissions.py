"""Who may do what with areas and their population figures.

Areas are kept by administrators (in the admin); the population figures that go with them
likewise: the permission `geo.add_populationimport`, which administrators hold.
"""

from torget.accounts.permissions import has_perm
from torget.accounts.types import Actor


def can_import_population(user: Actor | None) -> bool:
    return has_perm(user, "geo.add_populationimport")
