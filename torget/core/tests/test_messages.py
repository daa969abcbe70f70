"""The message storage: Django's, with a confirmation's cookie encoding remembered."""

from django.contrib import messages
from django.contrib.messages import get_messages
from django.contrib.messages.storage.cookie import CookieStorage as DjangoCookieStorage
from django.http import HttpResponse
from django.test import RequestFactory

from torget.core import messages as storage


def _cookie_after(*texts: str) -> str:
    request = RequestFactory().post("/")
    request._messages = storage.CookieStorage(request)
    for text in texts:
        messages.success(request, text)
    response = HttpResponse()
    request._messages.update(response)
    return response.cookies["messages"].value


def _read(value: str) -> list[str]:
    request = RequestFactory().get("/", HTTP_COOKIE=f"messages={value}")
    request._messages = storage.CookieStorage(request)
    return [str(m) for m in get_messages(request)]


def test_the_site_stores_messages_in_the_cookie_first(settings):
    assert settings.MESSAGE_STORAGE == "torget.core.messages.FallbackStorage"
    assert storage.FallbackStorage.storage_classes[0] is storage.CookieStorage


def test_the_same_confirmation_is_encoded_once_and_reads_back():
    storage._encoded.clear()
    first = _cookie_after("Tack! Ditt stöd är registrerat.")
    assert len(storage._encoded) == 1
    assert _cookie_after("Tack! Ditt stöd är registrerat.") == first
    assert _read(first) == ["Tack! Ditt stöd är registrerat."]


def test_the_encoding_is_django_s_own():
    request = RequestFactory().post("/")
    ours = _cookie_after("Sparat.")
    django_storage = DjangoCookieStorage(request)
    django_storage.add(messages.SUCCESS, "Sparat.")
    response = HttpResponse()
    django_storage.update(response)
    assert response.cookies["messages"].value == ours


def test_other_messages_are_encoded_apart_and_several_are_not_kept():
    storage._encoded.clear()
    thanks = _cookie_after("Tack!")
    saved = _cookie_after("Sparat.")
    assert thanks != saved
    assert _read(saved) == ["Sparat."]
    both = _cookie_after("Tack!", "Sparat.")
    assert _read(both) == ["Tack!", "Sparat."]
    assert len(storage._encoded) == 2  # the pair was encoded, not kept


def test_a_process_keeps_a_bounded_number(monkeypatch):
    monkeypatch.setattr(storage, "_MAX", 3)
    storage._encoded.clear()
    for n in range(7):
        _cookie_after(f"Meddelande {n}")
    assert len(storage._encoded) <= 3
