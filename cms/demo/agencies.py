"""Twenty regional agencies (OPD) of Muara Enim regency, with websites, feeds and social accounts."""

from dataclasses import dataclass

from cms.demo.people import landline_number, mobile_number, person_name
from cms.demo.seeds import seeded
from cms.models import Agency, AgencySocialAccount, SocialPlatform

DOMAIN = "muaraenimkab.go.id"
OFFICE_ADDRESS = "Kompleks Perkantoran Pemkab Muara Enim, Jalan Jenderal Sudirman, Muara Enim"


@dataclass(frozen=True)
class AgencyData:
    key: str  # subdomain, social handle stem and stable identity
    name: str
    abbreviation: str
    description: str
    has_feed: bool = False
    address: str = OFFICE_ADDRESS


AGENCIES: tuple[AgencyData, ...] = (
    AgencyData(
        "dinkes",
        "Dinas Kesehatan",
        "Dinkes",
        "Membina puskesmas, imunisasi, gizi masyarakat dan pencegahan penyakit di 22 kecamatan.",
        True,
    ),
    AgencyData(
        "rsud",
        "RSUD Dr. H. Mohamad Rabain",
        "RSUD",
        "Rumah sakit umum daerah rujukan Kabupaten Muara Enim dengan layanan IGD 24 jam.",
        address="Jalan Sultan Mahmud Badaruddin II, Muara Enim",
    ),
    AgencyData(
        "disbudpar",
        "Dinas Kebudayaan dan Pariwisata",
        "Disbudpar",
        "Mengembangkan destinasi wisata, desa wisata dan pelestarian budaya daerah.",
        True,
    ),
    AgencyData(
        "satpolpp",
        "Satuan Polisi Pamong Praja",
        "Satpol PP",
        "Menegakkan peraturan daerah serta menjaga ketertiban umum dan ketenteraman masyarakat.",
    ),
    AgencyData(
        "bpbd",
        "Badan Penanggulangan Bencana Daerah",
        "BPBD",
        "Menangani kesiapsiagaan, tanggap darurat dan pemulihan bencana banjir, longsor dan karhutla.",
        True,
    ),
    AgencyData(
        "dinsos",
        "Dinas Sosial",
        "Dinsos",
        "Menyalurkan bantuan sosial, rehabilitasi sosial dan pemutakhiran data kesejahteraan sosial.",
    ),
    AgencyData(
        "diskopukm",
        "Dinas Koperasi dan Usaha Kecil Menengah",
        "Diskop UKM",
        "Membina koperasi dan pelaku UMKM, termasuk pelatihan, perizinan usaha dan pemasaran produk.",
    ),
    AgencyData(
        "disdukcapil",
        "Dinas Kependudukan dan Pencatatan Sipil",
        "Disdukcapil",
        "Melayani KTP elektronik, kartu keluarga, akta kelahiran dan dokumen kependudukan lain.",
        True,
    ),
    AgencyData(
        "disdik",
        "Dinas Pendidikan",
        "Disdik",
        "Mengelola pendidikan anak usia dini, sekolah dasar dan sekolah menengah pertama.",
        True,
    ),
    AgencyData(
        "pupr",
        "Dinas Pekerjaan Umum dan Penataan Ruang",
        "Dinas PUPR",
        "Membangun dan memelihara jalan, jembatan, irigasi serta menata ruang wilayah.",
    ),
    AgencyData(
        "distan",
        "Dinas Pertanian",
        "Distan",
        "Mendampingi petani padi, kopi, karet dan hortikultura melalui balai penyuluhan di kecamatan.",
    ),
    AgencyData(
        "dishub",
        "Dinas Perhubungan",
        "Dishub",
        "Mengatur lalu lintas, angkutan umum, terminal dan uji berkala kendaraan bermotor.",
    ),
    AgencyData(
        "diskominfo",
        "Dinas Komunikasi dan Informatika",
        "Diskominfo",
        "Mengelola informasi publik, media center, jaringan KIM dan layanan digital pemerintah daerah.",
        True,
    ),
    AgencyData(
        "bappeda",
        "Badan Perencanaan Pembangunan Daerah",
        "Bappeda",
        "Menyusun perencanaan pembangunan daerah dan memfasilitasi musyawarah perencanaan pembangunan.",
    ),
    AgencyData(
        "dpmptsp",
        "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu",
        "DPMPTSP",
        "Melayani perizinan berusaha dan non-perizinan di Mal Pelayanan Publik.",
        True,
    ),
    AgencyData(
        "dlh",
        "Dinas Lingkungan Hidup",
        "DLH",
        "Mengelola persampahan, bank sampah, pengawasan lingkungan dan ruang terbuka hijau.",
    ),
    AgencyData(
        "dkp",
        "Dinas Ketahanan Pangan",
        "DKP",
        "Menjaga ketersediaan dan keamanan pangan, termasuk gerakan pangan murah dan pekarangan lestari.",
    ),
    AgencyData(
        "damkar",
        "Dinas Pemadam Kebakaran dan Penyelamatan",
        "Damkar",
        "Menanggulangi kebakaran dan melakukan penyelamatan 24 jam di seluruh kecamatan.",
        address="Jalan Lingkar Kota, Muara Enim",
    ),
    AgencyData(
        "dpmd",
        "Dinas Pemberdayaan Masyarakat dan Desa",
        "DPMD",
        "Membina pemerintahan desa, dana desa, BUMDes dan pemberdayaan masyarakat desa.",
    ),
    AgencyData(
        "inspektorat",
        "Inspektorat Daerah",
        "Inspektorat",
        "Mengawasi penyelenggaraan pemerintahan daerah dan pengelolaan keuangan desa.",
    ),
)

POSITIONS = ("Kepala", "Sekretaris", "Kepala Bidang Informasi", "PPID Pelaksana")


def _agency_fields(data: AgencyData) -> dict:
    rng = seeded(f"agency-{data.key}")  # one stream per agency: adding an agency never changes the others
    website = f"https://{data.key}.{DOMAIN}"
    return {
        "abbreviation": data.abbreviation,
        "description": data.description,
        "website": website,
        "feed_url": f"{website}/feed/" if data.has_feed else "",
        "address": data.address,
        "phone": landline_number(rng),
        "email": f"{data.key}@{DOMAIN}",
        "contact_name": person_name(rng),
        "contact_position": f"{rng.choice(POSITIONS)} {data.abbreviation}",
        "contact_phone": mobile_number(rng),
        "contact_email": f"ppid.{data.key}@{DOMAIN}",
    }


def _social_accounts(data: AgencyData) -> list[AgencySocialAccount]:
    handle = f"{data.key}muaraenim"
    accounts = [
        AgencySocialAccount(platform=SocialPlatform.FACEBOOK, url=f"https://www.facebook.com/{handle}"),
        AgencySocialAccount(platform=SocialPlatform.INSTAGRAM, url=f"https://www.instagram.com/{handle}"),
    ]
    if data.has_feed:  # the livelier offices also run a YouTube channel
        accounts.append(AgencySocialAccount(platform=SocialPlatform.YOUTUBE, url=f"https://www.youtube.com/@{handle}"))
    return accounts


def load_agencies() -> dict[str, Agency]:
    """Create or update the agencies by name (unique); their social accounts are replaced, not appended."""
    agencies = {}
    for data in AGENCIES:
        agency = Agency.objects.filter(name=data.name).first() or Agency(name=data.name)
        for field, value in _agency_fields(data).items():
            setattr(agency, field, value)
        agency.social_accounts = _social_accounts(data)
        agency.full_clean()
        agency.save()
        agencies[data.key] = agency
    return agencies
