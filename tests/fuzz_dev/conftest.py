import pytest


@pytest.fixture(scope="session")
def django_db_setup():
    pass


@pytest.fixture(scope="module")
def demo_site(django_db_setup, django_db_blocker):
    from django.db import transaction
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            yield
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
