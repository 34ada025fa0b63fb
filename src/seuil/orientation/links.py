"""How orientation links a household to organisations other than the one holding its file.

Each function takes an organisation id and returns a queryset of Household ids; they are
registered with `core.scoping.register_household_link`, so that scope ``own`` of every
household record (the file, its members, stays, requests…) covers them:

- a SIAO sees the households whose request is addressed to it;
- an operator sees the households admitted to one of its programmes, while they wait on
  its waiting list and once housed (not after a withdrawal before entry);
- an operator sees the households staying (or having stayed) in its units: since a stay
  belongs to the organisation running the unit, whoever holds the file (a household
  oriented by the SIAO enters the operator's unit), the operator follows it.

A landlord is never linked to a household file: it sees the proposals of its units through
their own queryset (`Proposal.objects.visible_to`), and a social note only with consent.
"""

from seuil.housing.models import Stay

from .enums import ReferralStatus
from .models import Referral, Request


def households_asking(organisation_id):
    return Request.objects.filter(siao_id=organisation_id).values("household_id")


def households_oriented_to(organisation_id):
    return Referral.objects.filter(
        programme__organisation_id=organisation_id,
        status__in=(ReferralStatus.WAITING, ReferralStatus.HOUSED),
    ).values("household_id")


def households_staying_with(organisation_id):
    return Stay.objects.filter(organisation_id=organisation_id).values("household_id")
