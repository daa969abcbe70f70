"""Small datasets of the tests' own, registered for a test and forgotten after it (the real
ones come from torget.api)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from rest_framework import serializers

from torget.api import datasets
from torget.api.datasets import Dataset
from torget.geo.models import Area
from torget.proposals.models import PUBLIC_STATUSES, Proposal


class AreaSerializer(serializers.ModelSerializer):
    class Meta:
        model = Area
        fields = ["slug", "name", "kind"]


class TopicSerializer(serializers.Serializer):
    slug = serializers.CharField()
    name = serializers.CharField(help_text="Ämnets namn")


class ProposalSerializer(serializers.ModelSerializer):
    area = AreaSerializer(allow_null=True)
    topic = TopicSerializer()
    tags = serializers.SerializerMethodField(help_text="Ord som beskriver förslaget | med streck")

    class Meta:
        model = Proposal
        fields = [
            "id",
            "title",
            "body",
            "status",
            "published_at",
            "support_count",
            "area",
            "topic",
            "tags",
        ]

    def get_tags(self, proposal: Proposal) -> list[str]:
        return ["cykel", "skola"]


def areas_dataset() -> Dataset:
    return Dataset(
        slug="test-omraden",
        title="Områden (test)",
        description="Kommunens områden.",
        rows=lambda: Area.objects.order_by("pk"),
        serializer=AreaSerializer,
        themes=("REGI",),
        keywords=("områden",),
    )


def proposals_dataset() -> Dataset:
    return Dataset(
        slug="test-forslag",
        title="Medborgarförslag (test)",
        description="Publicerade medborgarförslag.",
        rows=lambda: (
            Proposal.objects.filter(status__in=PUBLIC_STATUSES, hidden_at__isnull=True)
            .select_related("area", "topic")
            .order_by("pk")
        ),
        serializer=ProposalSerializer,
        modified_field="published_at",
        themes=("GOVE", "SOCI"),
        keywords=("förslag", "medborgarförslag"),
    )


@contextmanager
def registered(*found: Dataset) -> Iterator[list[Dataset]]:
    for dataset in found:
        datasets.register(dataset)
    try:
        yield list(found)
    finally:
        for dataset in found:
            datasets.unregister(dataset.slug)
