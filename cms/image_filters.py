"""Wagtail parses an image filter spec ("fill-400x267|format-webp") into operations on every ``{% picture %}``.

Its template tags make a new ``Filter`` per render, and every rendition it compares makes another, so a list of
twenty cards with six sizes each parses hundreds of specs; in a static build that was a third of the time spent
on pictures. The operations depend only on the spec (and the operations registered at start-up), so they are
parsed once per spec and shared.
"""

from functools import cached_property

_parsed: dict[str, list] = {}


def share_parsed_filter_operations() -> None:
    from wagtail.images.models import Filter

    if getattr(Filter, "_siar_shared_operations", False):
        return
    parse = Filter.operations.func

    def operations(self):
        if self.spec not in _parsed:
            _parsed[self.spec] = parse(self)
        return _parsed[self.spec]

    shared = cached_property(operations)
    shared.__set_name__(Filter, "operations")
    Filter.operations = shared
    Filter._siar_shared_operations = True
