"""Lists report the rows they show, so that the reads of roles whose every read is audited are
logged — lists included, one entry per list read naming its rows.

The recorder lives in parcours.audit (which registers it in its AppConfig.ready()); the API's
`paginate` and the web's `page_of` call `rows_shown` for every list they answer, and a page that
builds its own list calls it directly."""

from collections.abc import Callable, Iterable

_recorders: list[Callable] = []


def register_recorder(recorder: Callable) -> None:
    if recorder not in _recorders:
        _recorders.append(recorder)


def rows_shown(request, rows: Iterable, *, model=None) -> None:
    """`request.user` was shown `rows` (model instances; `model` names the kind when the list is
    empty or holds something else)."""
    user = getattr(request, "user", None)
    if user is None or not getattr(user, "is_authenticated", False):
        return
    rows = list(rows)
    for recorder in _recorders:
        recorder(request=request, user=user, rows=rows, model=model)


def page_of(request, queryset, per_page: int = 50, paginator_class=None):
    """The page `?page=` of `queryset` for a list page, reported as shown."""
    from .counting import FastPaginator

    page = (paginator_class or FastPaginator)(queryset, per_page).get_page(request.GET.get("page"))
    rows_shown(request, page.object_list, model=getattr(queryset, "model", None))
    return page
