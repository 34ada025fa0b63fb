class CurrentOrganisationMiddleware:
    """Resolve the current organisation and role once per request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        authenticated = bool(user and user.is_authenticated)
        request.organisation = user.organisation if authenticated else None
        request.role = user.role if authenticated else ""
        return self.get_response(request)
