"""Fill the household links (households 0004) from the requests, referrals and stays already
recorded, so that an upgraded instance gives scope ``linked`` what the records say.

It calls the application's own link sources (`households.links.refresh_all_links`): the
rule is written once; on a new database there is nothing to fill.
"""

from django.db import migrations


def fill(apps, schema_editor):
    from seuil.households.links import refresh_all_links

    refresh_all_links()


class Migration(migrations.Migration):
    dependencies = [
        ("orientation", "0003_assessment_job_territory"),
        ("households", "0004_household_links_and_handovers"),
        ("housing", "0002_version_for_optimistic_locking"),
    ]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
