"""The matching form reads its numbers strictly: ASCII digits, within bounds, never a 500."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from seuil.matching.forms import MAX_HOUSEHOLDS, StartRunForm
from seuil.matching.models import MatchingRun


def quota_errors(text):
    form = StartRunForm({"territory_quotas": text}, programmes=MatchingRun.objects.none())
    form.is_valid()
    return form.errors.get("territory_quotas")


@pytest.mark.parametrize("count", ["²", "1²", "٣", "1e3", "-1", "1 000", "9" * 30])
def test_a_quota_that_is_not_a_plain_bounded_count_is_refused(count):
    assert quota_errors(f"80 : {count}")


def test_a_quota_above_the_bound_says_the_maximum():
    errors = quota_errors(f"60 : {MAX_HOUSEHOLDS + 1}")
    assert errors == [
        f"Ligne 1 : {MAX_HOUSEHOLDS + 1} ménages, c'est plus que le maximum possible "
        f"({MAX_HOUSEHOLDS} ménages)."
    ]


@given(st.text(max_size=40))
def test_any_text_gives_quotas_or_a_french_error(text):
    form = StartRunForm({"territory_quotas": text}, programmes=MatchingRun.objects.none())
    if form.is_valid() or "territory_quotas" not in form.errors:
        quotas = form.cleaned_data["territory_quotas"]
        assert all(0 <= q["max"] <= MAX_HOUSEHOLDS for q in quotas.values())
    else:
        message = form.errors["territory_quotas"][0]
        assert message.startswith(("Ligne ", "Caractère de contrôle interdit (U+")) or (
            message == "Le caractère nul n’est pas autorisé."
        )


def test_priority_points_are_bounded():
    form = StartRunForm(
        {"priority_points": "9" * 30, "priority_share": "10"},
        programmes=MatchingRun.objects.none(),
    )
    assert not form.is_valid()
    assert "priority_points" in form.errors
