"""Pagination of lists that grow with the data (issue 14).

Two independent choices, combined by inheritance: how a page's rows are read (a slice of the
list, or the page's keys first: ``PageByKeysPaginator``) and how far the list is counted (all
of it, or up to a bound: ``BoundedCountPaginator``). ``BoundedPageByKeysPaginator`` does both."""

from django.core.paginator import EmptyPage, Page, PageNotAnInteger, Paginator
from django.db.models import QuerySet
from django.utils.functional import cached_property


class RowsBetweenPaginator(Paginator):
    """Django's paginator with the reading of a page's rows in one method, ``rows_between``,
    that a subclass may read differently."""

    def rows_between(self, bottom: int, top: int):
        return self.object_list[bottom:top]

    def page(self, number: int | str) -> Page:
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        return self._get_page(self.rows_between(bottom, top), number, self)


class BoundedCountPaginator(RowsBetweenPaginator):
    """Pages a queryset whose total may run into millions (the audit log) without counting it
    on every page: rows are counted up to ``count_up_to``; beyond that the list says "more
    than ..." (``count_is_bounded``), its pages are numbered without a last one and each page
    knows whether an older one follows by reading one row more than it shows.
    ``count_up_to=None`` counts every row, as Django's paginator does.

    Counting two million audit rows costs a tenth of a second on every page and tells the
    reader nothing the filters would not say better; counting up to ten thousand costs a few
    milliseconds at any size."""

    def __init__(self, object_list, per_page, *, count_up_to: int | None, **kwargs) -> None:
        super().__init__(object_list, per_page, **kwargs)
        self.count_up_to = count_up_to

    @cached_property
    def count(self) -> int:
        """The number of rows, or ``count_up_to + 1`` when there are more."""
        if self.count_up_to is None:
            return super().count
        rows: QuerySet = self.object_list
        return rows.order_by()[: self.count_up_to + 1].count()

    @property
    def count_is_bounded(self) -> bool:
        return self.count_up_to is not None and self.count > self.count_up_to

    def validate_number(self, number: int | float | str) -> int:
        if not self.count_is_bounded:
            return super().validate_number(number)
        try:
            number = int(number)
        except (TypeError, ValueError):
            raise PageNotAnInteger(self.error_messages["invalid_page"]) from None
        if number < 1:
            raise EmptyPage(self.error_messages["min_page"])
        return number

    def get_page(self, number: int | str | None) -> Page:
        try:
            return super().get_page(number)
        except EmptyPage:  # past the last row of a list counted only up to its bound
            return self.page(self.num_pages)

    def page(self, number: int | str) -> Page:
        if not self.count_is_bounded:
            return super().page(number)
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        rows = list(self.rows_between(bottom, bottom + self.per_page + 1))
        if not rows:
            raise EmptyPage(self.error_messages["no_results"])
        return OpenEndedPage(rows[: self.per_page], number, self, more=len(rows) > self.per_page)


class OpenEndedPage(Page):
    """A page of a list counted only up to a bound: whether another follows is known from the
    row read beyond it, not from a total."""

    def __init__(self, object_list, number: int, paginator: Paginator, *, more: bool) -> None:
        super().__init__(object_list, number, paginator)
        self.more = more

    def has_next(self) -> bool:
        return self.more

    def end_index(self) -> int:
        return self.start_index() + len(self.object_list) - 1


class PageByKeysPaginator(RowsBetweenPaginator):
    """Pages a filtered, ordered queryset by finding the page's keys first, then its rows, in
    one query: ``WHERE pk IN (SELECT pk ... ORDER BY ... LIMIT n OFFSET m)``.

    With a filter that only some of the rows meet (people helped with food in 2022), the
    database walks the list in its order until it has a page, testing each row; the inner
    query does that walk on indexes alone (the list's order, the filter's index), and only
    the page's rows are read whole, instead of every row walked past.

    ``rows``: the same list before its filters (its order and annotations), from which the
    page's rows are read by their keys alone; without it the filters are applied a second
    time around the keys, and a filter that costs a set (the people helped in 2022) is
    computed twice."""

    def __init__(self, object_list, per_page, *, rows: QuerySet | None = None, **kwargs) -> None:
        super().__init__(object_list, per_page, **kwargs)
        self.rows = object_list if rows is None else rows

    def rows_between(self, bottom: int, top: int) -> QuerySet:
        filtered: QuerySet = self.object_list
        return self.rows.filter(pk__in=filtered.values("pk")[bottom:top])


class BoundedPageByKeysPaginator(BoundedCountPaginator, PageByKeysPaginator):
    """A list counted up to a bound whose pages are read by their keys first (the people
    list searched for a common word)."""


class KeysReadOncePaginator(RowsBetweenPaginator):
    """Pages a list filtered by a set that costs a join to find (the people helped with food
    in 2022): the list's keys are read once, in its order, counted by their number, and the
    page's rows are read from ``rows`` by the page's keys.

    Counting and then paging computes the set twice, once for each query (at L, 13 ms each
    for "food in 2022": 16,000 entries of help joined to the organisation's 33,000 people);
    the keys of a list that a set filters are a few thousand numbers at most, the
    organisation's people at worst."""

    count_is_bounded = False  # every key is read: the count is exact

    def __init__(self, object_list, per_page, *, rows: QuerySet, **kwargs) -> None:
        super().__init__(object_list, per_page, **kwargs)
        self.rows = rows

    @cached_property
    def keys(self) -> list:
        listed: QuerySet = self.object_list
        return list(listed.values_list("pk", flat=True))

    @cached_property
    def count(self) -> int:
        return len(self.keys)

    def rows_between(self, bottom: int, top: int) -> QuerySet:
        return self.rows.filter(pk__in=self.keys[bottom:top])
