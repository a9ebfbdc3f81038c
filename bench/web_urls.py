"""bench/web.py's URLs: the project's, plus the bare view that is the baseline of the rates."""

from django.http import HttpRequest, HttpResponse
from django.urls import include, path


def bare(request: HttpRequest) -> HttpResponse:
    """The whole middleware stack, no database work of its own, a tiny body: the ceiling."""
    return HttpResponse("ok")


urlpatterns = [path("bench/bare/", bare), path("", include("config.urls"))]
