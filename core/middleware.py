from django.contrib.auth.middleware import LoginRequiredMiddleware as _Base


class LoginRequiredMiddleware(_Base):
    """Django's login-required default for pages. The API under /api/ does its
    own authentication (tokens and sessions) and answers 401/403, not a
    redirect to the login page."""

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.path_info.startswith("/api/"):
            return None
        return super().process_view(request, view_func, view_args, view_kwargs)


class JapaneseFirstMiddleware:
    """Pages open in Japanese whatever the browser asks for; people switch to
    English with the language form (a cookie). NOTE: the API still honours
    Accept-Language, so clients can ask for English error messages."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path_info.startswith("/api/"):
            request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return self.get_response(request)
