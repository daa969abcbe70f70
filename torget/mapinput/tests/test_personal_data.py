"""A person's map entries in their data export, and what closing the account removes."""

import pytest

from torget.accounts import services as accounts
from torget.mapinput.models import Comment, Point
from torget.mapinput.tests import factories

pytestmark = pytest.mark.django_db


def test_the_export_holds_the_persons_points_and_comments_and_no_one_elses():
    map_ = factories.map_()
    maja, other = factories.citizen(), factories.citizen()
    factories.point(map_, maja, comment="Mörkt vid tunneln", age_band="30-44")
    theirs = factories.point(map_, other, comment="Inte Majas")
    Comment.objects.create(point=theirs, author=maja, shown_name="Maja", text="Håller med")

    data = accounts.personal_data_export(user=maja)["mapinput"]

    assert [p["comment"] for p in data["points"]] == ["Mörkt vid tunneln"]
    assert data["points"][0]["age_band"] == "30-44"
    assert [c["text"] for c in data["comments"]] == ["Håller med"]


def test_closing_the_account_keeps_the_entries_but_not_the_name_or_background():
    map_ = factories.map_()
    maja = factories.citizen()
    point = factories.point(map_, maja, shown_name="Maja, Berga", age_band="30-44")
    comment = Comment.objects.create(point=point, author=maja, shown_name="Maja", text="Ja")

    accounts.account_close(user=maja, actor=maja)

    point = Point.objects.get(pk=point.pk)
    assert point.comment and point.shown_name == "Avslutat konto" and point.age_band == ""
    assert Comment.objects.get(pk=comment.pk).shown_name == "Avslutat konto"
