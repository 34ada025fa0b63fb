"""The SIAO's evaluator follows the proposals made to its households, without answering
them; an evaluator of another SIAO sees none."""

from django.urls import reverse

from seuil.core.enums import Role
from seuil.orientation.services.proposals import make_proposal
from tests.core.factories import OrganisationFactory, UserFactory
from tests.matching.scenario import admit, scene, vacant
from tests.orientation.flow import today


def test_the_evaluator_opens_the_proposal_but_cannot_answer_it(client, db):
    s = scene()
    referral = admit(s, "Awa")
    proposal = make_proposal(
        vacant(s, "L-T2"), referral, proposed_on=today(), acting_user=s.coordinator
    )
    evaluator = UserFactory(organisation=s.siao, role=Role.SIAO_EVALUATOR)
    client.force_login(evaluator)
    listing = client.get(reverse("orientation:proposals")).content.decode()
    assert proposal.ref in listing
    page = client.get(reverse("orientation:proposal_detail", args=[proposal.uuid]))
    assert page.status_code == 200
    assert "Enregistrer une réponse" not in page.content.decode()
    answer = reverse("orientation:proposal_answer", args=[proposal.uuid])
    assert client.get(answer).status_code == 403

    stranger = UserFactory(organisation=OrganisationFactory(), role=Role.SIAO_EVALUATOR)
    client.force_login(stranger)
    assert (
        client.get(reverse("orientation:proposal_detail", args=[proposal.uuid])).status_code == 404
    )
    assert proposal.ref not in client.get(reverse("orientation:proposals")).content.decode()
