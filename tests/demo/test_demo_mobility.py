"""The demo walks national mobility paths from a shelter in Île-de-France to the Somme."""

from django.urls import reverse

from seuil.outcomes.enums import PATH
from seuil.outcomes.models import FollowUp, MobilityFile


def test_a_path_reaches_the_handover_and_its_household_is_followed_for_two_years(demo_loaded):
    files = MobilityFile.objects.filter(departure__ref="cada94")
    done = files.filter(status="handover", arrival_department="80").order_by("opened_on").first()
    assert done is not None and done.departure.department == "94"
    steps = list(
        done.transitions.order_by("on", "at", "id").values_list("to_status", "by__username")
    )
    assert [s for s, _ in steps if s != "meeting"] == [s for s in PATH if s != "meeting"]
    assert {by for _, by in steps} == {"plateforme", "structure-depart", "travailleur-social"}
    assert done.file_received_on and done.transmitted and done.moved_on
    assert done.meetings.filter(held_on__isnull=False).count() == 2
    stay = done.household.stays.get(organisation__ref="apremis")
    follow_ups = FollowUp.objects.filter(stay=stay).order_by("on")
    assert [round((f.on - stay.exited_on).days / 30.4) for f in follow_ups] == [6, 12, 24]
    assert all(f.housed is not None and f.employed is not None for f in follow_ups)
    # Households wait at other steps too.
    assert {"information", "meeting", "acceptance", "support"} <= set(
        files.values_list("status", flat=True)
    )


def test_the_platform_dashboard_shows_the_outcomes_of_the_demo_households(demo_loaded, client):
    from seuil.core.models import User

    client.force_login(User.objects.get(username="plateforme"))
    body = client.get(reverse("mobility:files")).content.decode()
    assert "Ahmadi" in body
    # Two households went the whole way: both followed at 6 and 12 months, one at 24.
    assert "Après la sortie" in body
