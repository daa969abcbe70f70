"""Svarsmallar (rutiner för återkoppling): administrators keep answer templates per category and
kind of feedback with placeholders; the official picks one on the case page, edits the filled-in
text and sends it; a template that has been used is deactivated, never deleted."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import ProtectedError
from django.urls import reverse

from torget.accounts.roles import Role
from torget.accounts.tests.factories import UserFactory, user_with_role
from torget.audit.models import AuditEntry
from torget.feedback import replies, selectors, services
from torget.feedback.models import CaseUpdate, Kind, ReplyChannel, ReplyTemplate, UpdateKind
from torget.feedback.tests.factories import CategoryFactory, OpinionCategoryFactory, make_case
from torget.organisation.models import Municipality
from torget.organisation.tests.factories import AdministrationFactory, UnitFactory

pytestmark = pytest.mark.django_db

TEXT = "Hej {namn}! Ditt ärende {ärendenummer} handläggs av {enhet}. /{handläggare}, {kommun}"


@pytest.fixture
def handler():
    return UserFactory(role=Role.CONTACT_CENTRE, full_name="Karin Kontakt")


@pytest.fixture
def administrator():
    return user_with_role(Role.ADMINISTRATOR)


@pytest.fixture
def case():
    Municipality.objects.update_or_create(
        pk=Municipality.SINGLETON_PK, defaults={"name": "Storeby kommun"}
    )
    administration = AdministrationFactory(name="Samhällsbyggnadsförvaltningen")
    unit = UnitFactory(administration=administration, name="Gata och park")
    category = CategoryFactory(name="Gatubelysning", administration=administration, unit=unit)
    return make_case(
        category=category,
        reporter_name="Eva Ek",
        reporter_email="eva@example.se",
        reply_channel=ReplyChannel.EMAIL,
    )


def template_for(case, **values) -> ReplyTemplate:
    values.setdefault("name", "Tack för felanmälan")
    values.setdefault("text", TEXT)
    return ReplyTemplate.objects.create(category=case.category, kind=case.kind, **values)


def detail_url(case, **params):
    url = reverse("feedback:staff_detail", args=[case.pk])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in params.items()) if params else "")


class TestFillingIn:
    def test_reply_template_fills_case_number_name_and_unit(self, client, case, handler):
        template = template_for(case)
        client.force_login(handler)
        page = client.get(detail_url(case, mall=template.pk))
        assert page.status_code == 200
        expected = (
            f"Hej Eva Ek! Ditt ärende {case.number} handläggs av Gata och park. "
            "/Karin Kontakt, Storeby kommun"
        )
        form = page.context["forms"]["reply"]
        assert form.initial["text"] == expected
        assert form.initial["template"] == template.pk
        html = page.content.decode()
        assert f"Ditt ärende {case.number} handläggs av Gata och park" in html
        assert "Svaret är ifyllt från mallen ”Tack för felanmälan”" in html

        # The official edits the text and sends it through the case's reply.
        edited = expected + " Lampan byts på torsdag."
        response = client.post(
            reverse("feedback:staff_act", args=[case.pk, "reply"]),
            {"reply-text": edited, "reply-template": template.pk},
        )
        assert response.status_code == 302
        reply = CaseUpdate.objects.get(case=case, kind=UpdateKind.REPLY)
        assert reply.text == edited
        assert reply.template == template
        entry = AuditEntry.objects.filter(action="case.replied").latest("pk")
        assert entry.changes["template"] == template.pk

    def test_without_a_unit_the_unit_placeholder_names_the_administration(self, case, handler):
        case.unit = None
        case.save()
        values = selectors.reply_template_values(case, handler)
        assert values["enhet"] == "Samhällsbyggnadsförvaltningen"

    def test_without_a_name_the_greeting_keeps_its_punctuation(self):
        values = {"namn": "", "enhet": "Gata och park"}
        assert replies.fill("Hej {namn}!\n{enhet} svarar.", values) == "Hej!\nGata och park svarar."
        assert replies.fill("Hej {namn}", values) == "Hej"

    def test_filling_in_reaches_nothing_but_the_named_values(self):
        # No format(), no attribute access: only the fixed names are replaced.
        assert replies.fill("{namn} {namn.__class__} {0}", {"namn": "Eva"}) == (
            "Eva {namn.__class__} {0}"
        )

    def test_only_active_templates_for_the_cases_category_and_kind_are_offered(self, case):
        mine = template_for(case, name="Min")
        general = ReplyTemplate.objects.create(name="Alla", text="Hej {namn}!")
        ReplyTemplate.objects.create(name="Annan kategori", category=CategoryFactory(), text="x")
        ReplyTemplate.objects.create(name="Fråga", kind=Kind.QUESTION, text="x")
        template_for(case, name="Inaktiv", is_active=False)
        assert list(selectors.reply_templates_for(case)) == [general, mine]

    def test_a_template_for_another_case_is_refused_in_the_reply(self, client, case, handler):
        other = ReplyTemplate.objects.create(
            name="Skola", category=OpinionCategoryFactory(), text="Hej!"
        )
        client.force_login(handler)
        response = client.post(
            reverse("feedback:staff_act", args=[case.pk, "reply"]),
            {"reply-text": "Hej!", "reply-template": other.pk},
        )
        assert response.status_code == 400
        assert not CaseUpdate.objects.filter(case=case, kind=UpdateKind.REPLY).exists()
        with pytest.raises(ValidationError):
            services.case_reply(case=case, actor=handler, text="Hej!", template=other)

    def test_a_case_without_templates_says_where_they_come_from(self, client, case, handler):
        client.force_login(handler)
        html = client.get(detail_url(case)).content.decode()
        assert "Det finns ingen svarsmall för den här kategorin och typen." in html

    def test_an_id_that_names_no_template_leaves_the_reply_empty(self, client, case, handler):
        client.force_login(handler)
        for value in ("999999", "abc", "²"):
            page = client.get(detail_url(case, mall=value))
            assert page.status_code == 200
            assert not page.context["forms"]["reply"].initial.get("text")


class TestSaving:
    def test_reply_template_with_unknown_placeholder_is_refused_when_saved(self, administrator):
        template = ReplyTemplate(name="Fel", text="Hej {namn}, ditt {personnummer} och {0}")
        with pytest.raises(ValidationError) as error:
            services.reply_template_save(template=template, actor=administrator)
        message = " ".join(error.value.message_dict["text"])
        assert "Okänd platshållare: {personnummer}, {0}" in message
        assert "{ärendenummer}" in message  # it names what may be used
        assert not ReplyTemplate.objects.exists()

    def test_a_stray_brace_is_refused_when_saved(self, administrator):
        with pytest.raises(ValidationError):
            services.reply_template_save(
                template=ReplyTemplate(name="Fel", text="Hej {namn"), actor=administrator
            )

    def test_the_admin_refuses_an_unknown_placeholder_on_the_text(self, client, administrator):
        client.force_login(administrator)
        response = client.post(
            reverse("admin:feedback_replytemplate_add"),
            {"name": "Fel", "kind": "", "text": "Hej {kundnummer}", "is_active": "on", "order": 0},
        )
        assert response.status_code == 200
        assert "Okänd platshållare: {kundnummer}" in response.content.decode()
        assert not ReplyTemplate.objects.exists()

    def test_the_admin_saves_a_template_through_the_service_with_an_audit_entry(
        self, client, administrator
    ):
        client.force_login(administrator)
        response = client.post(
            reverse("admin:feedback_replytemplate_add"),
            {"name": "Tack", "kind": "", "text": "Hej {namn}!", "is_active": "on", "order": 0},
        )
        assert response.status_code == 302
        template = ReplyTemplate.objects.get(name="Tack")
        assert AuditEntry.objects.filter(
            action="replytemplate.created", object_id=str(template.pk)
        ).exists()

    def test_a_template_whose_category_and_kind_never_meet_is_refused(self, administrator):
        template = ReplyTemplate(
            name="Fel", category=CategoryFactory(), kind=Kind.QUESTION, text="Hej!"
        )
        with pytest.raises(ValidationError) as error:
            services.reply_template_save(template=template, actor=administrator)
        assert "kind" in error.value.message_dict

    def test_only_administrators_keep_templates(self, handler):
        with pytest.raises(PermissionDenied):
            services.reply_template_save(
                template=ReplyTemplate(name="Mall", text="Hej!"), actor=handler
            )


class TestDeleting:
    def test_used_reply_template_cannot_be_deleted_only_deactivated(
        self, client, case, handler, administrator
    ):
        template = template_for(case)
        services.case_reply(case=case, actor=handler, text="Hej!", template=template)
        # The model, the service and the admin all refuse.
        with pytest.raises(ProtectedError):
            template.delete()
        with pytest.raises(ValidationError, match="Inaktivera den i stället"):
            services.reply_template_delete(template=template, actor=administrator)
        client.force_login(administrator)
        assert (
            client.get(reverse("admin:feedback_replytemplate_delete", args=[template.pk]))
        ).status_code == 403
        client.post(
            reverse("admin:feedback_replytemplate_changelist"),
            {"action": "delete_selected", "_selected_action": [template.pk], "post": "yes"},
        )
        assert ReplyTemplate.objects.filter(pk=template.pk).exists()
        # Deactivated instead: kept, no longer offered, the reply still refers to it.
        client.post(
            reverse("admin:feedback_replytemplate_changelist"),
            {"action": "deactivate", "_selected_action": [template.pk]},
        )
        template.refresh_from_db()
        assert template.is_active is False
        assert template not in selectors.reply_templates_for(case)
        assert CaseUpdate.objects.get(case=case, kind=UpdateKind.REPLY).template == template
        assert AuditEntry.objects.filter(action="replytemplate.deactivated").exists()

    def test_an_unused_template_can_be_deleted(self, client, case, administrator):
        template = template_for(case)
        services.reply_template_delete(template=template, actor=administrator)
        assert not ReplyTemplate.objects.exists()
        assert AuditEntry.objects.filter(action="replytemplate.deleted").exists()
