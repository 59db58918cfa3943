"""Links between the pages of a list, for a page that shows two paginated lists side by side
(each with its own query parameter, e.g. ``page`` and ``sent_page``)."""

from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def page_query(context, parameter: str, number: int) -> str:
    """The current query string with ``parameter`` set to ``number``, filters kept."""
    query = context.request.GET.copy()
    query[parameter] = number
    return f"?{query.urlencode()}"
