"""Links to other apps' pages that may not exist yet: the cases and pillars screens are built in
parallel, so a link appears once their URL is there and the reports work without it."""

from django.urls import NoReverseMatch, reverse


def url_or_none(name: str, **kwargs: str | int) -> str | None:
    try:
        return reverse(name, kwargs=kwargs)
    except NoReverseMatch:
        return None
