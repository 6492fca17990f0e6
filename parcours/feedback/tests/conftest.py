import pytest


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def file(world):
    from parcours.feedback.services import complaint_file

    def make(by="reception.bamako", **fields):
        values = {"channel": "in_person", "category": "assistance", "gravity": "medium",
                  "description": "Le pécule n'a pas été versé.", "place": "Bamako", **fields}
        return complaint_file(by=world.user(by), **values)

    return make
