"""The caller's own account."""

from rest_framework import serializers


class MeSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    email = serializers.EmailField()
    name = serializers.CharField(source="full_name")
    time_zone = serializers.CharField()
    language = serializers.CharField(source="preferred_language")
    is_expert = serializers.BooleanField()
