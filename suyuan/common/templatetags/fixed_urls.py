"""``{% fixed_url "app:name" %}``: ``{% url "app:name" %}`` for a URL without arguments, worked out once
per process (issue 16, P5).

The site layout links some 20 pages on every page; ``reverse`` costs ~0.03 ms of Python each time.
A URL without arguments depends only on the URL configuration, the script prefix and the current
application namespace, so it is kept per process under those three (the patterns are code: they
change only with a new deployment, which starts new processes). Same output as ``{% url %}``.
"""

from __future__ import annotations

import functools

from django import template
from django.template.context import Context
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.html import conditional_escape

register = template.Library()


@register.simple_tag(takes_context=True)
def fixed_url(context: Context, name: str) -> str:
    request = context.get("request")
    current_app = None
    if request is not None:  # as django.template.defaulttags.URLNode does
        current_app = getattr(request, "current_app", None)
        if current_app is None and getattr(request, "resolver_match", None) is not None:
            current_app = request.resolver_match.namespace
    url = _reverse(get_urlconf(), get_script_prefix(), current_app, name)
    return conditional_escape(url) if context.autoescape else url


@functools.lru_cache(maxsize=512)
def _reverse(urlconf: str | None, prefix: str, current_app: str | None, name: str) -> str:
    return reverse(name, urlconf=urlconf, current_app=current_app)
