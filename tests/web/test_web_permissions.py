"""The permission matrix: office, the section's leader, another leader, the lead unit, a
participant unit, a unit not on the task, anonymous — in the actions and in the pages alike."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from luoshi_web.accounts import permissions
from luoshi_web.tracking import actions
from luoshi_web.tracking.models import ProgressReport, Review

pytestmark = pytest.mark.django_db

# role → status of the task page, the filing form, the consolidation form, the import page
PAGES = [
    ("office", 200, 403, 403, 200),
    ("leader", 200, 403, 403, 403),
    ("other_leader", 404, 404, 404, 403),
    ("lead_unit", 200, 200, 200, 403),
    ("participant", 200, 200, 403, 403),
    ("outsider", 404, 404, 404, 403),
]


@pytest.mark.parametrize(("role", "task_page", "filing", "consolidating", "importing"), PAGES)
def test_the_pages_answer_each_role_as_the_matrix_says(
    people, client_for, task, period, role, task_page, filing, consolidating, importing
):
    client = client_for(getattr(people, role))
    assert client.get(reverse("task-detail", args=[task.pk])).status_code == task_page
    assert client.get(reverse("report-form", args=[task.pk, period.pk])).status_code == filing
    url = reverse("consolidation-form", args=[task.pk, period.pk])
    assert client.get(url).status_code == consolidating
    assert client.get(reverse("import")).status_code == importing


def test_anonymous_is_sent_to_the_login_page_from_every_page(people, client_for, task, period):
    client = client_for(people.anonymous)
    for url in (
        reverse("task-list"),
        reverse("task-detail", args=[task.pk]),
        reverse("report-form", args=[task.pk, period.pk]),
        reverse("import"),
    ):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


def test_anonymous_sees_no_task(people, task):
    assert not permissions.visible_tasks(people.anonymous).exists()
    assert not permissions.can_view_task(people.anonymous, task)


def test_a_user_without_a_profile_sees_nothing(db, task, django_user_model):
    nobody = django_user_model.objects.create_user("nobody", password="x")
    assert not permissions.visible_tasks(nobody).exists()
    assert not permissions.can_view_task(nobody, task)


def test_an_inactive_office_user_sees_nothing(people, task):
    people.office.is_active = False
    assert not permissions.can_view_task(people.office, task)


def test_the_office_sees_every_task(people, document):
    from luoshi_web.documents.models import Task

    assert permissions.visible_tasks(people.office).count() == Task.objects.count()


def test_a_unit_sees_only_the_tasks_its_unit_is_assigned_to(people):
    tasks = permissions.visible_tasks(people.participant)
    assert tasks.exists()
    for task in tasks:
        assert task.assignments.filter(unit__registry_id="zj-drc").exists()


def test_the_task_list_shows_a_unit_only_its_tasks(people, client_for, task, other_task):
    client = client_for(people.lead_unit)
    response = client.get(reverse("task-list"), {"q": "专项债券"})
    assert task in [t for t, _ in response.context["rows"]]
    response = client.get(reverse("task-list"))
    count = permissions.visible_tasks(people.lead_unit).count()
    assert response.context["page"].paginator.count == count
    assert other_task not in permissions.visible_tasks(people.lead_unit)


def test_a_leader_sees_the_tasks_of_the_sections_they_lead(people, task, other_task):
    assert permissions.can_view_task(people.leader, task)
    assert not permissions.can_view_task(people.leader, other_task)
    assert permissions.can_view_task(people.other_leader, other_task)


def test_the_lead_unit_files_its_own_report(people, task, period, data):
    report = actions.file_report(people.lead_unit, task, period, data(), 0, submit=True)
    assert report.unit.registry_id == "zj-finance"


def test_a_participant_files_its_own_report(people, task, period, data):
    report = actions.file_report(people.participant, task, period, data(), 0)
    assert report.unit.registry_id == "zj-drc"


def test_it_refuses_a_report_from_a_unit_not_on_the_task(people, task, period, data):
    with pytest.raises(PermissionDenied):
        actions.file_report(people.outsider, task, period, data(), 0)


def test_it_refuses_a_report_from_the_office_a_leader_or_anonymous(people, task, period, data):
    for user in (people.office, people.leader, people.anonymous):
        with pytest.raises(PermissionDenied):
            actions.file_report(user, task, period, data(), 0)


def test_a_unit_posting_to_a_task_it_is_not_on_gets_404(people, client_for, task, period):
    client = client_for(people.outsider)
    url = reverse("report-form", args=[task.pk, period.pk])
    response = client.post(url, {"narrative": "x", "percent": 5, "version": 0, "submit": "1"})
    assert response.status_code == 404
    assert not ProgressReport.objects.filter(task=task).exists()


def test_a_unit_cannot_submit_or_return_another_units_report(people, task, period, data):
    report = actions.file_report(people.lead_unit, task, period, data(), 0)
    with pytest.raises(PermissionDenied):
        actions.submit_report(people.participant, report)
    actions.submit_report(people.lead_unit, report)
    with pytest.raises(PermissionDenied):
        actions.return_report(people.participant, report, "不行")


def test_a_participant_reads_only_its_own_reports(people, task, period, data):
    actions.file_report(people.lead_unit, task, period, data(), 0, submit=True)
    mine = actions.file_report(people.participant, task, period, data(), 0, submit=True)
    assert list(permissions.visible_reports(people.participant, task)) == [mine]
    assert permissions.visible_reports(people.lead_unit, task).count() == 2
    assert permissions.visible_reports(people.leader, task).count() == 2
    assert not permissions.visible_reports(people.outsider, task).exists()


def test_the_lead_unit_returns_a_partners_report_but_a_partner_cannot(people, task, period, data):
    theirs = actions.file_report(people.participant, task, period, data(), 0, submit=True)
    actions.return_report(people.lead_unit, theirs, "请补充债券额度")
    theirs.refresh_from_db()
    assert theirs.state == "returned"
    assert theirs.return_reason == "请补充债券额度"


def test_only_a_lead_unit_consolidates(people, task, period, data):
    actions.consolidate(people.lead_unit, task, period, data(), 0)
    for user in (people.participant, people.outsider, people.office, people.leader):
        with pytest.raises(PermissionDenied):
            actions.consolidate(user, task, period, data(), None)


def test_only_the_office_reviews(people, task, period, data):
    consolidation = actions.consolidate(people.lead_unit, task, period, data(), 0, submit=True)
    for user in (people.lead_unit, people.participant, people.leader, people.anonymous):
        with pytest.raises(PermissionDenied):
            actions.review(user, consolidation, Review.ACCEPT)
    actions.review(people.office, consolidation, Review.ACCEPT)


def test_only_the_office_reviews_through_the_page(people, client_for, task, period, data):
    consolidation = actions.consolidate(people.lead_unit, task, period, data(), 0, submit=True)
    url = reverse("review-form", args=[consolidation.pk])
    assert (
        client_for(people.lead_unit).post(url, {"decision": "accept", "version": 1}).status_code
        == 403
    )
    assert client_for(people.outsider).get(url).status_code == 404
    assert client_for(people.office).get(url).status_code == 200


def test_the_section_leader_writes_instructions_and_nobody_else(people, task):
    actions.write_instruction(people.leader, task.section, "抓紧推进")
    actions.write_instruction(people.leader, task, "专项债券要早发快用")
    for user in (people.other_leader, people.office, people.lead_unit, people.anonymous):
        with pytest.raises(PermissionDenied):
            actions.write_instruction(user, task, "x")


def test_only_the_office_sends_reminders(people, task, period):
    unit = people.participant.profile.unit
    actions.send_reminder(people.office, task, unit, period, "请按时报送")
    with pytest.raises(PermissionDenied):
        actions.send_reminder(people.lead_unit, task, unit, period, "请按时报送")


def test_only_the_office_grants_an_extension(people, task, period):
    with pytest.raises(PermissionDenied):
        actions.grant_extension(people.lead_unit, task, period, date(2024, 4, 20))
    actions.grant_extension(people.office, task, period, date(2024, 4, 20), "汛期")


def test_an_attachment_is_not_served_to_a_unit_not_on_the_task(
    people, client_for, task, period, data
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("进展.txt", "附件内容".encode(), "text/plain")
    report = actions.file_report(
        people.participant, task, period, data(attachments=[upload]), 0, submit=True
    )
    attachment = report.attachments.get()
    url = reverse("attachment", args=[attachment.pk])
    assert client_for(people.outsider).get(url).status_code == 404
    assert client_for(people.lead_unit).get(url).status_code == 200
    assert client_for(people.office).get(url).status_code == 200
