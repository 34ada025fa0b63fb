"""The demo lets the platform match its mobility list across départements, and the SIAO
match the IML list."""

import pytest

from seuil.core.models import User
from seuil.housing.models import Programme
from seuil.matching import adapters, services
from seuil.matching.enums import RunStatus


@pytest.fixture
def loaded(demo_loaded):
    """The demo of TODAY (written once per run), the clock on TODAY."""


def test_the_platform_places_mobility_households_in_several_departements(loaded):
    platform = User.objects.get(username="plateforme")
    [mobility] = adapters.programmes_for(platform)
    run = services.start_run(mobility, acting_user=platform)
    assert run.status == RunStatus.DONE
    assert len(run.instance["households"]) == 5 and len(run.instance["units"]) == 5
    territories = run.results["optimal"]["territories"]
    assert sum(1 for t in territories.values() if t["placements"]) >= 2
    assert {t["code"] for t in run.instance["territories"]} >= {"60", "80"}


def test_the_siao_matches_the_iml_list(loaded):
    coordinator = User.objects.get(username="coordinatrice-siao")
    iml = Programme.objects.get(ref="iml-r")
    assert iml in adapters.programmes_for(coordinator)
    run = services.start_run(iml, acting_user=coordinator)
    # The household holding the open proposal waits for its answer: left out, and said why.
    assert [item["reason"] for item in run.left_out if item["kind"] == "household"] == [
        "open_proposal"
    ]
    assert len(run.instance["households"]) == 2
