"""Factories for Siar's editorial model: real rows, real pages in the real tree, real image files.

Pages are created through treebeard (``parent.add_child``), so Wagtail's ``Page.save`` runs ``full_clean``:
a factory default that breaks a model rule fails loudly here rather than in a test far away.
"""

import io

import factory
import wagtail_factories
from factory.django import DjangoModelFactory
from PIL import Image as PILImage

from django.core.files.base import ContentFile
from django.utils.text import slugify

from wagtail.images import get_image_model
from wagtail.models import Collection

from cms.models import (
    Agency,
    DirectoryCategory,
    DirectoryIndexPage,
    DirectoryListingPage,
    District,
    HoaxCategory,
    KimGroup,
    KimMember,
    NewsCategory,
    NewsIndexPage,
    NewsPage,
    VerdictChoice,
    Village,
)


def png_bytes(width: int = 640, height: int = 360, color: tuple[int, int, int] = (14, 116, 144)) -> bytes:
    """A real PNG, drawn by Pillow: a coloured field with a lighter band, so renditions are not blank."""
    picture = PILImage.new("RGB", (width, height), color)
    band = PILImage.new("RGB", (width, max(1, height // 4)), (250, 204, 21))
    picture.paste(band, (0, height // 2))
    buffer = io.BytesIO()
    picture.save(buffer, format="PNG")
    return buffer.getvalue()


class DistrictFactory(DjangoModelFactory):
    class Meta:
        model = District
        django_get_or_create = ("code",)

    # 16.03 is Muara Enim; districts 16.03.01 … 16.03.99.
    code = factory.Sequence(lambda n: f"16.03.{n % 99 + 1:02d}")
    name = factory.Sequence(lambda n: f"Kecamatan Uji {n}")


class VillageFactory(DjangoModelFactory):
    class Meta:
        model = Village
        django_get_or_create = ("code",)

    district = factory.SubFactory(DistrictFactory)
    code = factory.LazyAttributeSequence(lambda obj, n: f"{obj.district.code}.{2001 + n % 7999:04d}")
    name = factory.Sequence(lambda n: f"Desa Uji {n}")
    kind = Village.Kind.DESA


class AgencyFactory(DjangoModelFactory):
    class Meta:
        model = Agency

    name = factory.Sequence(lambda n: f"Dinas Uji {n}")
    abbreviation = factory.Sequence(lambda n: f"DU{n}")
    website = factory.Sequence(lambda n: f"https://dinas-uji-{n}.example.go.id/")
    phone = "0734 421234"


class KimGroupFactory(DjangoModelFactory):
    class Meta:
        model = KimGroup

    name = factory.Sequence(lambda n: f"KIM Maju Bersama {n}")
    village = factory.SubFactory(VillageFactory)
    contact_name = "Siti Aminah"
    contact_phone = "0812-3456-7890"
    is_active = True


class KimMemberFactory(DjangoModelFactory):
    class Meta:
        model = KimMember

    group = factory.SubFactory(KimGroupFactory)
    name = factory.Sequence(lambda n: f"Anggota {n}")
    role = KimMember.Role.MEMBER
    phone = "0812 1111 2222"


class KimGroupWithMembersFactory(KimGroupFactory):
    """A KIM group with a chair and a secretary, created in one save through modelcluster."""

    members = factory.LazyFunction(
        lambda: [
            KimMember(name="Budi Santoso", role=KimMember.Role.CHAIR, phone="0812 1000 2000"),
            KimMember(name="Rina Wati", role=KimMember.Role.SECRETARY),
        ]
    )


class NewsCategoryFactory(DjangoModelFactory):
    class Meta:
        model = NewsCategory
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Kategori {n}")
    slug = factory.LazyAttribute(lambda obj: slugify(obj.name))


class ImageFactory(DjangoModelFactory):
    """A Wagtail image whose file is a Pillow-drawn PNG, in the root collection."""

    class Meta:
        model = get_image_model()

    class Params:
        width = 640
        height = 360

    title = factory.Sequence(lambda n: f"Foto uji {n}")
    collection = factory.LazyFunction(Collection.get_first_root_node)
    file = factory.LazyAttributeSequence(
        lambda obj, n: ContentFile(png_bytes(obj.width, obj.height), name=f"foto-uji-{n}.png")
    )


def verifier_user():
    """A moderator who records test verdicts (created once per test database)."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    user, created = get_user_model().objects.get_or_create(username="verifikator-uji")
    if created:
        user.groups.add(Group.objects.get(name="Moderators"))
    return user


def verify_revision(revision, *, verifier=None, verdict: str = VerdictChoice.TRUE, category: str = ""):
    """Record a verdict (with one note as evidence) on a page revision, as the Verifikasi task would."""
    from cms.services.verification import EvidenceItem, verdict_record

    if verdict != VerdictChoice.TRUE and not category:
        category = HoaxCategory.FABRICATED
    return verdict_record(
        verifier=verifier or verifier_user(),
        verdict=verdict,
        category=category,
        evidence=[EvidenceItem(text="Dicek dengan sumber resmi.")],
        revision=revision,
    )


def verified_publish(page, *, verifier=None, user=None):
    """Save a revision of the page, verify it as Benar and publish it; returns the page, refreshed."""
    revision = page.save_revision(user=user)
    verify_revision(revision, verifier=verifier)
    revision.publish(user=user)
    page.refresh_from_db()
    return page


class NewsPageFactory(wagtail_factories.PageFactory):
    """A news item under the site's (single) news index unless ``parent`` says otherwise.

    Created live by default, the way the gate allows: added as a draft, then a verified revision published.
    Pass ``live=False`` for a draft.
    """

    class Meta:
        model = NewsPage

    @classmethod
    def _create_instance(cls, model_class, parent, kwargs):
        live = kwargs.pop("live", True)
        instance = super()._create_instance(model_class, parent, {**kwargs, "live": False})
        if live:
            verified_publish(instance)
        return instance

    parent = factory.LazyFunction(lambda: NewsIndexPage.objects.get())
    title = factory.Sequence(lambda n: f"Warga Desa Uji Gotong Royong {n}")
    slug = factory.LazyAttribute(lambda obj: slugify(obj.title))
    lead = "Warga bergotong royong membersihkan saluran air menjelang musim hujan."
    body = factory.LazyFunction(
        lambda: [("paragraph", "<p>Kegiatan dimulai pukul 07.00 WIB dan diikuti seluruh RT.</p>")]
    )
    source_kind = NewsPage.Source.MEDIA_CENTER
    # A ParentalManyToManyField accepted by ClusterableModel's constructor and committed on save.
    categories = factory.LazyFunction(lambda: [NewsCategoryFactory()])


class DirectoryListingPageFactory(wagtail_factories.PageFactory):
    """A directory listing under the site's (single) directory index unless ``parent`` says otherwise."""

    class Meta:
        model = DirectoryListingPage

    parent = factory.LazyFunction(lambda: DirectoryIndexPage.objects.get())
    title = factory.Sequence(lambda n: f"Air Terjun Uji {n}")
    slug = factory.LazyAttribute(lambda obj: slugify(obj.title))
    category = DirectoryCategory.TOURISM
    subcategory = "air terjun"
    description = "Air terjun bertingkat di tengah hutan, 30 menit berjalan kaki dari parkir."
    address = "Jl. Lintas Sumatra Km 12"
    phone = "0734 421234"
