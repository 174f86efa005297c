"""Schemathesis against the API's own OpenAPI document: generated requests (at most 20 per
operation, from the schema's parameters and bodies) through the Django WSGI application, with a
real token. No answer may be a server error, and every answer must conform to the schema: a
documented status, the documented content type, a body that validates.

Each generated request is sent twice: as generated (its ids mostly name nothing: 404) and with
the ids replaced by real ones (the 2024 notice's task 3, its reports, its consolidation…), so
that the successful answers are checked too. GET operations run as the office; the POSTs as the
role that may make them (the lead unit files and consolidates, the office reviews and reminds,
the leader instructs). Not run here: importing (a multipart upload parsed each time; see
test_api_import) and revoking the token the run uses.
"""

from __future__ import annotations

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from luoshi_web.api.actions import issue_token
from luoshi_web.tracking import actions

pytestmark = pytest.mark.django_db

schema = schemathesis.openapi.from_wsgi("/api/openapi.json", get_wsgi_application())

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
BOUNDED = settings(
    max_examples=20,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)

# Who makes each POST (every GET: the office).
POSTS = {
    "/api/auth/token": None,
    "/api/tasks/{task_id}/reports": "lead_unit",
    "/api/reports/{report_id}/submit": "participant",
    "/api/reports/{report_id}/return": "lead_unit",
    "/api/tasks/{task_id}/consolidations": "lead_unit",
    "/api/consolidations/{consolidation_id}/review": "office",
    "/api/tasks/{task_id}/reminders": "office",
    "/api/tasks/{task_id}/instructions": "leader",
    "/api/sections/{section_id}/instructions": "leader",
}


@pytest.fixture(autouse=True)
def _keep_the_test_transaction():
    """Schemathesis calls the real WSGI handler, whose request signals close "old" database
    connections — on PostgreSQL that closes the test's connection, inside its transaction.
    Django's own test client disconnects them for each request; so do we, for the test."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def world(people, task, period, data):
    """Real ids for the path parameters: the task, a draft of the participant's, a filed
    report and the consolidation that includes it."""
    february = period.document.periods.get(label="2024-02")
    draft = actions.file_report(people.participant, task, february, data(), 0)
    filed = actions.file_report(people.participant, task, period, data(), 0, submit=True)
    consolidation = actions.consolidate(
        people.lead_unit, task, period, data(), 0, include=[filed], submit=True
    )
    return {
        "task_id": task.pk,
        "report_id": filed.pk,
        "draft_id": draft.pk,
        "consolidation_id": consolidation.pk,
        "section_id": task.section_id,
        "unit_id": people.lead_unit.profile.unit_id,
        "document_id": period.document_id,
    }


def headers_for(people, role) -> dict:
    if role is None:
        return {}
    token, _ = issue_token(getattr(people, role))
    return {"Authorization": f"Bearer {token}"}


def real_ids(case, world) -> dict:
    ids = {name: world[name] for name in case.path_parameters or {} if name in world}
    if case.path.endswith("/submit"):
        ids["report_id"] = world["draft_id"]
    return ids


def send_generated_then_real(case, world, headers):
    case.call_and_validate(headers=headers, checks=CHECKS)
    ids = real_ids(case, world)
    if ids:
        case.path_parameters = {**case.path_parameters, **ids}
        case.call_and_validate(headers=headers, checks=CHECKS)


@schema.include(method="GET").parametrize()
@BOUNDED
def test_every_get_answers_as_its_schema_says(case, people, world):
    send_generated_then_real(case, world, headers_for(people, "office"))


@schema.include(method="POST", path=list(POSTS)).parametrize()
@BOUNDED
def test_the_writing_endpoints_answer_as_their_schema_says(case, people, world):
    send_generated_then_real(case, world, headers_for(people, POSTS[case.path]))
