# The title and legal act of a policy version in Kazakh, Russian and English. The single-language values
# stored before (entered in English) become the English wording; Kazakh and Russian are filled by the next
# load of the data files (or entered), and until then the pages fall back to English.

from django.db import migrations, models


def move_to_english(apps, schema_editor):
    """Keep every stored title and legal act: they were written in English."""
    PolicyVersion = apps.get_model("core", "PolicyVersion")
    for version in PolicyVersion.objects.all():
        version.title_en, version.legal_act_en = version.title, version.legal_act
        version.save(update_fields=["title_en", "legal_act_en"])


def move_back(apps, schema_editor):
    """Undo: the single value takes the English wording, else the Russian, else the Kazakh."""
    PolicyVersion = apps.get_model("core", "PolicyVersion")
    for version in PolicyVersion.objects.all():
        version.title = version.title_en or version.title_ru or version.title_kk
        version.legal_act = version.legal_act_en or version.legal_act_ru or version.legal_act_kk
        version.save(update_fields=["title", "legal_act"])


class Migration(migrations.Migration):

    dependencies = [
        ("core", "0004_audit_lanes"),
    ]

    operations = [
        migrations.AddField(
            model_name="policyversion",
            name="title_kk",
            field=models.CharField(blank=True, max_length=300, verbose_name="title (Kazakh)"),
        ),
        migrations.AddField(
            model_name="policyversion",
            name="title_ru",
            field=models.CharField(blank=True, max_length=300, verbose_name="title (Russian)"),
        ),
        migrations.AddField(
            model_name="policyversion",
            name="title_en",
            field=models.CharField(blank=True, max_length=300, verbose_name="title (English)"),
        ),
        migrations.AddField(
            model_name="policyversion",
            name="legal_act_kk",
            field=models.CharField(blank=True, max_length=300, verbose_name="legal act (Kazakh)"),
        ),
        migrations.AddField(
            model_name="policyversion",
            name="legal_act_ru",
            field=models.CharField(blank=True, max_length=300, verbose_name="legal act (Russian)"),
        ),
        migrations.AddField(
            model_name="policyversion",
            name="legal_act_en",
            field=models.CharField(blank=True, max_length=300, verbose_name="legal act (English)"),
        ),
        # Blank before they go, so that undoing the removal can add the columns to stored rows (empty, then
        # filled by move_back).
        migrations.AlterField(
            model_name="policyversion",
            name="title",
            field=models.CharField(blank=True, max_length=300, verbose_name="title"),
        ),
        migrations.AlterField(
            model_name="policyversion",
            name="legal_act",
            field=models.CharField(blank=True, max_length=300, verbose_name="legal act"),
        ),
        migrations.RunPython(move_to_english, move_back),
        migrations.RemoveField(
            model_name="policyversion",
            name="title",
        ),
        migrations.RemoveField(
            model_name="policyversion",
            name="legal_act",
        ),
    ]
