from django import forms
from django.utils.html import format_html, format_html_join


class DateInput(forms.DateInput):
    """The browser's own date picker (phones show theirs), which sends ISO dates whatever the
    language of the page."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class QuickSelect(forms.Select):
    """A drop-down list written in Python rather than through a template per option: the
    filters of the audit log and the people list offer every user, organisation and place of a
    national network (hundreds of options), and Django's templates took most of those pages'
    time to write them (issue 14). The same markup as Django's own select widget."""

    def _render(self, template_name, context, renderer=None):
        widget = context["widget"]
        groups = []
        for group_name, options, _index in widget["optgroups"]:
            written = format_html_join("", "\n  {}", ((_option(option),) for option in options))
            if group_name:
                written = format_html(
                    '\n  <optgroup label="{}">{}\n  </optgroup>', group_name, written
                )
            groups.append(written)
        return format_html(
            '<select name="{}"{}>{}\n</select>',
            widget["name"],
            _attributes(widget["attrs"]),
            format_html_join("", "{}", ((group,) for group in groups)),
        )


def _option(option: dict) -> str:
    return format_html(
        '<option value="{}"{}>{}</option>',
        str(option["value"]),
        _attributes(option["attrs"]),
        option["label"],
    )


def _attributes(attrs: dict) -> str:
    """As Django's attrs.html: in their order, a true one by its name alone, a false one left
    out."""
    return format_html_join(
        "",
        "{}",
        (
            (format_html(" {}", name) if value is True else format_html(' {}="{}"', name, value),)
            for name, value in attrs.items()
            if value is not False
        ),
    )
