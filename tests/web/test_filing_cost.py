"""What one filing asks of the database (bench/scale measures the rate; these pin the reads that
made it cheaper): the caller's profile comes with the user, the role on the task is asked once
however many checks need it, the document's periods and the task's targets are read once for the
form, the values and the light, and the API answers from the report it wrote — the same body a
later GET gives."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from test_api_support import Caller, report_body

from luoshi_web.accounts import permissions
from luoshi_web.documents.models import Assignment, Document, Task
from luoshi_web.tracking.lights import compute
from luoshi_web.tracking.models import Period, ProgressReport
from luoshi_web.tracking.periods import periods_of

pytestmark = pytest.mark.django_db


def reads_of(queries, table: str) -> int:
    """The SELECTs of ``table``'s rows, by the ORM or by ``luoshi_web.reads`` (its table is
    ``t0``); a subquery on it inside another table's read is not one."""
    orm = re.compile(rf'^SELECT (DISTINCT )?"{table}"\.')
    joined = re.compile(rf'^SELECT t0\..* FROM "{table}" t0 ', re.S)
    return sum(1 for q in queries if orm.match(q["sql"]) or joined.match(q["sql"]))


@pytest.fixture
def task_with_target(people):
    """A task of 省发展改革委 (the participant) with a quantitative target."""
    unit = people.participant.profile.unit
    return Task.objects.filter(
        assignments__unit=unit, assignments__retired=False, targets__value__isnull=False
    ).first()


def test_a_filing_over_the_api_reads_each_thing_once_and_answers_what_a_get_gives(
    people, task_with_target
):
    task = task_with_target
    participant = Caller(people.participant)
    target = task.targets.filter(retired=False, value__isnull=False).first()
    body = report_body(values={str(target.pk): 12.5})
    with CaptureQueriesContext(connection) as queries:
        filed = participant.post(f"/api/tasks/{task.pk}/reports", body)
    assert filed.status_code == 201, filed.content
    sql = queries.captured_queries
    assert reads_of(sql, "accounts_profile") == 0  # with the token's user
    assert reads_of(sql, "documents_assignment") == 0  # the role comes with the task
    # the period named and the light's periods: one read, none once this process has them
    assert reads_of(sql, "tracking_period") <= 1
    assert reads_of(sql, "documents_target") == 1  # the values' check and the light
    # version 0 is a new report: no read before the insert; the light reads the task's reports
    assert reads_of(sql, "tracking_progressreport") == 1
    # the light reads the task's values; the answer shows the ones just written, unread
    assert reads_of(sql, "tracking_targetvalue") == 1
    assert reads_of(sql, "tracking_attachment") == 0
    assert filed.json()["values"] == [{"target_id": target.pk, "value": 12.5}]
    assert filed.json() == participant.get(f"/api/reports/{filed.json()['id']}").json()
    assert filed.json()["version"] == 1

    again = participant.post(f"/api/tasks/{task.pk}/reports", {**body, "version": 1})
    assert again.status_code == 200, again.content
    assert again.json()["version"] == 2
    assert again.json() == participant.get(f"/api/reports/{filed.json()['id']}").json()


def test_a_session_reads_the_profile_with_the_user(people, client_for, task):
    client = client_for(people.lead_unit)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("task-detail", args=[task.pk])).status_code == 200
    assert reads_of(queries.captured_queries, "accounts_profile") == 0
    assert reads_of(queries.captured_queries, "auth_user") == 1


def test_the_form_files_reading_the_period_and_targets_once(people, client_for, task):
    period = Period.objects.get(document=task.section.part.document, label="2024-03")
    client = client_for(people.participant)
    url = reverse("report-form", args=[task.pk, period.pk])
    fields = {"narrative": "已梳理项目清单。", "percent": "40", "version": "0", "submit": "1"}
    with CaptureQueriesContext(connection) as queries:
        response = client.post(url, fields)
    assert response.status_code == 302, response.content.decode()[:2000]
    sql = queries.captured_queries
    assert reads_of(sql, "tracking_period") <= 1
    assert reads_of(sql, "documents_target") <= 1  # none when the light is red before targets
    assert reads_of(sql, "documents_assignment") == 0  # the role comes with the task
    report = ProgressReport.objects.get(
        task=task, period=period, unit__profiles__user=people.participant
    )
    assert (report.percent, report.state, report.version) == (40, "submitted", 1)
    stored = Task.objects.get(pk=task.pk)
    light = compute(Task.objects.get(pk=task.pk))
    assert (stored.status, stored.light, stored.light_reason) == (
        light.status,
        light.light,
        light.reason,
    )
    assert stored.status != Task.NOT_STARTED  # the filing refreshed it


def test_a_period_the_tasks_document_lacks_is_not_found(people, client_for, task):
    missing = Period.objects.order_by("-pk").values_list("pk", flat=True).first() + 1
    url = reverse("report-form", args=[task.pk, missing])
    assert client_for(people.participant).get(url).status_code == 404
    assert client_for(people.participant).post(url, {"percent": "10"}).status_code == 404


def test_the_role_kept_on_a_task_is_the_asking_units_own(people, task):
    """One task instance asked by two units: each gets its own answer."""
    assert permissions.role_on_task(people.lead_unit, task) == "lead"
    assert permissions.role_on_task(people.participant, task) == "participant"
    assert permissions.role_on_task(people.outsider, task) is None
    assert permissions.can_consolidate(people.lead_unit, task)
    assert not permissions.can_consolidate(people.participant, task)
    with CaptureQueriesContext(connection) as queries:
        for _ in range(3):
            permissions.can_file(people.participant, task)
            permissions.can_view_task(people.participant, task)
    assert queries.captured_queries == []
    fresh = Task.objects.get(pk=task.pk)  # the next request reads the task again, and asks
    with CaptureQueriesContext(connection) as queries:
        assert permissions.role_on_task(people.participant, fresh) == "participant"
    assert len(queries.captured_queries) == 1


def test_the_role_read_with_the_task_is_the_one_role_on_task_reads(people, task):
    """``readable_task`` reads the unit's role in the task's own query; the answer is the one
    :func:`permissions.role_on_task` gives on a task read plainly: a unit listed both ways leads,
    a retired assignment grants nothing, an outsider reads no task."""
    unit = people.participant.profile.unit
    assignment = task.assignments.get(unit=unit, retired=False)
    assert assignment.role == Assignment.PARTICIPANT

    def both_ways(user):
        with CaptureQueriesContext(connection) as queries:
            read = permissions.readable_task(user, task.pk)
            role = permissions.role_on_task(user, read) if read is not None else None
        assert len(queries.captured_queries) == 1
        plain = permissions.role_on_task(user, Task.objects.get(pk=task.pk))
        return role, plain

    assert both_ways(people.participant) == ("participant", "participant")
    Assignment.objects.create(
        task=task, index=99, unit=unit, name_as_written=unit.name, role=Assignment.LEAD
    )
    assert both_ways(people.participant) == ("lead", "lead")
    task.assignments.filter(unit=unit).update(retired=True)
    assert both_ways(people.participant) == (None, None)
    assert permissions.readable_task(people.participant, task.pk) is None
    assert permissions.readable_task(people.outsider, task.pk) is None
    assert permissions.readable_task(people.office, task.pk).pk == task.pk


def test_a_documents_periods_are_read_once_a_process_and_never_shared(task):
    """Periods never change after the import that made them: the process keeps their values by
    document and import time; each document instance gets instances of its own."""
    document = task.section.part.document
    fresh = Document.objects.get(pk=document.pk)
    first = periods_of(fresh)
    assert [p.label for p in first] == [p.label for p in Period.objects.filter(document=document)]
    again = Document.objects.get(pk=document.pk)
    with CaptureQueriesContext(connection) as queries:
        second = periods_of(again)
        assert periods_of(again)[0] is second[0]  # the same instances for one document
    assert queries.captured_queries == []
    assert [(p.pk, p.label, p.start, p.end, p.deadline) for p in second] == [
        (p.pk, p.label, p.start, p.end, p.deadline) for p in first
    ]
    assert second[0] is not first[0] and not second[0]._state.adding
    # the same id with another import time (a rolled-back import's id used again) reads again
    other = Document.objects.get(pk=document.pk)
    other.imported_at += timedelta(microseconds=1)
    with CaptureQueriesContext(connection) as queries:
        periods_of(other)
    assert len(queries.captured_queries) == 1
