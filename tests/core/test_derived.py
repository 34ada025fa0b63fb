"""A result computed from records is stored only if those records did not change while it
was computed (`core.derived`): otherwise it is computed again from the records as saved."""

import pytest

from seuil.core import derived
from seuil.core.models import Organisation

pytestmark = pytest.mark.django_db


def test_a_result_computed_during_a_change_is_computed_again_before_it_is_stored():
    Organisation.objects.create(ref="avant", name="Avant")
    computed = []

    def compute():
        names = sorted(Organisation.objects.values_list("name", flat=True))
        computed.append(names)
        if len(computed) == 1:  # another request saves a change meanwhile
            Organisation.objects.create(ref="pendant", name="Pendant")
            derived.move(["organisations"])
        return names

    stored = derived.store_unless_moved("organisations", compute, lambda names: names)
    assert stored == ["Avant", "Pendant"]
    assert len(computed) == 2


def test_inputs_that_keep_changing_are_stored_after_the_last_attempt():
    attempts = []

    def compute():
        attempts.append(1)
        derived.move(["busy"])
        return len(attempts)

    assert derived.store_unless_moved("busy", compute, lambda n: n) == derived.ATTEMPTS


def test_a_change_to_other_inputs_does_not_make_it_compute_again():
    calls = []

    def compute():
        calls.append(1)
        derived.move(["other"])
        return "ok"

    assert derived.store_unless_moved("mine", compute, lambda r: r) == "ok"
    assert len(calls) == 1
