"""Admin views for what happens to a news item after publication: a public correction note, or withdrawal.

Both need the verify permission and a public explanation; Wagtail's own Unpublish of a news item leads here
(see cms/wagtail_hooks.py), so no news item leaves the site without readers being told why.
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import View

from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from cms.models import NewsPage
from cms.services.verification import PERM_VERIFY, news_correct, news_withdraw


class ExplanationForm(forms.Form):
    explanation = forms.CharField(
        label=gettext_lazy("Public explanation"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        help_text=gettext_lazy("Shown to readers on the site and to the contributor. Say what was wrong."),
    )


class AfterPublicationView(WagtailAdminTemplateMixin, View):
    """Shared shape: a live news item, a confirmation page with the explanation form, one service call."""

    template_name = "cms/admin/news_after_publication.html"
    header_icon = "doc-full"
    submit_label = ""
    intro = ""

    def dispatch(self, request, *args, **kwargs):
        self.page = get_object_or_404(NewsPage, pk=kwargs["pk"])
        if not (request.user.has_perm(PERM_VERIFY) and self.page.permissions_for_user(request.user).can_unpublish()):
            raise PermissionDenied
        if not self.page.live:
            messages.error(request, _("This news item is not published."))
            return redirect("wagtailadmin_pages:edit", self.page.pk)
        return super().dispatch(request, *args, **kwargs)

    def get_page_subtitle(self):
        return self.page.get_admin_display_title()

    def _render(self, form):
        context = self.get_context_data(page=self.page, form=form, submit_label=self.submit_label, intro=self.intro)
        return TemplateResponse(self.request, self.template_name, context)

    def get(self, request, pk):
        return self._render(ExplanationForm())

    def post(self, request, pk):
        form = ExplanationForm(request.POST)
        if form.is_valid():
            try:
                self.act(explanation=form.cleaned_data["explanation"])
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, self.success_message)
                return redirect("wagtailadmin_pages:edit", self.page.pk)
        return self._render(form)


class NewsWithdrawView(AfterPublicationView):
    page_title = gettext_lazy("Withdraw news")
    submit_label = gettext_lazy("Withdraw from the site")
    intro = gettext_lazy(
        "The item leaves the site, the app and the kiosks. Its address keeps showing that it was withdrawn, "
        "with your explanation."
    )
    success_message = gettext_lazy("The news item was withdrawn.")

    def act(self, *, explanation):
        news_withdraw(page=self.page, actor=self.request.user, explanation=explanation)


class NewsCorrectView(AfterPublicationView):
    page_title = gettext_lazy("Record a correction")
    submit_label = gettext_lazy("Record the correction")
    intro = gettext_lazy(
        "The note is shown under the item for readers who saw the first version. Change the words themselves "
        "by editing the item: the edit is verified like any other before it goes live."
    )
    success_message = gettext_lazy("The correction note was recorded.")

    def act(self, *, explanation):
        news_correct(page=self.page, actor=self.request.user, explanation=explanation)
