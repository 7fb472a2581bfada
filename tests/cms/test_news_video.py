"""A news item's video must be a playable video file: YouTube and kiosks cannot use a PDF."""

import pytest

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils import translation

from wagtail.documents.models import Document

from cms.models import NewsCategory, NewsPage


def _document(name: str) -> Document:
    document = Document(title=name)
    document.file.save(name, ContentFile(b"\x00\x00\x00\x18ftypmp42"), save=False)
    document.save()
    return document


def _news(news_index, **fields) -> NewsPage:
    page = news_index.add_child(instance=NewsPage(title="Festival Budaya Semende", lead="Festival digelar."))
    page.categories.add(NewsCategory.objects.create(name="Budaya", slug="budaya"))
    for name, value in fields.items():
        setattr(page, name, value)
    return page


@pytest.mark.django_db
def test_pdf_as_video_is_refused_with_a_message_the_editor_understands(news_index):
    page = _news(news_index, video=_document("jadwal.pdf"))

    with translation.override("en"):
        with pytest.raises(ValidationError) as error:
            page.full_clean()
        message = str(error.value.message_dict["video"][0])

    assert "Choose a video file (MP4, WebM or MOV)" in message


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["festival.mp4", "festival.WEBM", "festival.mov"])
def test_video_files_are_accepted(news_index, name):
    page = _news(news_index, video=_document(name))
    page.full_clean()
    assert page.video.file_extension.lower() in {"mp4", "webm", "mov"}
