"""API lists: `?limit=&offset=`, 100 rows by default and never more than 1,000 at once.

Both parameters are read strictly, as the schema documents them: an integer within its
bounds, else 400 with a French message (never a silent default, never a server error).

Its own module: the REST framework imports it while it loads its views.
"""

from rest_framework.exceptions import ValidationError
from rest_framework.pagination import LimitOffsetPagination

MAX_LIMIT = 1000
# Far beyond any list of an instance, within every database's integers.
MAX_OFFSET = 2_147_483_647
NUMBER = "0123456789"


def _bounded(request, name, default, low, high):
    raw = request.query_params.get(name)
    if raw is None:
        return default
    if not (raw and len(raw) <= len(str(high)) and all(c in NUMBER for c in raw)) or not (
        low <= int(raw) <= high
    ):
        raise ValidationError({name: [f"Un nombre entier de {low} à {high} est attendu."]})
    return int(raw)


class Pagination(LimitOffsetPagination):
    max_limit = MAX_LIMIT

    def get_limit(self, request):
        return _bounded(request, self.limit_query_param, self.default_limit, 1, MAX_LIMIT)

    def get_offset(self, request):
        return _bounded(request, self.offset_query_param, 0, 0, MAX_OFFSET)

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        bounds = {self.limit_query_param: (1, MAX_LIMIT), self.offset_query_param: (0, MAX_OFFSET)}
        for parameter in parameters:
            low, high = bounds[parameter["name"]]
            parameter["schema"].update(minimum=low, maximum=high)
        return parameters
