"""``luoshi_web.reads``: a read made once gives what the ORM's ``select_related`` read gives —
every field of every model it covers, converted as the ORM converts it (JSON, booleans, dates
and times on SQLite and PostgreSQL) — and following a covered relation asks nothing."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext

from luoshi_web.accounts.models import Profile
from luoshi_web.api.actions import find_token, issue_token
from luoshi_web.api.models import ApiToken
from luoshi_web.documents.models import Task
from luoshi_web.reads import Joined

pytestmark = pytest.mark.django_db

TASK = ("section__part__document", "section__leader")


def fields_of(obj) -> dict:
    return {f.attname: getattr(obj, f.attname) for f in type(obj)._meta.concrete_fields}


def same_tree(read, orm, paths) -> None:
    """Every model along ``paths`` has the same fields in both; none is read again."""
    assert fields_of(read) == fields_of(orm)
    for path in paths:
        a, b = read, orm
        for name in path.split("__"):
            with CaptureQueriesContext(connection) as queries:
                a = getattr(a, name, None)
            assert queries.captured_queries == [], f"{path}: {name} read again"
            b = getattr(b, name, None)
            assert (a is None) == (b is None), path
            if a is None:
                break
            assert type(a) is type(b) and fields_of(a) == fields_of(b), path


def test_tasks_read_as_the_orm_reads_them(document):
    read = Joined(Task, *TASK, where="id")
    tasks = list(
        Task.objects.filter(section__part__document=document).select_related(*TASK).order_by("pk")
    )
    assert any(t.section.leader_id is None for t in tasks)  # livelihood sections: no leader
    assert any(t.deadlines for t in tasks)  # a JSON list
    assert any(t.retired is False for t in tasks)
    for task in tasks:
        with CaptureQueriesContext(connection) as queries:
            mine = read.one(task.pk)
        assert len(queries.captured_queries) == 1
        same_tree(mine, task, TASK)
        assert not mine._state.adding and mine._state.db == "default"


def test_users_read_with_their_profile_unit_and_leader(people):
    User = get_user_model()
    paths = ("profile__unit", "profile__leader")
    read = Joined(User, *paths, where="id")
    bare = User.objects.create_user("no-profile", password="x")  # the admin's kind
    for user in [*User.objects.select_related(*paths).order_by("pk")]:
        mine = read.one(user.pk)
        assert isinstance(mine.last_login, type(user.last_login))
        assert mine.date_joined == user.date_joined and mine.is_active is True
        if user.pk == bare.pk:
            assert fields_of(mine) == fields_of(user)
            with pytest.raises(Profile.DoesNotExist):
                _ = mine.profile  # absent: asked, read, not there
            continue
        same_tree(mine, user, paths)
    assert read.one(User.objects.order_by("-pk").first().pk + 1000) is None


def test_a_token_is_found_with_its_user_and_what_permissions_ask(people):
    clear, row = issue_token(people.leader)
    found = find_token(clear)
    assert found.pk == row.pk and found.user.pk == people.leader.pk
    orm = ApiToken.objects.select_related("user__profile__unit", "user__profile__leader").get(
        pk=row.pk
    )
    same_tree(found, orm, ("user__profile__unit", "user__profile__leader"))
    assert found.user.profile.leader.name == "王浩" and found.user.profile.unit is None
    assert find_token(clear + "x") is None


def test_an_id_no_column_holds_matches_nothing():
    assert Joined(Task, *TASK, where="id").one(10**20) is None
    assert Joined(Task, *TASK, where="id").one(-(10**20)) is None


def test_a_computed_column_lands_on_the_instance(task, people):
    read = Joined(Task, where="id", extra={"twice": "SELECT 2 * {t}.id + %s"})
    mine = read.one(1, task.pk)
    assert mine.twice == 2 * task.pk + 1 and mine.pk == task.pk


def test_a_relation_of_many_rows_is_refused():
    with pytest.raises(ValueError, match="not a single related row"):
        _ = Joined(Task, "assignments", where="id").plan
