"""StreamField blocks for news bodies and directory details."""

from django.utils.translation import gettext_lazy as _

from wagtail import blocks
from wagtail.embeds.blocks import EmbedBlock
from wagtail.images.blocks import ImageChooserBlock

RICH_TEXT_FEATURES = ["h2", "h3", "bold", "italic", "ol", "ul", "link", "document-link"]


class CaptionedImageBlock(blocks.StructBlock):
    image = ImageChooserBlock(label=_("image"))
    caption = blocks.CharBlock(label=_("caption"), required=False, max_length=250)
    credit = blocks.CharBlock(label=_("photo credit"), required=False, max_length=120)

    class Meta:
        icon = "image"
        label = _("Image with caption")
        template = "blocks/captioned_image.html"


class QuoteBlock(blocks.StructBlock):
    text = blocks.TextBlock(label=_("quote"))
    attribution = blocks.CharBlock(label=_("said by"), required=False, max_length=150)

    class Meta:
        icon = "openquote"
        label = _("Quote")
        template = "blocks/quote.html"


class NewsBodyBlock(blocks.StreamBlock):
    paragraph = blocks.RichTextBlock(
        features=RICH_TEXT_FEATURES, label=_("Paragraph"), template="blocks/paragraph.html"
    )
    image = CaptionedImageBlock()
    quote = QuoteBlock()
    embed = EmbedBlock(
        label=_("Embed"),
        help_text=_("Address of a YouTube video or another embeddable post."),
        template="blocks/embed.html",
    )


class OpeningHoursBlock(blocks.StructBlock):
    DAYS = [
        ("mon", _("Monday")),
        ("tue", _("Tuesday")),
        ("wed", _("Wednesday")),
        ("thu", _("Thursday")),
        ("fri", _("Friday")),
        ("sat", _("Saturday")),
        ("sun", _("Sunday")),
        ("daily", _("Every day")),
        ("weekdays", _("Monday to Friday")),
    ]
    days = blocks.ChoiceBlock(choices=DAYS, label=_("days"))
    opens = blocks.TimeBlock(label=_("opens"), required=False)
    closes = blocks.TimeBlock(label=_("closes"), required=False)
    note = blocks.CharBlock(
        label=_("note"), required=False, max_length=80, help_text=_("For example: 24 hours, closed on public holidays.")
    )

    class Meta:
        icon = "time"
        label = _("Opening hours")
