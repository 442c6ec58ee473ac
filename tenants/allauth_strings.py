"""django-allauth's own msgids, listed so that our Hindi catalogue translates allauth's pages.

django-allauth ships no Hindi (``hi``) catalogue, so its sign-in, sign-out, password and two-factor
pages, form labels, error messages and e-mails would stay in English for a Hindi-speaking officer.
Django looks a msgid up in every catalogue it knows, ours (``LOCALE_PATHS``) first, so a msgid that
is in ``locale/hi/LC_MESSAGES/django.po`` is translated wherever allauth calls ``gettext`` or
``{% translate %}`` with exactly that text (and context).

``makemessages`` only reads our own source files, never allauth's, so this module spells out every
allauth msgid that our flows can show: sign-in, sign-out, password change and set, password reset
(request, done, from key, bad token, its e-mail), the messages after these, reauthentication, and
two-factor authentication (authenticator app and recovery codes). It also keeps those entries from
being dropped as obsolete when ``makemessages --no-obsolete`` runs again. Nothing imports it; the
markers below translate nothing themselves.

Rules for editing: copy each msgid exactly as allauth's English catalogue
(``allauth/locale/en/LC_MESSAGES/django.po``) has it, punctuation, double spaces and newlines
included; a ``{{ name }}`` in a ``blocktranslate`` is ``%(name)s`` here; a ``pgettext`` msgid keeps
its context (``pgettext_lazy``), a plural its two forms (``ngettext_lazy``). After upgrading allauth,
compare this list with its English catalogue. Sign-up, e-mail verification and management, social
accounts, security keys (WebAuthn), login codes, user sessions and headless strings are left out:
Karyalay does not use those flows.

``DJANGO_STRINGS`` does the same for a few of Django's own msgids that these pages show: the
password validators' messages, which Django's Hindi catalogue lacks, and two form errors whose Hindi
there is wrong for us (it calls an e-mail address "डाक पता", and "डाक" is our dak).
"""

from django.utils.translation import gettext_noop as _
from django.utils.translation import ngettext_lazy, pgettext_lazy

# Each entry is the msgid itself (gettext_noop returns it unchanged) or, for a msgid with a context
# or a plural, a lazy marker that is never evaluated.
ALLAUTH_STRINGS = (
    # Layout (allauth/layouts/base.html; our templates/allauth/layouts/base.html replaces it today)
    _("Messages:"),
    _("Menu:"),
    _("Sign In"),
    _("Sign Out"),
    _("Change Password"),
    _("Two-Factor Authentication"),
    # Sign-in form (account/forms.py, account/fields.py)
    pgettext_lazy(
        "field label",
        "Login",
    ),
    _("Username or email"),
    _("Username"),
    _("Email"),
    _("Email address"),
    _("Password"),
    _("Remember Me"),
    _("Forgot your password?"),
    # Sign-in errors, rate limits and inactive accounts (account/adapter.py error_messages)
    _("The username and/or password you specified are not correct."),
    _("The email address and/or password you specified are not correct."),
    _("Invalid login."),
    _("Too many failed login attempts. Try again later."),
    _("Be patient, you are sending too many requests."),
    _("This account is currently inactive."),
    _("Account Inactive"),
    _("This account is inactive."),
    _("Note"),
    _("You are already logged in as %(user_display)s."),
    # Sign out (account/logout.html)
    _("Are you sure you want to sign out?"),
    # Password change and password set (account/forms.py, password_change.html, password_set.html)
    _("Current Password"),
    _("New Password"),
    _("New Password (again)"),
    _("Password (again)"),
    _("Please type your current password."),
    _("You must type the same password each time."),
    _("Set Password"),
    # Password reset: request, done, from key, from key done, bad token
    _("Password Reset"),
    _(
        "Forgotten your password? Enter your email address below, and we'll send you an email allowing "
        "you to reset it."
    ),
    _("Reset My Password"),
    _("Please contact us if you have any trouble resetting your password."),
    _(
        "We have sent you an email. If you have not received it please check your spam folder. Otherwise "
        "contact us if you do not receive it in a few minutes."
    ),
    _("Bad Token"),
    _(
        "The password reset link was invalid, possibly because it has already been used.  Please request "
        'a <a href="%(passwd_reset_url)s">new password reset</a>.'
    ),
    _("Your password is now changed."),
    _("The password reset token was invalid."),
    _("The email address is not assigned to any user account."),
    _("Cancel"),
    # Password reset e-mail and the e-mail frame (account/email/*.txt)
    _("Password Reset Email"),
    _(
        "You're receiving this email because you or someone else has requested a password reset for your "
        "user account.\n"
        "It can be safely ignored if you did not request a password reset. Click the link below to reset "
        "your password."
    ),
    _("In case you forgot, your username is %(username)s."),
    _("Hello from %(site_name)s!"),
    _("Thank you for using %(site_name)s!\n%(site_domain)s"),
    _("You are receiving this mail because the following change was made to your account:"),
    _(
        "If you do not recognize this change then please take proper security precautions immediately. "
        "The change to your account originates from:\n"
        "\n"
        "- IP address: %(ip)s\n"
        "- Browser: %(user_agent)s\n"
        "- Date: %(timestamp)s"
    ),
    _("Password Changed"),
    _("Your password has been changed."),
    _("Password Set"),
    _("Your password has been set."),
    _("Your password has been reset."),
    # Messages after sign-in, sign-out and password changes (account/messages/*.txt)
    _("Successfully signed in as %(name)s."),
    _("You have signed out."),
    _("Password successfully changed."),
    _("Password successfully set."),
    # Reauthentication (account/base_reauthenticate.html, reauthenticate.html, mfa/reauthenticate.html)
    _("Confirm Access"),
    _("Please reauthenticate to safeguard your account."),
    _("Alternative options"),
    _("Enter your password:"),
    _("Confirm"),
    _("Use your password"),
    _("Use authenticator app or code"),
    _("Incorrect password."),
    _("Enter an authenticator code:"),
    # Two-factor sign-in (mfa/authenticate.html, mfa/base/forms.py, mfa/adapter.py)
    _("Your account is protected by two-factor authentication. Please enter an authenticator code:"),
    _("Code"),
    _("Incorrect code."),
    _("You cannot deactivate two-factor authentication."),
    _("You cannot generate recovery codes without having two-factor authentication enabled."),
    _("You cannot activate two-factor authentication until you have verified your email address."),
    # Two-factor overview (mfa/index.html)
    _("Authenticator App"),
    _("Authentication using an authenticator app is active."),
    _("An authenticator app is not active."),
    _("Deactivate"),
    _("Activate"),
    _("Recovery Codes"),
    ngettext_lazy(
        "There is %(unused_count)s out of %(total_count)s recovery codes available.",
        "There are %(unused_count)s out of %(total_count)s recovery codes available.",
    ),
    _("No recovery codes set up."),
    _("View"),
    _("Download"),
    _("Generate"),
    # Authenticator app (mfa/totp/*.html, mfa/totp/forms.py, messages and e-mails)
    _("Activate Authenticator App"),
    _(
        "To protect your account with two-factor authentication, scan the QR code below with your "
        "authenticator app. Then, input the verification code generated by the app below."
    ),
    _("Authenticator secret"),
    _("You can store this secret and use it to reinstall your authenticator app at a later time."),
    _("Authenticator code"),
    _("Deactivate Authenticator App"),
    _("You are about to deactivate authenticator app based authentication. Are you sure?"),
    _("Authenticator app activated."),
    _("Authenticator App Activated"),
    _("Authenticator app deactivated."),
    _("Authenticator App Deactivated"),
    # Recovery codes (mfa/recovery_codes/*.html, messages and e-mails)
    _("Unused codes"),
    _("Download codes"),
    _("Generate new codes"),
    _("I have saved my recovery codes"),
    _("You are about to generate a new set of recovery codes for your account."),
    _("This action will invalidate your existing codes."),
    _("Are you sure?"),
    _("A new set of recovery codes has been generated."),
    _("Save them  in a secure location now — they won't be shown again."),
    _("A new set of Two-Factor Authentication recovery codes has been generated."),
    _("New Recovery Codes Generated"),
)

DJANGO_STRINGS = (
    # Password validators (django/contrib/auth/password_validation.py)
    ngettext_lazy(
        "This password is too short. It must contain at least %d character.",
        "This password is too short. It must contain at least %d characters.",
    ),
    ngettext_lazy(
        "Your password must contain at least %(min_length)d character.",
        "Your password must contain at least %(min_length)d characters.",
    ),
    _("The password is too similar to the %(verbose_name)s."),
    _("Your password can’t be too similar to your other personal information."),
    _("This password is too common."),
    _("Your password can’t be a commonly used password."),
    _("This password is entirely numeric."),
    _("Your password can’t be entirely numeric."),
    # Form errors (django/core/validators.py, django/forms/fields.py)
    _("Enter a valid email address."),
    _("This field is required."),
)
