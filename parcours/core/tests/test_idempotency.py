"""The one idempotency table: keys are scoped by write and by owner, a retry finds the first
record, and a second binding of the same key fails inside the write's transaction."""

import pytest
from django.db import IntegrityError, transaction

from parcours.core.idempotency import remember, replay, scope_for
from parcours.core.models import IdempotencyKey


def test_scopes_name_the_write_and_the_owner(world):
    reception, caseworker = world.user("reception.bamako"), world.user("caseworker.kayes")
    assert scope_for("people.register", reception) == f"people.register:user-{reception.pk}"
    assert scope_for("people.register", caseworker) != scope_for("people.register", reception)
    assert scope_for("feedback.complaint", None) == "feedback.complaint:public"


def test_a_key_finds_the_first_record_only_in_its_own_scope(world, make_person):
    reception, caseworker = world.user("reception.bamako"), world.user("caseworker.kayes")
    person = make_person()
    mine = scope_for("people.register", reception)
    assert replay(mine, "k-1", type(person)) is None
    remember(mine, "k-1", person)
    assert replay(mine, "k-1", type(person)) == person
    assert replay(scope_for("people.register", caseworker), "k-1", type(person)) is None  # another user
    assert replay(scope_for("referrals.create", reception), "k-1", type(person)) is None  # another write
    assert replay(mine, "", type(person)) is None  # no key: never a replay


def test_an_empty_key_is_not_stored(world, make_person):
    remember(scope_for("people.register", world.user("reception.bamako")), "  ", make_person())
    assert not IdempotencyKey.objects.exists()


def test_the_same_key_bound_twice_fails_and_rolls_the_write_back(world, make_person):
    scope = scope_for("people.register", world.user("reception.bamako"))
    first = make_person()
    remember(scope, "k-2", first)
    with pytest.raises(IntegrityError), transaction.atomic():
        second = make_person(given_name="Awa")
        remember(scope, "k-2", second)
    assert replay(scope, "k-2", type(first)) == first
    assert not type(first).objects.filter(given_name="Awa").exists()
