"""Pagination of lists that grow with the data (issue 14)."""

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet


class PageByKeysPaginator(Paginator):
    """Pages a filtered, ordered queryset by finding the page's keys first, then its rows, in
    one query: ``WHERE pk IN (SELECT pk ... ORDER BY ... LIMIT n OFFSET m)``.

    With a filter that only some of the rows meet (people helped with food in 2022), the
    database walks the list in its order until it has a page, testing each row; the inner
    query does that walk on indexes alone (the list's order, the filter's index), and only
    the page's rows are read whole, instead of every row walked past."""

    def page(self, number: int | str) -> Page:
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        rows: QuerySet = self.object_list
        keys = rows.values("pk")[bottom:top]
        return self._get_page(rows.filter(pk__in=keys), number, self)
