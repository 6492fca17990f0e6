import pytest

from parcours.accounts.models import Role, User


@pytest.fixture
def points(world):
    """Every flow monitoring point of the demo places, with enumerator.gao at Gao."""
    from parcours.accounts.models import Place
    from parcours.flows.services import point_upsert

    made = {p.code: point_upsert(place=p, roads="RN") for p in Place.objects.filter(kind="fmp").order_by("code")}
    made["GAO-FMP"].enumerators.add(world.user("enumerator.gao"))
    return made


@pytest.fixture
def kidal_enumerator(world, points):
    user = User.objects.create_user("enumerator.kidal", password="parcours-demo", role=Role.ENUMERATOR,  # noqa: S106
                                    agency=world.agencies["IOM"], place=world.places["KID-FMP"])
    world.users[user.username] = user
    return user


@pytest.fixture
def record(world, points):
    """record(n, day=..., **breakdown) through the service, as enumerator.gao at Gao by default."""
    from parcours.flows.services import count_record

    def make(n, *, by="enumerator.gao", **fields):
        data = {"point": "GAO-FMP", "date": "2024-03-04", "direction": "in", "nationality": "GN", "sex": "M",
                "age_group": "18-59", "transport": "bus", "reason": "economic", "count": n, **fields}
        return count_record(by=world.user(by), data=data)

    return make
