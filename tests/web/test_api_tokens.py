"""Tokens for scripts: obtain one with a user name and password, use it, revoke it; what is
refused (a wrong password, a revoked or expired token, an inactive user, a token older than
the password) and django-axes locking a user name out after repeated failures, counted together
with the login page."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from test_api_support import Caller

from luoshi_web.api.actions import hash_token
from luoshi_web.api.models import ApiToken

from conftest import PASSWORD

pytestmark = pytest.mark.django_db


def obtain(caller, username, password=PASSWORD):
    return caller.post("/api/auth/token", {"username": username, "password": password})


def bearer(token):
    return {"Authorization": f"Bearer {token}"}


def test_a_script_obtains_a_token_and_reads_with_it(people, client):
    response = obtain(Caller(), "participant")
    assert response.status_code == 200
    body = response.json()
    assert body["username"] == "participant"
    token = body["token"]
    me = client.get("/api/me", headers=bearer(token))
    assert me.status_code == 200
    assert me.json() == {
        "username": "participant",
        "name": "participant",
        "role": "unit",
        "unit": {
            "id": people.participant.profile.unit_id,
            "registry_id": "zj-drc",
            "name": people.participant.profile.unit.name,
        },
        "leader": None,
    }


def test_a_token_lives_thirty_days_and_records_when_it_was_used(people, client):
    token = obtain(Caller(), "office").json()["token"]
    row = ApiToken.objects.get(key_hash=hash_token(token))
    assert row.user == people.office
    assert timedelta(days=29) < row.expires - timezone.now() <= timedelta(days=30)
    assert row.last_used is None
    client.get("/api/tasks", headers=bearer(token))
    row.refresh_from_db()
    assert row.last_used is not None


def test_the_token_is_stored_only_as_its_sha256(people):
    token = obtain(Caller(), "office").json()["token"]
    assert len(token) >= 43
    stored = list(ApiToken.objects.values_list("key_hash", flat=True))
    assert hash_token(token) in stored
    assert token not in stored


def test_a_wrong_password_is_a_401_with_one_clear_message(people):
    response = obtain(Caller(), "office", "wrong password")
    assert response.status_code == 401
    assert response.json() == {"detail": "用户名或密码错误", "code": "invalid_credentials"}
    unknown = obtain(Caller(), "nobody-at-all", "wrong password")
    assert unknown.json() == response.json()
    assert not ApiToken.objects.exists()


def test_no_token_and_a_malformed_one_are_both_401(people, client):
    for headers in ({}, {"Authorization": "Bearer"}, {"Authorization": "Token abc"}):
        response = client.get("/api/tasks", headers=headers)
        assert response.status_code == 401
        assert response.json()["code"] == "unauthenticated"
    assert client.get("/api/tasks", headers=bearer("made-up")).status_code == 401


def test_a_revoked_token_is_refused(people, client):
    token = obtain(Caller(), "lead_unit").json()["token"]
    assert client.get("/api/me", headers=bearer(token)).status_code == 200
    assert client.delete("/api/auth/token", headers=bearer(token)).status_code == 204
    response = client.get("/api/me", headers=bearer(token))
    assert response.status_code == 401
    assert response.json()["code"] == "unauthenticated"


def test_revoking_one_token_keeps_the_others(people, client):
    first = obtain(Caller(), "office").json()["token"]
    second = obtain(Caller(), "office").json()["token"]
    client.delete("/api/auth/token", headers=bearer(first))
    assert client.get("/api/me", headers=bearer(second)).status_code == 200


def test_an_expired_token_is_refused(people, client):
    token = obtain(Caller(), "office").json()["token"]
    ApiToken.objects.filter(key_hash=hash_token(token)).update(
        expires=timezone.now() - timedelta(seconds=1)
    )
    assert client.get("/api/me", headers=bearer(token)).status_code == 401


def test_the_lifetime_of_new_tokens_is_a_setting(people, settings):
    settings.API_TOKEN_DAYS = 2
    expires = obtain(Caller(), "office").json()["expires"]
    row = ApiToken.objects.get()
    assert row.expires - timezone.now() <= timedelta(days=2)
    assert expires.startswith(timezone.localtime(row.expires).strftime("%Y-%m-%dT%H:%M"))


def test_a_new_password_ends_the_users_tokens_and_a_login_does_not(people, client):
    office_token = obtain(Caller(), "office").json()["token"]
    token = obtain(Caller(), "leader").json()["token"]
    people.leader.last_login = timezone.now()
    people.leader.save(update_fields=["last_login"])  # what every login does
    people.leader.first_name = "王浩"
    people.leader.save()  # a save without a new password
    assert client.get("/api/me", headers=bearer(token)).status_code == 200

    people.leader.set_password("a-new-password-2026")
    people.leader.save()
    assert client.get("/api/me", headers=bearer(token)).status_code == 401
    assert client.get("/api/me", headers=bearer(office_token)).status_code == 200  # others' stay
    assert obtain(Caller(), "leader", "a-new-password-2026").status_code == 200


def test_a_deactivated_users_token_stops_working(people, client):
    token = obtain(Caller(), "leader").json()["token"]
    people.leader.is_active = False
    people.leader.save()
    assert client.get("/api/me", headers=bearer(token)).status_code == 401
    assert obtain(Caller(), "leader").status_code == 401


def test_five_wrong_passwords_lock_the_user_name_out(people):
    caller = Caller()
    answers = [obtain(caller, "office", f"guess {n}").status_code for n in range(5)]
    assert answers == [401, 401, 401, 401, 429]
    locked = obtain(caller, "office")  # even the right password, now
    assert locked.status_code == 429
    assert locked.json()["code"] == "locked_out"
    assert "锁定" in locked.json()["detail"]
    assert obtain(caller, "lead_unit").status_code == 200  # another user name is not locked


def test_api_failures_and_login_page_failures_count_together(people, client):
    for n in range(3):
        client.post(reverse("login"), {"username": "office", "password": f"guess {n}"})
    caller = Caller()
    assert obtain(caller, "office", "guess 3").status_code == 401
    assert obtain(caller, "office", "guess 4").status_code == 429
    page = client.post(reverse("login"), {"username": "office", "password": PASSWORD})
    assert page.status_code == 429  # the login page is locked as well


def test_a_successful_login_resets_the_count(people):
    caller = Caller()
    for n in range(4):
        assert obtain(caller, "office", f"guess {n}").status_code == 401
    assert obtain(caller, "office").status_code == 200
    for n in range(4):
        assert obtain(caller, "office", f"again {n}").status_code == 401
