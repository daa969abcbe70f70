"""Uploaded files once DEBUG is off: the public folders (the logo) are still served by their
address, no other folder is, and the files Torget writes can be read by the web server."""

import stat

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

# The 404 page shows the municipality's name, so it reads the database.
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.DEBUG = False
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.MEDIA_ACCEL_REDIRECT_PREFIX = ""
    return tmp_path / "media"


def test_the_logo_is_served_with_debug_off(client):
    name = default_storage.save("municipality/logo.png", ContentFile(b"\x89PNG logo"))

    response = client.get(f"/media/{name}")

    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert b"".join(response.streaming_content) == b"\x89PNG logo"


def test_a_missing_logo_is_not_found(client):
    assert client.get("/media/municipality/finns-inte.png").status_code == 404


@pytest.mark.parametrize(
    "name", ["feedback/photos/bild.jpg", "proposals/bild.jpg", "bild.jpg", "municipality/"]
)
def test_no_other_upload_is_reachable_by_its_address(client, name):
    default_storage.save(name if not name.endswith("/") else name + "x.png", ContentFile(b"x"))

    assert client.get(f"/media/{name}").status_code == 404


def test_a_path_out_of_the_public_folder_is_refused(client):
    default_storage.save("feedback/hemlig.jpg", ContentFile(b"x"))

    response = client.get("/media/municipality/../feedback/hemlig.jpg")

    assert response.status_code in {400, 404}


def test_files_and_folders_written_are_readable_by_the_web_server(media):
    name = default_storage.save("feedback/photos/2026/bild.jpg", ContentFile(b"x"))

    file_mode = stat.S_IMODE((media / name).stat().st_mode)
    folder_mode = stat.S_IMODE((media / "feedback" / "photos" / "2026").stat().st_mode)

    assert file_mode == 0o644
    assert folder_mode == 0o755
