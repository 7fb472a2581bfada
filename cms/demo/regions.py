"""The districts (kecamatan) and villages (desa/kelurahan) of Muara Enim regency, Kemendagri code 16.03.

District names are the regency's 22 real districts. Village names are real or plausible for their
district; codes follow the Kemendagri pattern (1xxx = kelurahan, 2xxx = desa) but are demo values,
not an authoritative gazetteer. Each district carries an approximate centre used to place listings.
"""

from dataclasses import dataclass

from cms.models import District, Village

REGENCY_CODE = "16.03"
REGENCY_NAME = "Kabupaten Muara Enim"


@dataclass(frozen=True)
class DistrictData:
    number: int
    name: str
    centre: tuple[float, float]  # (latitude, longitude), kept inside the regency's rough bounding box
    kelurahan: tuple[str, ...]
    desa: tuple[str, ...]

    @property
    def code(self) -> str:
        return f"{REGENCY_CODE}.{self.number:02d}"


DISTRICTS: tuple[DistrictData, ...] = (
    DistrictData(1, "Tanjung Agung", (-3.93, 103.80), (), ("Tanjung Agung", "Pandan Enim", "Bedegung", "Lesung Batu")),
    DistrictData(
        2,
        "Muara Enim",
        (-3.66, 103.77),
        ("Pasar I", "Pasar II", "Pasar III", "Tungkal", "Air Lintang"),
        ("Karang Raja", "Kepur", "Tanjung Jati"),
    ),
    DistrictData(
        4,
        "Gunung Megang",
        (-3.56, 103.98),
        (),
        ("Gunung Megang Dalam", "Gunung Megang Luar", "Panang Jaya", "Penanggiran"),
    ),
    DistrictData(6, "Gelumbang", (-3.52, 104.33), ("Gelumbang",), ("Sigam", "Karang Endah", "Talang Taling")),
    DistrictData(
        7,
        "Lawang Kidul",
        (-3.74, 103.80),
        ("Tanjung Enim", "Pasar Tanjung Enim", "Tanjung Enim Selatan", "Keban Agung"),
        ("Darmo", "Lingga"),
    ),
    DistrictData(8, "Semende Darat Laut", (-4.18, 103.58), (), ("Pulau Panggung", "Tanjung Raya", "Muara Danau")),
    DistrictData(9, "Semende Darat Tengah", (-4.22, 103.52), (), ("Penindaian", "Pajar Bulan", "Babatan")),
    DistrictData(10, "Semende Darat Ulu", (-4.28, 103.47), (), ("Aremantai", "Tanjung Tiga", "Pelakat")),
    DistrictData(11, "Ujan Mas", (-3.60, 103.80), (), ("Ujan Mas Lama", "Ujan Mas Baru", "Guci", "Pinang Belarik")),
    DistrictData(14, "Lubai", (-3.78, 104.18), (), ("Beringin", "Prabumenang", "Jiwa Baru", "Karang Agung")),
    DistrictData(15, "Rambang", (-3.63, 104.10), (), ("Sugih Waras", "Kencana Mulia", "Pagar Agung")),
    DistrictData(16, "Sungai Rotan", (-3.55, 104.20), (), ("Sukarami", "Tanding Marga", "Petanang")),
    DistrictData(17, "Lembak", (-3.58, 104.28), (), ("Lembak", "Lubuk Enau", "Alai")),
    DistrictData(19, "Benakat", (-3.52, 103.88), (), ("Pagar Dewa", "Padang Bindu", "Hidup Baru")),
    DistrictData(21, "Kelekar", (-3.62, 104.36), (), ("Pelempang", "Menanti", "Teluk Limau")),
    DistrictData(22, "Muara Belida", (-3.54, 104.38), (), ("Muara Belida", "Kayuara Batu", "Patra Tani")),
    DistrictData(23, "Belimbing", (-3.70, 103.95), (), ("Gunung Kemala", "Teluk Lubuk", "Cinta Kasih")),
    DistrictData(24, "Belida Darat", (-3.60, 104.33), (), ("Tanjung Bunut", "Tambangan Kelekar", "Sialingan")),
    DistrictData(25, "Lubai Ulu", (-3.88, 104.12), (), ("Pagar Gunung", "Karang Mulya", "Sumber Asri")),
    DistrictData(26, "Rambang Niru", (-3.70, 104.02), (), ("Sumber Mulya", "Tebat Agung", "Air Talas", "Gunung Raja")),
    DistrictData(27, "Empat Petulai Dangku", (-3.62, 103.92), (), ("Dangku", "Siku", "Tebing Abang")),
    DistrictData(28, "Panang Enim", (-3.82, 103.72), (), ("Sirah Pulau", "Tanjung Serian", "Lambur")),
)


def village_rows(district: DistrictData) -> list[tuple[str, str, str]]:
    """(code, name, kind) for a district's villages: kelurahan numbered 1001…, desa 2001…."""
    rows = [(f"{district.code}.{1001 + i}", name, Village.Kind.KELURAHAN) for i, name in enumerate(district.kelurahan)]
    rows += [(f"{district.code}.{2001 + i}", name, Village.Kind.DESA) for i, name in enumerate(district.desa)]
    return rows


def load_regions() -> dict[str, District]:
    """Create or update every district and village, keyed by code so reruns never duplicate."""
    districts = {}
    for data in DISTRICTS:
        district, _ = District.objects.update_or_create(code=data.code, defaults={"name": data.name})
        districts[data.code] = district
        for code, name, kind in village_rows(data):
            Village.objects.update_or_create(code=code, defaults={"name": name, "kind": kind, "district": district})
    return districts


def demo_village_codes() -> set[str]:
    return {code for district in DISTRICTS for code, _, _ in village_rows(district)}


def district_data(code: str) -> DistrictData:
    return next(data for data in DISTRICTS if data.code == code)
