"""API lists: `?limit=&offset=`, 100 rows by default and never more than 1,000 at once.

Its own module: the REST framework imports it while it loads its views.
"""

from rest_framework.pagination import LimitOffsetPagination


class Pagination(LimitOffsetPagination):
    max_limit = 1000
