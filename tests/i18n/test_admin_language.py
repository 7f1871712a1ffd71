"""The admin in the staff member's language (staff work in Latvian, Russian or English): the header
switcher, remembered on the account (`User.language`) and active on every request of theirs, on any
browser, after the next login too."""

import pytest
from django.conf import settings
from django.test import override_settings
from django.urls import reverse

from privacy.i18n import staff_language_set
from privacy.models import User
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

SWITCH = reverse("admin-language")
INDEX = reverse("admin:index")


def _lang(response) -> str:
    return response.content.decode().split('<html lang="', 1)[1].split('"', 1)[0]


def test_the_header_offers_the_three_languages_each_in_its_own_name(client):
    client.force_login(UserFactory(username="eva", is_superuser=True))
    page = client.get(INDEX).content.decode()
    assert 'id="language-switcher"' in page
    for code, name in (("lv", "Latviešu"), ("ru", "Русский"), ("en", "English")):
        assert f'value="{code}"' in page and name in page


def test_switching_remembers_the_language_on_the_account_and_goes_back(client):
    user = UserFactory(username="eva", is_superuser=True)
    client.force_login(user)
    target = reverse("admin:requests_app_subjectrequest_changelist") + "?status=received"
    response = client.post(SWITCH, {"language": "lv", "next": target})
    assert response.status_code == 302 and response["Location"] == target
    user.refresh_from_db()
    assert user.language == "lv"
    assert user.history.latest("history_date").history_change_reason == "admin language changed"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "lv"
    page = client.get(target)
    assert _lang(page) == "lv"
    assert "Datu subjektu pieprasījumi" in page.content.decode()


@override_settings(
    LANGUAGE_COOKIE_AGE=3600,
    LANGUAGE_COOKIE_PATH="/admin/",
    LANGUAGE_COOKIE_DOMAIN="testserver.local",
    LANGUAGE_COOKIE_SECURE=True,
    LANGUAGE_COOKIE_HTTPONLY=True,
    LANGUAGE_COOKIE_SAMESITE="Strict",
)
def test_the_language_cookie_is_set_as_the_language_cookie_settings_say(client):
    """The switcher's cookie is the one Django's own language switch sets: every LANGUAGE_COOKIE_* setting."""
    client.force_login(UserFactory(username="eva", is_superuser=True))
    cookie = client.post(SWITCH, {"language": "ru", "next": INDEX}).cookies[settings.LANGUAGE_COOKIE_NAME]
    assert cookie.value == "ru"
    assert (cookie["max-age"], cookie["path"], cookie["domain"]) == (3600, "/admin/", "testserver.local")
    assert (cookie["secure"], cookie["httponly"], cookie["samesite"]) == (True, True, "Strict")


def test_the_accounts_language_wins_over_the_browser_and_the_cookie(client):
    """Another browser (English Accept-Language, an old cookie): the account's Russian still applies."""
    client.force_login(UserFactory(username="sergey", is_superuser=True, language="ru"))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get(INDEX, headers={"accept-language": "en-GB,en;q=0.9"})
    assert _lang(response) == "ru"
    assert response["Content-Language"] == "ru"
    assert "Запросы субъектов данных" in response.content.decode()


def test_the_language_comes_back_at_the_next_login(client):
    user = UserFactory(username="ilze", is_superuser=True, password="correct-horse-battery-staple")
    client.force_login(user)
    client.post(SWITCH, {"language": "lv", "next": INDEX})
    client.logout()
    client.cookies.clear()  # a fresh browser: no session, no language cookie
    assert _lang(client.get(reverse("admin:login"), headers={"accept-language": "en"})) == "en"
    client.force_login(User.objects.get(pk=user.pk))
    assert _lang(client.get(INDEX, headers={"accept-language": "en"})) == "lv"


def test_before_login_the_cookie_decides_and_nothing_is_stored(client):
    response = client.post(SWITCH, {"language": "ru", "next": reverse("admin:login")})
    assert response.status_code == 302
    assert _lang(client.get(reverse("admin:login"))) == "ru"
    assert "Русский" in client.get(reverse("admin:login")).content.decode()  # the switcher is there too


def test_an_unknown_language_changes_nothing_and_says_why(client):
    user = UserFactory(username="eva", is_superuser=True, language="lv")
    client.force_login(user)
    response = client.post(SWITCH, {"language": "de", "next": INDEX}, follow=True)
    user.refresh_from_db()
    assert user.language == "lv"
    assert [str(m) for m in response.context["messages"]] == [
        "Nezināma valoda: izvēlieties latviešu, krievu vai angļu."
    ]


def test_the_switcher_never_sends_anyone_off_site(client):
    client.force_login(UserFactory(username="eva", is_superuser=True))
    response = client.post(SWITCH, {"language": "en", "next": "https://evil.example/phish"})
    assert response["Location"] == "/admin/"


def test_the_switcher_needs_a_post_with_a_csrf_token(client):
    from django.test import Client

    csrf_client = Client(enforce_csrf_checks=True)
    csrf_client.force_login(UserFactory(username="eva", is_superuser=True))
    assert csrf_client.post(SWITCH, {"language": "lv"}).status_code == 403
    assert client.get(SWITCH).status_code == 405


def test_the_service_refuses_a_language_the_admin_does_not_have():
    from django.core.exceptions import ValidationError

    user = UserFactory(username="eva")
    with pytest.raises(ValidationError, match="not a language of the admin"):
        staff_language_set(actor=user, language="de")
    staff_language_set(actor=user, language="ru")
    staff_language_set(actor=user, language="ru")  # unchanged: no second history row
    assert user.history.filter(language="ru").count() == 1
