import pytest

from tests.scheduler.feedserver import FeedServer


@pytest.fixture
def feed_server():
    server = FeedServer().start()
    yield server
    server.stop()


@pytest.fixture
def fast_limits(settings):
    """Small timeouts and size cap, so slow and huge feeds fail in a fraction of a second."""
    settings.SIAR_FEED_CONNECT_TIMEOUT = 2.0
    settings.SIAR_FEED_READ_TIMEOUT = 1.0
    settings.SIAR_FEED_TOTAL_TIMEOUT = 2.0
    settings.SIAR_FEED_MAX_BYTES = 256 * 1024
    settings.SIAR_FEED_MAX_REDIRECTS = 5
    return settings


@pytest.fixture
def webhook_server():
    from tests.scheduler.webhookserver import WebhookServer

    server = WebhookServer().start()
    yield server
    server.stop()


@pytest.fixture
def alerting(settings, webhook_server):
    """Alerts on: the office's address and the local webhook receiver."""
    settings.SIAR_ALERT_EMAILS = ["diskominfo@example.go.id"]
    settings.SIAR_ALERT_WEBHOOK_URL = webhook_server.url
    return webhook_server
