from typing import Any

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from torget.accounts import reauth, services
from torget.accounts.models import User
from torget.accounts.permissions import is_administrator
from torget.audit import services as audit

# Authenticator apps and recovery codes are reset through the audited action on the accounts
# below, never edited or deleted one by one (nor their secrets shown).
for _model in (TOTPDevice, StaticDevice):
    if admin.site.is_registered(_model):
        admin.site.unregister(_model)


class UserCreationForm(AdminUserCreationForm):
    class Meta:
        model = User
        fields = ("email",)


class UserChange(UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    form = UserChange
    add_form = UserCreationForm
    ordering = ["email"]
    list_display = [
        "email",
        "full_name",
        "display_name",
        "is_staff",
        "is_active",
        "email_verified_at",
    ]
    list_filter = ["is_staff", "is_active", "groups"]
    search_fields = ["email", "full_name", "display_name"]
    readonly_fields = ["date_joined", "last_login", "closed_at", "email_verified_at"]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Personuppgifter"), {"fields": ("full_name", "display_name", "phone", "language")}),
        (
            _("Roller och behörighet"),
            {"fields": ("is_active", "is_staff", "is_superuser", "groups")},
        ),
        (_("Datum"), {"fields": ("date_joined", "last_login", "email_verified_at", "closed_at")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("email", "usable_password", "password1", "password2"),
            },
        ),
    )
    filter_horizontal = ["groups"]
    actions = ["close_accounts", "verify_emails", "reset_two_factor"]

    def changeform_view(
        self,
        request: HttpRequest,
        object_id: str | None = None,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        # An account's e-mail address, password and roles change here: ask who is at the
        # keyboard first, unless they proved it a moment ago (REAUTH_SECONDS).
        if not reauth.is_fresh(request):
            return reauth.redirect_to_reauthenticate(request)
        return super().changeform_view(request, object_id, form_url, extra_context)

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        audit.record(
            actor=request.user,
            action="account.changed_by_admin" if change else "account.created_by_admin",
            obj=obj,
            changes={"fields": sorted(form.changed_data)} if change else {},
        )
        if not change:
            # The administrator typed the address for a colleague (or a citizen at the desk):
            # it needs no confirmation link, or staff could not submit a proposal or get mail.
            services.user_verify_email(user=obj, actor=request.user)  # type: ignore[arg-type]

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        user = form.instance
        staff = user.is_superuser or user.groups.exclude(name="medborgare").exists()
        if user.is_staff != staff:
            user.is_staff = staff
            user.save(update_fields=["is_staff"])

    @admin.action(description=_("Avsluta valda konton (ta bort personuppgifter)"))
    def close_accounts(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        closed = 0
        for user in queryset.filter(closed_at__isnull=True, is_superuser=False):
            services.account_close(user=user, actor=request.user)  # type: ignore[arg-type]
            closed += 1
        message = ngettext("%(count)d konto avslutades.", "%(count)d konton avslutades.", closed)
        self.message_user(request, message % {"count": closed}, messages.SUCCESS)

    @admin.action(description=_("Markera e-postadressen som bekräftad"))
    def verify_emails(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        verified = 0
        for user in queryset.filter(email_verified_at__isnull=True, closed_at__isnull=True):
            services.user_verify_email(user=user, actor=request.user)  # type: ignore[arg-type]
            verified += 1
        message = ngettext(
            "%(count)d e-postadress markerades som bekräftad.",
            "%(count)d e-postadresser markerades som bekräftade.",
            verified,
        )
        self.message_user(request, message % {"count": verified}, messages.SUCCESS)

    @admin.action(description=_("Återställ tvåstegsverifiering (tappad telefon)"))
    def reset_two_factor(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        if not is_administrator(request.user):
            self.message_user(
                request,
                _("Bara en administratör kan återställa tvåstegsverifiering."),
                messages.ERROR,
            )
            return
        count = 0
        for user in queryset:
            services.two_factor_reset(user=user, actor=request.user)  # type: ignore[arg-type]
            count += 1
        message = ngettext(
            "Tvåstegsverifieringen återställdes för %(count)d konto. Vid nästa inloggning "
            "ställer personen in appen på nytt.",
            "Tvåstegsverifieringen återställdes för %(count)d konton. Vid nästa inloggning "
            "ställer de in appen på nytt.",
            count,
        )
        self.message_user(request, message % {"count": count}, messages.SUCCESS)
