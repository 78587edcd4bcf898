"""The salary explorer (`roles:salaries`, /salaries/): one role's occupation by market."""

from django.core.paginator import Paginator
from django.http import QueryDict
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode

from roles.models import Role
from roles.views import contact_url
from roles.wages.presentation import (
    MAX_COMPARED,
    metros_csv_response,
    salary_context,
    sorted_metros,
)

METROS_PER_PAGE = 20
# ?sort= values: the metro table's columns, descending with a leading "-".
METRO_SORTS = {
    "title": "Metropolitan area",
    "employment": "Employment",
    "p10": "10th percentile",
    "median": "Median",
    "p90": "90th percentile",
}


def next_sort(sort: str, column: str) -> str:
    """Where a column heading's link goes: the other direction when the table is
    sorted by that column already, else A to Z for names and highest first for figures."""
    if sort.removeprefix("-") == column:
        return column if sort.startswith("-") else f"-{column}"
    return column if column == "title" else f"-{column}"


def comparison_link(query: QueryDict, compared: list[str], code: str) -> str:
    """The explorer's address with the metro `code` added to the markets `compared`; when
    they are already MAX_COMPARED, the oldest makes way and the link names it (`replaced`)
    for the page to say so."""
    replaced = compared[0] if len(compared) >= MAX_COMPARED else ""
    query = query.copy()
    query.setlist("area", [*compared[1 if replaced else 0 :], code])
    query.pop("replaced", None)
    if replaced:
        query["replaced"] = replaced
    return f"?{query.urlencode()}#comparison"


def salary_explorer(request):
    """Salaries of a role's occupation by market: compare up to three, rank the metros."""
    roles = list(Role.objects.published().in_library_order())
    role = next(
        (r for r in roles if r.slug == request.GET.get("role")), roles[0] if roles else None
    )
    salary = salary_context(
        soc_code=role.soc_code if role else "", area_codes=request.GET.getlist("area")
    )
    wages, markets = salary["wages"], salary["markets"]
    sort = request.GET.get("sort", "-median")
    if sort.removeprefix("-") not in METRO_SORTS:
        sort = "-median"
    metros = sorted_metros(wages.metros(), sort)
    if request.GET.get("format") == "csv":
        return metros_csv_response(wages, metros)
    page_obj = Paginator(metros, METROS_PER_PAGE).get_page(request.GET.get("page"))
    compared = [wage.area.code for wage in markets]
    # A metro chosen in the table joins the comparison; when that was full, the market
    # it pushed out (`replaced`, set by the link) is named on the page.
    metro_rows = [
        (
            wage,
            ""
            if wage.area.code in compared
            else comparison_link(request.GET, compared, wage.area.code),
        )
        for wage in page_obj
    ]
    replaced = wages.market(request.GET.get("replaced"))
    return render(
        request,
        "roles/salary_explorer.html",
        {
            **salary,
            "roles": roles,
            "role": role,
            "pickers": [markets[i] if i < len(markets) else None for i in range(MAX_COMPARED)],
            "contact_url": contact_url(role, salary["chosen"].area.code if markets else ""),
            # Each role's explorer is a page of its own; the markets are the visitor's.
            "canonical_path": reverse("roles:salaries")
            + (f"?{urlencode({'role': role.slug})}" if role else ""),
            "sort": sort,
            "sorts": METRO_SORTS,
            "metro_columns": [
                (column, label, next_sort(sort, column)) for column, label in METRO_SORTS.items()
            ],
            "page_obj": page_obj,
            # 1 2 … 7 8 9 … 14 15: fifteen page links would wrap into rows on a phone.
            "page_range": list(
                page_obj.paginator.get_elided_page_range(page_obj.number, on_each_side=1)
            ),
            "metro_rows": metro_rows,
            "comparison_full": len(markets) >= MAX_COMPARED,
            # Only a full comparison pushes a market out: a `replaced` on any other
            # link is not one the portal made, and says nothing.
            "replaced": replaced
            if len(markets) == MAX_COMPARED and replaced not in markets
            else None,
        },
    )
