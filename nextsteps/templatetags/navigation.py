from django import template

from nextsteps.navigation import main_navigation

register = template.Library()


@register.inclusion_tag("includes/role_navigation.html", takes_context=True)
def role_navigation(context):
    request = context["request"]
    return {
        "links": main_navigation(
            request.path,
            context.get("role_permissions", set()),
            context.get("navigation_counts", {}),
        )
    }
