"""API v1 (`/api/v1/`): DRF routers over the scoped viewsets, and the OpenAPI schema."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import DefaultRouter

from seuil.core.api import CachedSchemaGenerator
from seuil.core.views_policy import policy
from seuil.households.api import HouseholdViewSet, MembershipViewSet, PersonViewSet
from seuil.housing.api import (
    HousingUnitViewSet,
    LandlordViewSet,
    ProgrammeViewSet,
    SectorViewSet,
    StayViewSet,
)
from seuil.outcomes.api import FollowUpViewSet, MobilityFileViewSet
from seuil.support.api import (
    ContactViewSet,
    EmploymentRecordViewSet,
    FrenchLevelRecordViewSet,
    MeetingViewSet,
    ObjectiveViewSet,
    PartnerReferralViewSet,
    ReviewViewSet,
    SupportContractViewSet,
    TrainingRecordViewSet,
)
from seuil.tenancy.api import (
    PaymentViewSet,
    RentCallViewSet,
    RepaymentPlanViewSet,
    SubLeaseViewSet,
)

router = DefaultRouter()
router.include_root_view = False
router.register("households", HouseholdViewSet, basename="household")
router.register("persons", PersonViewSet, basename="person")
router.register("memberships", MembershipViewSet, basename="membership")
router.register("housing-units", HousingUnitViewSet, basename="housing-unit")
router.register("stays", StayViewSet, basename="stay")
router.register("programmes", ProgrammeViewSet, basename="programme")
router.register("sectors", SectorViewSet, basename="sector")
router.register("landlords", LandlordViewSet, basename="landlord")
router.register("sub-leases", SubLeaseViewSet, basename="sub-lease")
router.register("rent-calls", RentCallViewSet, basename="rent-call")
router.register("payments", PaymentViewSet, basename="payment")
router.register("repayment-plans", RepaymentPlanViewSet, basename="repayment-plan")
router.register("support-contracts", SupportContractViewSet, basename="support-contract")
router.register("contacts", ContactViewSet, basename="contact")
router.register("objectives", ObjectiveViewSet, basename="objective")
router.register("partner-referrals", PartnerReferralViewSet, basename="partner-referral")
router.register("employment-records", EmploymentRecordViewSet, basename="employment-record")
router.register("training-records", TrainingRecordViewSet, basename="training-record")
router.register("french-level-records", FrenchLevelRecordViewSet, basename="french-level-record")
router.register("reviews", ReviewViewSet, basename="review")
router.register("meetings", MeetingViewSet, basename="meeting")
router.register("follow-ups", FollowUpViewSet, basename="follow-up")
router.register("mobility-files", MobilityFileViewSet, basename="mobility-file")

urlpatterns = [
    path(
        "schema/",
        policy(read=None)(SpectacularAPIView.as_view(generator_class=CachedSchemaGenerator)),
        name="api-schema",
    ),
    path("", include(router.urls)),
]
