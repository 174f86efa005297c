"""The charts in a real browser: with values filed at 33%, 95%, 100% and 120.5% of their goals,
no two texts of a chart overlap — a value label, a tick label of an axis, the target line's 目标
— on a desktop and on a phone. Screenshots ``chart-<name>-<device>.png`` in tests/artifacts/e2e/.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from playwright.sync_api import expect

# the texts of an ECharts SVG chart that are drawn (hideOverlap leaves a tick label out by
# making it invisible), and every pair of them whose boxes cross by more than a pixel
OVERLAPS = """(el) => {
  const boxes = [...el.querySelectorAll("svg text")]
    .filter((t) => t.textContent.trim() && getComputedStyle(t).display !== "none"
      && getComputedStyle(t).visibility !== "hidden" && Number(t.getAttribute("opacity") ?? 1) > 0)
    .map((t) => ({ text: t.textContent, box: t.getBoundingClientRect() }))
    .filter((t) => t.box.width > 0 && t.box.height > 0);
  const out = [];
  for (let i = 0; i < boxes.length; i++) {
    for (let j = i + 1; j < boxes.length; j++) {
      const a = boxes[i].box, b = boxes[j].box;
      const x = Math.min(a.right, b.right) - Math.max(a.left, b.left);
      const y = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
      if (x > 1 && y > 1) out.push([boxes[i].text, boxes[j].text]);
    }
  }
  return out;
}"""
SHARES = (Decimal("0.333"), Decimal("0.95"), Decimal("1"), Decimal("1.205"))


@pytest.fixture
def filed(site):
    """The story's lead unit files target values for four of its tasks, at SHARES of goal."""
    from django.contrib.auth import get_user_model

    from luoshi_web.documents.models import Task
    from luoshi_web.tracking import actions
    from luoshi_web.tracking.models import Period

    user = get_user_model().objects.get(username="unit-zj-drc")
    period = Period.objects.get(pk=site.period_pk)
    tasks = list(
        Task.objects.filter(
            section__part__document=site.document,
            assignments__unit__registry_id="zj-drc",
            targets__retired=False,
            targets__value__gt=0,
        )
        .distinct()
        .order_by("pk")[: len(SHARES)]
    )
    assert len(tasks) == len(SHARES)
    for task, share in zip(tasks, SHARES, strict=True):
        targets = task.targets.filter(retired=False, value__gt=0)
        values = {t.pk: (t.value * share).quantize(Decimal("0.001")) for t in targets}
        data = actions.ReportData(narrative="按计划推进。", percent=50, values=values)
        actions.file_report(user, task, period, data, None, submit=True)
    return tasks


def rendered(page, selector):
    chart = page.locator(selector)
    expect(chart).to_have_attribute("data-test-rendered", "1")
    page.wait_for_timeout(1300)  # ECharts' entry animation (1 s)
    return chart


@pytest.mark.parametrize("phone", [False, True], ids=["desktop", "phone"])
def test_no_label_of_a_chart_overlaps_another_or_a_tick(people, site, filed, phone):
    device = "phone" if phone else "desktop"
    office = people.login("office", phone=phone)
    office.goto(f"/supervision/charts/?doc={site.document}")
    for name in ("completion", "lights", "ontime", "targets"):
        chart = office.locator(f'[data-test="chart-{name}"]')
        if chart.locator('[data-test="chart-empty"]').count():
            continue
        chart = rendered(office, f'[data-test="chart-{name}"]')
        chart.screenshot(path=people.artifacts / f"chart-{name}-{device}.png")
        assert chart.evaluate(OVERLAPS) == [], f"{name} on a {device}"
    office.goto(f"/tasks/{filed[1].pk}/")
    chart = rendered(office, '[data-test="chart-task-targets"]')
    chart.screenshot(path=people.artifacts / f"chart-task-targets-{device}.png")
    assert chart.evaluate(OVERLAPS) == [], f"the task's targets on a {device}"
