"""The honest input of a view in FORM_VIEWS: its page's own form as a browser would send it,
with what the user types on top."""

from dataclasses import dataclass
from urllib.parse import urlsplit

from django.urls import reverse

from tests.attacks.form_views import FORM_VIEWS
from tests.attacks.pages import form_on_page


@dataclass(frozen=True)
class Prepared:
    url: str
    method: str
    user: object
    data: dict
    # Every field name the form has (sent or not): what a user may legitimately set.
    field_names: frozenset
    expected_status: int

    def log_in(self, client):
        if self.user is None:
            client.logout()
        else:
            client.force_login(self.user)

    def send(self, client, data=None, *, follow=False):
        self.log_in(client)
        send = getattr(client, self.method)
        return send(self.url, self.data if data is None else data, follow=follow)


def prepare(client, world, url_name):
    view = FORM_VIEWS[url_name]
    user = view.user(world)
    typed = view.data(world, user)
    url = reverse(url_name, kwargs=view.kwargs(world))
    shown, names = {}, set()
    if user is not None:
        client.force_login(user)
    page = client.get(url)
    if page.status_code == 200 and page["Content-Type"].startswith("text/html"):
        shown, names = form_on_page(
            page.content.decode(), method=view.method, path=urlsplit(url).path
        )
    shown.pop("csrfmiddlewaretoken", None)
    return Prepared(
        url=url,
        method=view.method,
        user=user,
        data={**shown, **typed},
        field_names=frozenset(names | set(typed)),
        expected_status=view.expected_status,
    )
