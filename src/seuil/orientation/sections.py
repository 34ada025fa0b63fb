"""What orientation adds to the pages of the apps below (registered in `OrientationConfig.ready`):
the "Orientation" section of a household's file (slot ``household_sections``) and the
"Vacance" section of a unit's page (slot ``unit_sections``)."""

import datetime

from django.utils import timezone

from . import permissions, vacancies
from .models import Request, Vacancy
from .services.vacancies import vacancy_errors


def household_orientation(request, household):
    """The household's requests to SIAOs, where each stands (waiting list, proposal), and
    the link to record a new one; nothing for a user who may not see requests."""
    user = request.user
    if not permissions.can_view_requests(user):
        return None
    requests = list(
        Request.objects.of_household(household, user)
        .select_related("siao", "referral__programme")
        .order_by("-received_on", "-id")
    )
    return {
        "requests": [(r, getattr(r, "referral", None)) for r in requests],
        "can_record": permissions.can_record_request(user),
    }


def unit_vacancies(request, unit):
    """Vacant days and cost over the last 12 months and since the capture, the unit's
    vacancy records, and the button to declare one."""
    user = request.user
    today = timezone.localdate()
    year_ago = today - datetime.timedelta(days=365)
    units = type(unit).objects.filter(pk=unit.pk)
    lettable = not unit.rooms.exists()
    last_year = vacancies.unit_vacancies(units, year_ago + datetime.timedelta(days=1), today)
    since_capture = vacancies.unit_vacancies(units, unit.captured_on, today)
    records = list(
        Vacancy.objects.visible_to(user)
        .filter(unit=unit)
        .select_related("unit")
        .prefetch_related("proposals")
    )
    return {
        "today": today,
        "lettable": lettable,
        "last_year": last_year[0] if last_year else None,
        "since_capture": since_capture[0] if since_capture else None,
        "records": [(f.vacancy, f) for f in vacancies.figures_of(records, today)],
        "can_declare": lettable
        and permissions.can_declare_vacancy(user)
        and not vacancy_errors(unit, today),
    }
