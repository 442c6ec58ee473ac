"""The person's language: saved on their account, applied when they sign in on any browser.

Anonymous pages follow the language cookie (Django's ``LocaleMiddleware``). When a signed-in person
switches language, the choice is also saved on their account (``user_language_set``); when they
sign in, on any browser, their saved choice is activated for that request and written to that
browser's cookie, so the next page, and the sign-in page after signing out, keep it.
"""

from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.middleware.locale import LocaleMiddleware
from django.utils import translation
from django.views.i18n import set_language

from tenants.models import User

# Set on the request by the sign-in handler: the language whose cookie the response must carry.
_COOKIE_TO_SET = "_karyalay_language_cookie"


def user_language_set(*, user: User, language: str) -> bool:
    """Save ``language`` as the person's choice. Returns whether it was saved.

    Only a language the site offers is saved; anything else leaves the account unchanged. Any
    signed-in person may call it for themselves (a preference, not district data: no audit event).
    """
    if language not in {code for code, _name in settings.LANGUAGES}:
        return False
    if user.language != language:
        user.language = language
        user.save(update_fields=["language"])
    return True


def language_set(request):
    """Django's ``set_language`` (the cookie, the redirect), and for a signed-in person the choice
    saved on their account as well."""
    response = set_language(request)
    if request.method == "POST" and request.user.is_authenticated:
        user_language_set(user=request.user, language=request.POST.get("language", ""))
    return response


@receiver(user_logged_in, dispatch_uid="tenants_language_at_sign_in")
def _language_at_sign_in(sender, request, user, **kwargs) -> None:
    language = getattr(user, "language", "")
    if request is None or not language or not translation.check_for_language(language):
        return
    translation.activate(language)
    request.LANGUAGE_CODE = language
    setattr(request, _COOKIE_TO_SET, language)


class LanguageMiddleware(LocaleMiddleware):
    """Django's ``LocaleMiddleware``, and the cookie of the language applied at sign-in.

    Sits where ``LocaleMiddleware`` would (after the session middleware).
    """

    def process_response(self, request, response):
        response = super().process_response(request, response)
        language = getattr(request, _COOKIE_TO_SET, None)
        if language:
            response.set_cookie(
                settings.LANGUAGE_COOKIE_NAME,
                language,
                max_age=settings.LANGUAGE_COOKIE_AGE,
                path=settings.LANGUAGE_COOKIE_PATH,
                domain=settings.LANGUAGE_COOKIE_DOMAIN,
                secure=settings.LANGUAGE_COOKIE_SECURE,
                httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
                samesite=settings.LANGUAGE_COOKIE_SAMESITE,
            )
        return response
