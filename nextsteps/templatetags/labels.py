"""`{{ indicator|localised:"label" }}`: a managed label in the reader's language."""

from django import template

register = template.Library()


@register.filter
def localised(record, field: str):
    # Text that is already a label (e.g. a table row's, chosen in the table's language) passes.
    if not hasattr(record, "label_in"):
        return record
    return record.label_in(field)
