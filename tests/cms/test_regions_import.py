"""Importing districts and villages from the CSV files offices actually receive."""

import pytest

from django.urls import reverse
from django.utils import translation

from cms.models import District, Village
from cms.services.regions import regions_import_csv

KEMENDAGRI_SEMICOLON = (
    "kode;nama\n"
    "16;SUMATERA SELATAN\n"
    "16.03;KAB. MUARA ENIM\n"
    "16.03.01;Muara Enim\n"
    "16.03.01.1001;Pasar I\n"
    "16.03.01.2001;Karang Raja\n"
    "16.03.02;Ujan Mas\n"
    "16.03.02.2003;Ujan Mas Lama\n"
    "16.04;KAB. LAHAT\n"
    "16.04.01;Lahat\n"
)


@pytest.mark.django_db
def test_import_takes_only_the_regency_and_derives_village_kinds():
    result = regions_import_csv(data=KEMENDAGRI_SEMICOLON.encode(), prefix="16.03")

    assert result.ok, result.errors
    assert (result.created, result.skipped) == (5, 4)
    assert sorted(District.objects.values_list("code", flat=True)) == ["16.03.01", "16.03.02"]
    assert Village.objects.get(code="16.03.01.1001").kind == Village.Kind.KELURAHAN
    karang_raja = Village.objects.get(code="16.03.01.2001")
    assert (karang_raja.kind, karang_raja.district.name) == (Village.Kind.DESA, "Muara Enim")


@pytest.mark.django_db
def test_reimport_updates_renamed_regions_without_duplicates():
    regions_import_csv(data=KEMENDAGRI_SEMICOLON.encode(), prefix="16.03")
    renamed = KEMENDAGRI_SEMICOLON.replace("Karang Raja", "Karangraja")

    result = regions_import_csv(data=renamed.encode(), prefix="16.03")

    assert (result.created, result.updated, result.unchanged) == (0, 1, 4)
    assert Village.objects.count() == 3
    assert Village.objects.get(code="16.03.01.2001").name == "Karangraja"


@pytest.mark.django_db
def test_windows_1252_file_with_header_and_kind_column():
    data = "code,name,kind\n16.03.05,Tanjung Agung,\n16.03.05.1002,Pagar Dewa,desa\n".encode("cp1252")
    data = data.replace(b"Pagar Dewa", "Pagar Déwa".encode("cp1252"))

    result = regions_import_csv(data=data)

    assert result.ok, result.errors
    village = Village.objects.get(code="16.03.05.1002")
    assert (village.name, village.kind) == ("Pagar Déwa", Village.Kind.DESA)


@pytest.mark.django_db
def test_one_bad_row_imports_nothing_and_names_every_line():
    data = b"kode,nama\n16.03.01,Muara Enim\n16.03.01.2001,\n16.03.09.2001,Desa Tanpa Kecamatan\n16-03-01,Salah\n"

    with translation.override("en"):
        result = regions_import_csv(data=data)

    assert not result.ok
    assert any("Line 5" in error and "16-03-01" in error for error in result.errors)
    assert District.objects.count() == 0 and Village.objects.count() == 0


@pytest.mark.django_db
def test_missing_district_and_blank_name_are_reported_by_line():
    data = b"kode,nama\n16.03.01,Muara Enim\n16.03.01.2001,\n16.03.09.2001,Desa Tanpa Kecamatan\n"

    with translation.override("en"):
        result = regions_import_csv(data=data)

    assert [error.split(":")[0] for error in result.errors] == ["Line 3 (16.03.01.2001)", "Line 4"]
    assert "16.03.09" in result.errors[1]
    assert District.objects.count() == 0, "the valid district row must be rolled back too"


@pytest.mark.django_db
def test_admin_upload_imports_and_reports(client, moderator, tmp_path):
    client.force_login(moderator)
    csv_file = tmp_path / "wilayah.csv"
    csv_file.write_text(KEMENDAGRI_SEMICOLON)

    with csv_file.open("rb") as upload:
        response = client.post(
            reverse("cms_import_regions"), {"csv_file": upload, "prefix": "16.03"}, HTTP_HOST="localhost", follow=True
        )

    assert response.status_code == 200
    assert Village.objects.count() == 3
    assert "5" in response.content.decode()


@pytest.mark.django_db
def test_admin_upload_with_errors_keeps_the_form_and_lists_lines(client, moderator):
    client.force_login(moderator)
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("wilayah.csv", b"kode,nama\n16.03.09.2001,Desa Yatim\n", content_type="text/csv")
    response = client.post(reverse("cms_import_regions"), {"csv_file": upload}, HTTP_HOST="localhost")

    assert response.status_code == 200
    assert "16.03.09" in response.content.decode()
    assert Village.objects.count() == 0


@pytest.mark.django_db
def test_admin_upload_is_refused_without_region_permissions(client, outsider):
    """Wagtail's admin turns PermissionDenied into a redirect to the dashboard with an error message."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(outsider)
    upload = SimpleUploadedFile("wilayah.csv", KEMENDAGRI_SEMICOLON.encode(), content_type="text/csv")
    response = client.post(reverse("cms_import_regions"), {"csv_file": upload}, HTTP_HOST="localhost")

    assert (response.status_code, response["Location"]) == (302, reverse("wagtailadmin_home"))
    assert Village.objects.count() == 0
