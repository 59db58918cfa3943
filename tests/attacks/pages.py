"""What a browser would send: the fields of a page's own form, filled in as the page shows
them (hidden values, initial values, ticked boxes, the option a select shows first)."""

from html.parser import HTMLParser
from urllib.parse import urlsplit

FIELD_TAGS = {"input", "select", "textarea"}
NOT_SENT = {"submit", "button", "reset", "image", "file"}


class _FormReader(HTMLParser):
    """Reads the first form of ``method`` on a page that sends to the page itself."""

    def __init__(self, method, path):
        super().__init__()
        self.method, self.path = method, path
        self.fields = {}  # name -> list of values, in order
        self.names = []  # every field name of the form, sent or not
        self.state = "before"  # before, inside, done
        self.select = None  # (name, multiple, options [(value, selected)])
        self.textarea = None  # (name, text parts)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and self.state == "before" and self._is_own_form(attrs):
            self.state = "inside"
        elif self.state != "inside":
            return
        elif tag == "input":
            self._input(attrs)
        elif tag == "select" and attrs.get("name"):
            self.names.append(attrs["name"])
            self.select = (attrs["name"], "multiple" in attrs, [])
        elif tag == "option" and self.select is not None:
            self.select[2].append((attrs.get("value", ""), "selected" in attrs))
        elif tag == "textarea" and attrs.get("name"):
            self.names.append(attrs["name"])
            self.textarea = (attrs["name"], [])

    def handle_data(self, data):
        if self.textarea is not None:
            self.textarea[1].append(data)

    def handle_endtag(self, tag):
        if self.state != "inside":
            return
        if tag == "form":
            self.state = "done"
        elif tag == "select" and self.select is not None:
            name, multiple, options = self.select
            chosen = [value for value, selected in options if selected]
            if not chosen and not multiple and options:
                chosen = [options[0][0]]  # what a browser sends for an untouched select
            for value in chosen:
                self._add(name, value)
            self.select = None
        elif tag == "textarea" and self.textarea is not None:
            name, parts = self.textarea
            self._add(name, "".join(parts).removeprefix("\n"))
            self.textarea = None

    def _is_own_form(self, attrs):
        if attrs.get("method", "get").lower() != self.method:
            return False
        action = attrs.get("action", "")
        return action == "" or action.startswith("?") or urlsplit(action).path == self.path

    def _input(self, attrs):
        name, kind = attrs.get("name"), attrs.get("type", "text").lower()
        if not name or kind in NOT_SENT:
            return
        self.names.append(name)
        if kind in ("checkbox", "radio"):
            if "checked" in attrs:
                self._add(name, attrs.get("value", "on"))
        else:
            self._add(name, attrs.get("value", ""))

    def _add(self, name, value):
        self.fields.setdefault(name, []).append(value)


def form_on_page(html, *, method, path):
    """(fields a browser sends as the page stands, every field name of the form)."""
    reader = _FormReader(method, path)
    reader.feed(html)
    fields = {
        name: values if len(values) > 1 else values[0] for name, values in reader.fields.items()
    }
    return fields, set(reader.names)
