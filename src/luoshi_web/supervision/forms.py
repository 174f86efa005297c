"""Forms of the supervision pages. They validate input only; the actions decide the rest."""

from __future__ import annotations

from django import forms


class ChaseForm(forms.Form):
    """Chase the overdue units ticked on the overdue list (催办)."""

    items = forms.MultipleChoiceField(
        label="逾期单位",
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": "请至少选择一个逾期单位",
            "invalid_choice": "所选的 %(value)s 已不在逾期名单上（可能刚刚报送），请刷新后重新选择",
        },
    )
    message = forms.CharField(
        label="催办内容", max_length=1000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, keys=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["items"].choices = [(k, k) for k in keys]


class YearEndForm(forms.Form):
    file = forms.FileField(
        label="下一年度政府工作报告",
        help_text="PDF、Word（docx）、网页（html）、文本（txt、md），不超过 20 MB",
    )
