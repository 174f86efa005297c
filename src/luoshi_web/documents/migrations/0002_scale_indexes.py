"""Indexes for a country's worth of tasks (bench/scale): a unit's tasks and roles from one
partial covering index; documents read newest year first."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("documents", "0001_initial"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="assignment",
            index=models.Index(
                condition=models.Q(("retired", False)),
                fields=["unit", "task"],
                include=("role",),
                name="assignment_unit_task",
            ),
        ),
        migrations.AddIndex(
            model_name="document",
            index=models.Index(fields=["year", "id"], name="document_year"),
        ),
    ]
