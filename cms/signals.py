"""Signals other parts of Siar follow (channels, static site, kiosks)."""

from django.dispatch import Signal

# Sent once when a published news item is withdrawn: sender=NewsPage, page=, actor=, explanation=.
news_withdrawn = Signal()
