"""A memo of HTML fragments that repeat across many pages of one static build.

A news card appears on the news list, its categories, tags, district, village, agency and KIM group pages and
maybe the home page: a build of 10,000 items would render each card a dozen times. While a memo is active (the
static build activates one per build, see sitegen.render) a fragment is rendered once and reused; outside a build
(the live site, the admin preview) there is no memo and everything renders fresh. A memo never outlives its build,
so an edit is always seen by the next one.
"""

from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.utils import timezone, translation

_memo: ContextVar[dict | None] = ContextVar("siar_fragment_memo", default=None)


@contextmanager
def fragments_memoised(memo: dict) -> Iterator[None]:
    """Reuse fragments through ``memo`` (a dict owned by one build) until the block ends."""
    token = _memo.set(memo)
    try:
        yield
    finally:
        _memo.reset(token)


def fragment(key: Hashable, render: Callable[[], str]) -> str:
    """``render()``, or the fragment already rendered for ``key`` in this build's language and time zone.

    ``key`` must name everything the fragment shows besides the active language and zone.
    """
    memo = _memo.get()
    if memo is None:
        return render()
    full_key = (key, translation.get_language(), timezone.get_current_timezone_name())
    if full_key not in memo:
        memo[full_key] = render()
    return memo[full_key]
