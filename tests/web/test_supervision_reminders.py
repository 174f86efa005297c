"""Chasing late units (催办): the overdue list, the office's chase form, a unit's reminders on
its page, marking them read, the digest page and the ``digest`` command."""

from __future__ import annotations

from datetime import date

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from luoshi_web.documents.models import Unit
from luoshi_web.notify.models import DeliveryLog
from luoshi_web.supervision import overview
from luoshi_web.tracking import actions
from luoshi_web.tracking.models import Reminder

pytestmark = pytest.mark.django_db
LATER = date(2024, 4, 20)  # 2024-03 is due on 2024-04-05


def overdue_for(document, period, today=LATER):
    rows = overview.load(overview.overdue(document, period, today))
    return {(r.task.pk, r.unit.registry_id) for r in rows}


def test_a_unit_is_overdue_once_the_deadline_passed_without_its_report(
    people, document, task, period, data
):
    assert overdue_for(document, period, date(2024, 4, 5)) == set()  # the deadline day itself
    late = overdue_for(document, period)
    assert {(task.pk, "zj-finance"), (task.pk, "zj-drc")} <= late
    actions.file_report(people.participant, task, period, data(), 0, submit=True)
    late = overdue_for(document, period)
    assert (task.pk, "zj-drc") not in late
    assert (task.pk, "zj-finance") in late


def test_a_draft_is_no_filing_and_an_extension_takes_the_task_off_the_list(
    people, document, task, period, data
):
    actions.file_report(people.lead_unit, task, period, data(), 0)  # a draft
    assert (task.pk, "zj-finance") in overdue_for(document, period)
    actions.grant_extension(people.office, task, period, date(2024, 4, 30), "因故延期")
    assert not {k for k in overdue_for(document, period) if k[0] == task.pk}


def _post_chase(client, document, period, keys, message="请于三日内报送", unit=None, **extra):
    data = {"doc": document.pk, "period": period.pk, "items": keys, "message": message}
    if unit is not None:
        data["unit"] = unit
    return client.post(reverse("supervision:remind"), data, **extra)


def test_the_office_chases_the_ticked_units_one_reminder_each_in_the_history(
    people, client_for, document, task, period
):
    client = client_for(people.office)
    rows = client.get(
        reverse("supervision:overview"), {"doc": document.pk, "period": period.pk}
    ).context["overdue_all"]
    keys = [r.key for r in rows if r.task_id == task.pk]
    assert len(keys) == 2
    response = _post_chase(client, document, period, keys)
    assert response.status_code == 302
    assert response["Location"].endswith("#overdue")
    reminders = Reminder.objects.filter(task=task, period=period)
    assert {r.unit.registry_id for r in reminders} == {"zj-finance", "zj-drc"}
    assert all(r.message == "请于三日内报送" and r.sent_by == people.office for r in reminders)
    history = Reminder.history.filter(task_id=task.pk)
    assert history.count() == 2
    assert {h.history_change_reason for h in history} == {"催办"}
    assert {h.history_user for h in history} == {people.office}
    # the list counts what was sent
    row = next(
        r
        for r in client.get(
            reverse("supervision:overview"), {"doc": document.pk, "period": period.pk}
        ).context["overdue_all"]
        if r.task_id == task.pk
    )
    assert row.reminders == 1


def test_an_htmx_chase_answers_with_the_overdue_section_and_a_confirmation(
    people, client_for, document, task, period
):
    client = client_for(people.office)
    key = f"{task.pk}:{Unit.objects.get(registry_id='zj-drc').pk}:{period.pk}"
    response = _post_chase(client, document, period, [key], HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    page = response.content.decode()
    assert page.lstrip().startswith('<section class="card" id="overdue"')
    assert 'data-test="chase-sent"' in page and "省发展改革委" in page


def test_a_chase_with_nothing_ticked_comes_back_with_the_message_as_typed(
    people, client_for, document, period
):
    client = client_for(people.office)
    response = _post_chase(client, document, period, [], message="我写的<催办>内容")
    assert response.status_code == 400
    page = response.content.decode()
    assert "请至少选择一个逾期单位" in page
    assert "我写的&lt;催办&gt;内容" in page
    assert not Reminder.objects.exists()


def test_a_chase_of_a_unit_no_longer_overdue_is_refused_and_sends_nothing(
    people, client_for, document, task, period, data
):
    client = client_for(people.office)
    drc = Unit.objects.get(registry_id="zj-drc")
    finance = Unit.objects.get(registry_id="zj-finance")
    actions.file_report(people.participant, task, period, data(), 0, submit=True)
    keys = [f"{task.pk}:{finance.pk}:{period.pk}", f"{task.pk}:{drc.pk}:{period.pk}"]
    response = _post_chase(client, document, period, keys, HTTP_HX_REQUEST="true")
    assert response.status_code == 400
    assert "已不在逾期名单上" in response.content.decode()
    assert not Reminder.objects.exists()


def test_a_chase_without_a_message_keeps_the_ticked_boxes(
    people, client_for, document, task, period
):
    client = client_for(people.office)
    finance = Unit.objects.get(registry_id="zj-finance")
    key = f"{task.pk}:{finance.pk}:{period.pk}"
    response = _post_chase(client, document, period, [key], message="", unit=finance.pk)
    assert response.status_code == 400
    page = response.content.decode()
    assert f'value="{key}" id="item-{key}" data-test="overdue-item" checked' in page
    assert f'name="unit" value="{finance.pk}"' in page
    assert not Reminder.objects.exists()


@pytest.mark.parametrize("role", ["leader", "lead_unit", "participant"])
def test_only_the_office_chases(people, client_for, document, task, period, role):
    key = f"{task.pk}:{Unit.objects.get(registry_id='zj-drc').pk}:{period.pk}"
    response = _post_chase(client_for(getattr(people, role)), document, period, [key])
    assert response.status_code == 403
    assert not Reminder.objects.exists()


def test_a_unit_sees_its_reminders_unread_first_and_marks_them_read(
    people, client_for, task, other_task, period
):
    drc = Unit.objects.get(registry_id="zj-drc")
    first = actions.send_reminder(people.office, task, drc, period, "第一次催办")
    second = actions.send_reminder(people.office, other_task, drc, period, "第二次催办")
    actions.mark_reminder_read(people.participant, second)
    client = client_for(people.participant)
    page = client.get(reverse("supervision:unit", args=[drc.pk]))
    assert [r.pk for r in page.context["reminders"]] == [first.pk, second.pk]
    assert page.context["unread"] == 1
    response = client.post(
        reverse("supervision:reminder-read", args=[first.pk]), HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    assert 'data-read="1"' in response.content.decode()
    first.refresh_from_db()
    assert first.read_at is not None
    assert Reminder.history.filter(id=first.pk, history_change_reason="已读").exists()
    # without JavaScript: a redirect back to the unit's page
    third = actions.send_reminder(people.office, task, drc, period, "第三次")
    response = client.post(reverse("supervision:reminder-read", args=[third.pk]))
    assert response["Location"] == reverse("supervision:unit", args=[drc.pk])


def test_another_unit_cannot_see_or_mark_a_reminder_and_the_office_cannot_mark_it(
    people, client_for, task, period
):
    drc = Unit.objects.get(registry_id="zj-drc")
    reminder = actions.send_reminder(people.office, task, drc, period, "催办")
    url = reverse("supervision:reminder-read", args=[reminder.pk])
    assert client_for(people.lead_unit).post(url).status_code == 404
    assert client_for(people.office).post(url).status_code == 403
    reminder.refresh_from_db()
    assert reminder.read_at is None


def test_the_digest_page_shows_a_unit_its_unread_reminders_and_that_it_has_no_address(
    people, client_for, task, period
):
    drc = Unit.objects.get(registry_id="zj-drc")
    actions.send_reminder(people.office, task, drc, period, "请报送三月进展")
    response = client_for(people.participant).get(reverse("supervision:digest"))
    page = response.content.decode()
    assert "请报送三月进展" in page
    assert 'data-test="no-address"' in page
    assert 'data-test="digest-send"' not in page
    # another unit's digest is not in it
    other = client_for(people.lead_unit).get(reverse("supervision:digest")).content.decode()
    assert "请报送三月进展" not in other


def test_the_digest_command_mails_each_unit_once_and_logs_every_attempt(
    people, task, other_task, period, settings
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.LUOSHI_NOTIFY = {**settings.LUOSHI_NOTIFY, "channels": ["email"]}
    people.participant.email = "drc@example.org"
    people.participant.save()
    drc = Unit.objects.get(registry_id="zj-drc")
    finance = Unit.objects.get(registry_id="zj-finance")
    actions.send_reminder(people.office, task, drc, period, "请报送三月进展")
    actions.send_reminder(people.office, other_task, drc, period, "请报送生产总值进展")
    actions.send_reminder(people.office, task, finance, period, "请牵头汇总")
    call_command("digest", "--send", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["drc@example.org"]
    assert "省发展改革委" in message.subject and "2 条" in message.subject
    assert "请报送三月进展" in message.body and "请报送生产总值进展" in message.body
    logs = {log.unit.registry_id: log for log in DeliveryLog.objects.all()}
    assert logs["zj-drc"].ok and len(logs["zj-drc"].reminder_ids) == 2
    assert not logs["zj-finance"].ok and logs["zj-finance"].detail == "没有收件地址"
    # run again: nothing new for 省发展改革委; 省财政厅 is tried again (it has still no address)
    call_command("digest", "--send", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert len(mail.outbox) == 1
    assert DeliveryLog.objects.filter(unit=drc).count() == 1


def test_the_office_sends_the_digests_from_the_page(people, client_for, task, period, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    people.lead_unit.email = "finance@example.org"
    people.lead_unit.save()
    actions.send_reminder(
        people.office, task, Unit.objects.get(registry_id="zj-finance"), period, "请牵头汇总"
    )
    client = client_for(people.office)
    assert 'data-test="digest-send"' in client.get(reverse("supervision:digest")).content.decode()
    response = client.post(reverse("supervision:digest-send"))
    assert response.status_code == 302
    assert mail.outbox[0].to == ["finance@example.org"]
    assert client_for(people.lead_unit).post(reverse("supervision:digest-send")).status_code == 403
