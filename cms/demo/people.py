"""Invented but ordinary South Sumatran names and phone numbers, so no real person is quoted or listed."""

from random import Random

GIVEN_NAMES = (
    "Ahmad",
    "Rudi",
    "Hendra",
    "Syahrial",
    "Zulkifli",
    "Irwan",
    "Joni",
    "Herman",
    "Darmawan",
    "Fikri",
    "Agus",
    "Yudi",
    "Ridwan",
    "Sapri",
    "Amran",
    "Dedi",
    "Rizal",
    "Firdaus",
    "Hasan",
    "Nopriadi",
    "Sri",
    "Dewi",
    "Yuliana",
    "Rina",
    "Marlina",
    "Nurhayati",
    "Fitri",
    "Eka",
    "Septi",
    "Yanti",
    "Herlina",
    "Mardiana",
    "Rosita",
    "Wulan",
    "Aisyah",
    "Desi",
    "Lestari",
    "Nurul",
    "Meri",
    "Suryani",
)
FAMILY_NAMES = (
    "Saputra",
    "Hidayat",
    "Pratama",
    "Kurniawan",
    "Setiawan",
    "Syahputra",
    "Wijaya",
    "Permana",
    "Ramadhan",
    "Anwar",
    "Effendi",
    "Hasibuan",
    "Mulyadi",
    "Sulaiman",
    "Wahyuni",
    "Sari",
    "Rahmawati",
    "Oktaviani",
    "Maharani",
    "Lestari",
    "Handayani",
    "Puspita",
    "Susanti",
    "Fauzi",
    "Husin",
    "Rasyid",
    "Zainal",
)


def person_name(rng: Random) -> str:
    return f"{rng.choice(GIVEN_NAMES)} {rng.choice(FAMILY_NAMES)}"


def mobile_number(rng: Random) -> str:
    """A Telkomsel/Indosat/XL-style mobile number written the way people type it: 0812-7345-6789."""
    prefix = rng.choice(("0811", "0812", "0813", "0821", "0822", "0852", "0853", "0857", "0878", "0895"))
    return f"{prefix}-{rng.randint(1000, 9999)}-{rng.randint(1000, 9999)}"


def landline_number(rng: Random) -> str:
    """Muara Enim and Tanjung Enim share the 0734 area code."""
    return f"0734 {rng.randint(421000, 451999)}"
