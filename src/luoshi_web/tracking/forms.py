"""Forms of the tracking pages. They validate input only; the actions decide everything else."""

from __future__ import annotations

from django import forms

from luoshi_web.tracking.actions import ReportData
from luoshi_web.tracking.models import Review


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data if d]
        return [single(data, initial)] if data else []


class ReportForm(forms.Form):
    """A progress report or a consolidation: texts, percent, a value per target, attachments."""

    narrative = forms.CharField(label="工作进展", widget=forms.Textarea(attrs={"rows": 6}))
    percent = forms.IntegerField(label="完成百分比（%）", min_value=0, max_value=100)
    problems = forms.CharField(
        label="存在问题", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    support_needed = forms.CharField(
        label="需要协调支持的事项", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    next_steps = forms.CharField(
        label="下一步打算", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    attachments = MultipleFileField(label="附件", required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def __init__(self, *args, targets=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.targets = list(targets)
        for target in self.targets:
            self.fields[f"target_{target.pk}"] = forms.DecimalField(
                label=f"{target.indicator or target.text}（{target.unit or '数值'}）",
                help_text=target.text,
                required=False,
                max_digits=20,
                decimal_places=6,
            )

    def report_data(self) -> ReportData:
        data = self.cleaned_data
        return ReportData(
            narrative=data["narrative"],
            percent=data["percent"],
            problems=data["problems"],
            support_needed=data["support_needed"],
            next_steps=data["next_steps"],
            values={t.pk: data.get(f"target_{t.pk}") for t in self.targets},
            attachments=data["attachments"],
        )


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label="审核决定", choices=Review.DECISIONS, widget=forms.RadioSelect
    )
    reason = forms.CharField(
        label="理由（退回时必填）", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    new_deadline = forms.DateField(
        label="新的截止日期（延期时必填）",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def clean(self):
        data = super().clean()
        if data.get("decision") == Review.RETURN and not (data.get("reason") or "").strip():
            self.add_error("reason", "退回须说明理由")
        if data.get("decision") == Review.EXTEND and not data.get("new_deadline"):
            self.add_error("new_deadline", "延期须给出新的截止日期")
        return data


class ReturnForm(forms.Form):
    reason = forms.CharField(label="退回理由", widget=forms.Textarea(attrs={"rows": 3}))
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)


class ReminderForm(forms.Form):
    unit = forms.ChoiceField(label="催办单位")
    message = forms.CharField(label="催办内容", widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, units=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = [(u.pk, u.name) for u in units]


class InstructionForm(forms.Form):
    on = forms.ChoiceField(label="批示对象", choices=[("task", "本项任务"), ("section", "本部分")])
    text = forms.CharField(label="批示内容", widget=forms.Textarea(attrs={"rows": 4}))
