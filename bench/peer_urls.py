"""django-distill's way of baking a Wagtail site (as in /work/shared/reference/peer-bench.md): Wagtail's serve view
registered with distill, fed every page address — the same HTML pages Siar's build writes (from SitePlan)."""

from django_distill import distill_re_path

from wagtail import views as wagtail_views
from wagtail.models import Site

from siar.urls import urlpatterns as siar_urlpatterns


def page_addresses():
    from sitegen.outputs import SitePlan
    from sitegen.versions import versions_read

    plan = SitePlan(Site.objects.get(is_default_site=True), versions_read())
    for output in plan.outputs():
        if output.path.endswith("index.html") and not output.path.startswith("static/"):
            address = output.path[: -len("index.html")]
            yield (address,)


urlpatterns = [
    distill_re_path(r"^((?:[\w\-]+/)*)$", wagtail_views.serve, name="peer_wagtail_serve", distill_func=page_addresses),
    *siar_urlpatterns,
]
