"""Two edits of the same report from the same version: the second is refused with a clear
conflict (who changed it, when), and nothing is lost — the first is saved, the second is shown
back to its author as typed."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from luoshi_web.accounts.models import Profile
from luoshi_web.tracking import actions
from luoshi_web.tracking.models import Consolidation, ProgressReport

pytestmark = pytest.mark.django_db


@pytest.fixture
def colleague(people):
    """A second user of the lead unit (省财政厅)."""
    user = get_user_model().objects.create_user("colleague", password="x", first_name="李同事")
    Profile.objects.create(user=user, role="unit", unit=people.lead_unit.profile.unit)
    return user


def test_the_second_of_two_edits_from_one_version_gets_a_conflict(
    people, colleague, task, period, data
):
    report = actions.file_report(people.lead_unit, task, period, data(), 0)
    version = report.version
    actions.file_report(colleague, task, period, data(narrative="同事的修改"), version)
    with pytest.raises(actions.Conflict) as refused:
        actions.file_report(people.lead_unit, task, period, data(narrative="我的修改"), version)
    assert "李同事" in refused.value.message
    assert "修改" in refused.value.message
    report.refresh_from_db()
    assert report.narrative == "同事的修改"
    assert report.version == version + 1


def test_two_first_saves_of_a_new_report_conflict(people, colleague, task, period, data):
    actions.file_report(colleague, task, period, data(narrative="先到"), 0)
    with pytest.raises(actions.Conflict):
        actions.file_report(people.lead_unit, task, period, data(narrative="后到"), 0)
    assert ProgressReport.objects.get(task=task, period=period).narrative == "先到"


def test_the_form_shows_the_conflict_and_keeps_what_was_typed(
    people, colleague, client_for, task, period, data
):
    url = reverse("report-form", args=[task.pk, period.pk])
    mine, theirs = client_for(people.lead_unit), client_for(colleague)
    version = mine.get(url).context["form"].initial["version"]
    form = {"narrative": "同事写的", "percent": 20, "version": version}
    assert theirs.post(url, form).status_code == 302
    form = {"narrative": "我写了很长的一段进展，不能丢", "percent": 30, "version": version}
    response = mine.post(url, form)
    assert response.status_code == 409
    page = response.content.decode()
    assert "修改冲突" in page
    assert "李同事" in page
    assert "我写了很长的一段进展，不能丢" in page  # the form comes back as typed
    assert ProgressReport.objects.get(task=task, period=period).narrative == "同事写的"


def test_a_consolidation_edited_from_an_old_version_conflicts(
    people, colleague, task, period, data
):
    first = actions.consolidate(people.lead_unit, task, period, data(), 0)
    actions.consolidate(colleague, task, period, data(percent=40), first.version)
    with pytest.raises(actions.Conflict):
        actions.consolidate(people.lead_unit, task, period, data(percent=50), first.version)
    assert Consolidation.objects.get(task=task, period=period).percent == 40


def test_a_review_of_a_consolidation_changed_meanwhile_conflicts(people, task, period, data):
    consolidation = actions.consolidate(people.lead_unit, task, period, data(), 0, submit=True)
    seen = consolidation.version
    actions.consolidate(people.lead_unit, task, period, data(percent=60), seen, submit=True)
    with pytest.raises(actions.Conflict):
        actions.review(people.office, consolidation, "accept", expected_version=seen)
