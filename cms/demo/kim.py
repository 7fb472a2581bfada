"""Twelve KIM groups (Kelompok Informasi Masyarakat) in Muara Enim villages, with members and accounts."""

import datetime
from dataclasses import dataclass
from random import Random

from cms.demo.people import mobile_number, person_name
from cms.demo.seeds import seeded
from cms.models import KimGroup, KimMember, KimSocialAccount, SocialPlatform, Village


@dataclass(frozen=True)
class KimData:
    name: str
    village_code: str
    handle: str


KIM_GROUPS: tuple[KimData, ...] = (
    KimData("KIM Serasan Sekundang", "16.03.02.1001", "kimserasansekundang"),
    KimData("KIM Enim Berseri", "16.03.02.2001", "kimenimberseri"),
    KimData("KIM Bukit Asam Bersatu", "16.03.07.1001", "kimbukitasam"),
    KimData("KIM Bedegung Lestari", "16.03.01.2003", "kimbedegung"),
    KimData("KIM Tunggu Tubang", "16.03.08.2001", "kimtunggutubang"),
    KimData("KIM Kopi Semende", "16.03.10.2001", "kimkopisemende"),
    KimData("KIM Ujan Mas Berkah", "16.03.11.2001", "kimujanmasberkah"),
    KimData("KIM Lubai Sejahtera", "16.03.14.2002", "kimlubaisejahtera"),
    KimData("KIM Gelumbang Cerdas", "16.03.06.1001", "kimgelumbangcerdas"),
    KimData("KIM Maju Bersama", "16.03.04.2001", "kimmajubersama"),
    KimData("KIM Rambang Niru Mandiri", "16.03.26.2002", "kimrambangniru"),
    KimData("KIM Sungai Rotan Informatif", "16.03.16.2001", "kimsungairotan"),
)

MEMBER_ROLES = (KimMember.Role.CHAIR, KimMember.Role.SECRETARY, KimMember.Role.TREASURER)


def _maybe_phone(rng: Random) -> str:
    return mobile_number(rng) if rng.random() < 0.7 else ""  # not every member shares a number


def _members(rng: Random) -> list[KimMember]:
    """Chair, secretary and treasurer, then zero to three ordinary members (3–6 in all)."""
    roles = list(MEMBER_ROLES) + [KimMember.Role.MEMBER] * rng.randint(0, 3)
    return [
        KimMember(name=person_name(rng), role=role, phone=_maybe_phone(rng), sort_order=i)
        for i, role in enumerate(roles)
    ]


def _decree(rng: Random, number: int) -> tuple[str, datetime.date]:
    # Most groups were formed in the 2022–2023 push, as in Balangan's 2022 wave.
    date = datetime.date(2022, 1, 10) + datetime.timedelta(days=rng.randint(0, 700))
    return f"489/{number:03d}/KPTS/DISKOMINFO/{date.year}", date


def _social_accounts(data: KimData) -> list[KimSocialAccount]:
    platforms = (
        (SocialPlatform.FACEBOOK, "https://www.facebook.com/"),
        (SocialPlatform.INSTAGRAM, "https://www.instagram.com/"),
    )
    return [
        KimSocialAccount(platform=platform, url=base + data.handle, sort_order=i)
        for i, (platform, base) in enumerate(platforms)
    ]


def load_kim_groups() -> dict[str, KimGroup]:
    """Create or update the groups by name; members and accounts are replaced so reruns stay identical."""
    groups = {}
    for number, data in enumerate(KIM_GROUPS, start=1):
        rng = seeded(f"kim-{data.handle}")
        group = KimGroup.objects.filter(name=data.name).first() or KimGroup(name=data.name)
        group.village = Village.objects.get(code=data.village_code)
        group.decree_number, group.decree_date = _decree(rng, number)
        members = _members(rng)
        group.members = members
        group.contact_name, group.contact_phone = members[0].name, mobile_number(rng)
        group.contact_email = f"{data.handle}@gmail.com"
        group.is_active = True
        group.social_accounts = _social_accounts(data)
        group.full_clean()
        group.save()
        groups[data.name] = group
    return groups
