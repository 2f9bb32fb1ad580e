"""Staff sign-in, guarded against guessing, and a forgotten password reset by e-mail.

Every member of staff signs in through the admin's sign-in page (the moderators'
pages send them there). Failed attempts are counted in the shared cache, by the
account name and address together and by the address alone; past the limit the
page refuses to check any password from there for a while, whether or not the
next one is right, so guessing costs the guesser time and the server no hashing.
A reset e-mail is sent at most a few times an hour to one address, and from one
address, and the page never says whether an account has that e-mail.
"""

from __future__ import annotations

import logging
from typing import Any
from urllib.parse import urlsplit

from django import forms
from django.conf import settings
from django.contrib import admin
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import PasswordResetForm
from django.utils.translation import gettext_noop, ngettext

from broadsheet.conf import conf
from broadsheet.counters import count_hit, forget, limits_on, wait_if_spent
from broadsheet.moderation.identity import keyed_hash, normal_email, normal_ip
from broadsheet.newsroom.models import SiteSettings

log = logging.getLogger("broadsheet.signin")

ATTEMPT_WINDOW = 15 * 60  # seconds: failures of one account from one address
ADDRESS_WINDOW = 60 * 60  # seconds: failures from one address, any account
RESET_WINDOW = 60 * 60


# Django's Hebrew catalog leaves the sign-in page's link to the reset untranslated; the
# site's own catalog, which LOCALE_PATHS reads first, says it.
gettext_noop("Forgotten your login credentials?")


def _address(request: Any) -> str:
    return normal_ip(getattr(request, "META", {}).get("REMOTE_ADDR") or "unknown")


def _wait_message(seconds: int) -> str:
    minutes = -(-seconds // 60)
    return ngettext(
        "Too many failed sign-ins from your address. Try again in a minute, or reset your "
        "password.",
        "Too many failed sign-ins from your address. Try again in %(minutes)s minutes, or "
        "reset your password.",
        minutes,
    ) % {"minutes": minutes}


class GuardedSignInForm(AdminAuthenticationForm):
    """The admin's sign-in form, which stops checking passwords after too many failures."""

    def clean(self) -> dict[str, Any]:
        if not limits_on():
            return super().clean()
        username = self.cleaned_data.get("username") or ""
        address = _address(self.request)
        account = keyed_hash("signin", f"{address}|{username.casefold()}")[:32]
        limits = [
            (account, conf.SIGNIN_FAILURES, ATTEMPT_WINDOW),
            (keyed_hash("signin-ip", address)[:32], conf.SIGNIN_FAILURES_PER_ADDRESS,
             ADDRESS_WINDOW),
        ]  # fmt: skip
        limits = [(key, limit, window) for key, limit, window in limits if limit]
        waits = [w for key, limit, window in limits if (w := wait_if_spent(key, limit, window))]
        if waits:
            log.warning("sign-in refused: too many failures from %s", address)
            raise forms.ValidationError(_wait_message(max(waits)), code="too_many")
        try:
            cleaned = super().clean()
        except forms.ValidationError:
            for key, limit, window in limits:
                count_hit(key, limit, window)
            raise
        # Signed in: this account's failures from this address no longer count.
        forget(account, ATTEMPT_WINDOW)
        return cleaned


class GuardedResetForm(PasswordResetForm):
    """Django's reset form, sending at most ``PASSWORD_RESETS_PER_HOUR`` e-mails an
    hour to one address and from one address. The reader is told the same either way."""

    request: Any = None

    def save(self, *args: Any, **kwargs: Any) -> None:
        # The site's own address when it is set (as reply e-mails use), and its name.
        if settings.BROADSHEET_SITE_URL:
            address = urlsplit(settings.BROADSHEET_SITE_URL)
            kwargs["domain_override"] = address.netloc
            kwargs["use_https"] = address.scheme == "https"
        name = SiteSettings.load().site_name
        kwargs["extra_email_context"] = {
            "site_name": name,
            **(kwargs.get("extra_email_context") or {}),
        }
        super().save(*args, **kwargs)

    def send_mail(
        self,
        subject_template_name: str,
        email_template_name: str,
        context: dict[str, Any],
        from_email: str | None,
        to_email: str,
        html_email_template_name: str | None = None,
    ) -> None:
        limit = conf.PASSWORD_RESETS_PER_HOUR
        if limits_on() and limit:
            keys = (
                keyed_hash("reset-to", normal_email(to_email))[:32],
                keyed_hash("reset-from", _address(self.request))[:32],
            )
            # Both are counted, whichever is over.
            over = [count_hit(key, limit, RESET_WINDOW) for key in keys]
            if any(over):
                log.warning("password reset e-mail not sent: over the hourly limit")
                return
        super().send_mail(
            subject_template_name, email_template_name, context, from_email, to_email,
            html_email_template_name,
        )  # fmt: skip


class _AdminLook:
    """The admin's header and links on the reset pages, which the admin site draws."""

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)  # type: ignore[misc]
        return {**admin.site.each_context(self.request), **context}  # type: ignore[attr-defined]


class PasswordReset(_AdminLook, auth_views.PasswordResetView):
    form_class = GuardedResetForm

    def form_valid(self, form: GuardedResetForm) -> Any:
        form.request = self.request
        return super().form_valid(form)


class PasswordResetDone(_AdminLook, auth_views.PasswordResetDoneView):
    pass


class PasswordResetConfirm(_AdminLook, auth_views.PasswordResetConfirmView):
    pass


class PasswordResetComplete(_AdminLook, auth_views.PasswordResetCompleteView):
    pass
