"""Threads and messages over the API: what the site's inbox and thread page show, for one of the two people."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from bookings.models import Message, Thread

from .public import StrictSerializer


class ThreadPersonSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class ThreadSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    my_role = serializers.SerializerMethodField()
    other = serializers.SerializerMethodField()
    origin = serializers.ChoiceField(choices=Thread.Origin.choices)
    last_message_at = serializers.DateTimeField()
    last_message_preview = serializers.CharField()
    unread = serializers.SerializerMethodField(help_text="Messages from the other person you have not read.")
    other_read_at = serializers.SerializerMethodField(help_text="Read receipt: the other person read up to this time.")
    blocked_by_me = serializers.SerializerMethodField()
    blocked_by_other = serializers.SerializerMethodField()

    def _me(self):
        return self.context["request"].user

    @extend_schema_field(serializers.ChoiceField(choices=["learner", "expert"]))
    def get_my_role(self, thread: Thread) -> str:
        return thread.role_of(self._me()) or ""

    @extend_schema_field(ThreadPersonSerializer)
    def get_other(self, thread: Thread) -> dict:
        other = thread.other(self._me())
        return {"id": other.pk, "name": str(other.full_name or other.first_name or "")}

    def get_unread(self, thread: Thread) -> int:
        return thread.unread_for(self._me())

    @extend_schema_field(serializers.DateTimeField(allow_null=True))
    def get_other_read_at(self, thread: Thread):
        value = thread.expert_read_at if thread.role_of(self._me()) == "learner" else thread.learner_read_at
        return serializers.DateTimeField().to_representation(value) if value else None

    def get_blocked_by_me(self, thread: Thread) -> bool:
        return thread.blocked_by(self._me())

    def get_blocked_by_other(self, thread: Thread) -> bool:
        return thread.blocked_by_other(self._me())


class ThreadCreateSerializer(StrictSerializer):
    booking = serializers.IntegerField(
        required=False, min_value=1, max_value=2**31 - 1, help_text="Open the thread with this booking's other person."
    )
    expert = serializers.SlugField(required=False, help_text="Ask this expert (page slug) a question before booking.")
    text = serializers.CharField(
        required=False, allow_blank=True, max_length=settings.MESSAGE_QUESTION_MAX_CHARS, help_text="The question."
    )

    def validate(self, attrs):
        attrs = super().validate(attrs)
        if ("booking" in attrs) == ("expert" in attrs):
            raise serializers.ValidationError({"booking": ["Send either booking or expert."]})
        if "expert" in attrs and not (attrs.get("text") or "").strip():
            raise serializers.ValidationError({"text": ["A question needs its text."]})
        return attrs


class AttachmentSerializer(serializers.Serializer):
    name = serializers.CharField()
    content_type = serializers.CharField()
    size = serializers.IntegerField()
    url = serializers.CharField(help_text="Download address (the two participants only).")


class MessageSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    from_me = serializers.SerializerMethodField()
    text = serializers.SerializerMethodField(help_text="Plain text; never HTML. Empty when hidden or deleted.")
    hidden = serializers.SerializerMethodField()
    created_at = serializers.DateTimeField()
    attachment = serializers.SerializerMethodField()

    def get_from_me(self, message: Message) -> bool:
        return message.sender_id == self.context["request"].user.pk

    def get_text(self, message: Message) -> str:
        return "" if message.hidden_at else message.text

    def get_hidden(self, message: Message) -> bool:
        return message.hidden_at is not None

    @extend_schema_field(AttachmentSerializer(allow_null=True))
    def get_attachment(self, message: Message) -> dict | None:
        if not message.attachment or message.hidden_at:
            return None
        url = self.context["request"].build_absolute_uri(reverse("message_attachment", kwargs={"pk": message.pk}))
        return {
            "name": message.attachment_name,
            "content_type": message.attachment_type,
            "size": message.attachment_size,
            "url": url,
        }


class MessageCreateSerializer(StrictSerializer):
    text = serializers.CharField(required=False, allow_blank=True, max_length=settings.MESSAGE_MAX_CHARS)
    attachment = serializers.FileField(required=False, help_text="multipart/form-data only.")
