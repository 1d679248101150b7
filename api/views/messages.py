"""``threads/`` and ``threads/<id>/messages/``: the site's messages over the API, through the same services.

A thread that is not the caller's answers the unknown id's 404 problem. Sending refusals are the
services' (``bookings.services.messages``): rate limits (429), a block (403), a stranger (404).
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema
from rest_framework.exceptions import NotFound
from rest_framework.generics import ListAPIView
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from bookings.access import participant_booking
from bookings.models import Thread
from bookings.selectors.messages import participant_thread, thread_messages, user_threads
from bookings.services.messages import message_send, question_ask, thread_for_booking, thread_mark_read
from marketplace.models import ExpertPage

from ..pagination import BoundedCursorPagination
from ..permissions import scoped
from ..schema import problems
from ..serializers.messages import (
    MessageCreateSerializer,
    MessageSerializer,
    ThreadCreateSerializer,
    ThreadSerializer,
)

CURSOR_PARAMETERS = [
    OpenApiParameter("cursor", str, description="From `next` or `previous` of the last answer."),
    OpenApiParameter("page_size", int, description="1 to 50 (default 20)."),
]
SEND_PROBLEMS = (
    (403, "blocked", "This person does not accept messages from you."),
    (403, "questions_closed", "This expert is not taking questions before a booking."),
    (413, "too_big", "The file is larger than 10 MB."),
    (415, "wrong_type", "Attach a PDF, an image, a text or an office document."),
    (422, "too_long", "Messages are at most 5000 characters."),
    (429, "limit_reached", "You are sending messages very quickly."),
)


class _Cursor(BoundedCursorPagination):
    page_size = 20


class ThreadCursor(_Cursor):
    ordering = ("-last_message_at", "-id")


class MessageCursor(_Cursor):
    ordering = ("-created_at", "-id")


def _thread(request: Request, pk: int) -> Thread:
    thread = participant_thread(user=request.user, pk=pk)
    if thread is None:
        raise NotFound(_("Not found."))
    return thread


class ThreadList(ListAPIView):
    """GET: your threads, newest activity first, with unread counts. POST: open a booking's thread or ask an expert."""

    serializer_class = ThreadSerializer
    pagination_class = ThreadCursor
    permission_classes = scoped("read", post="book")

    def get_queryset(self):
        return user_threads(user=self.request.user)

    @extend_schema(parameters=CURSOR_PARAMETERS, responses={200: ThreadSerializer(many=True), **problems()})
    def get(self, request: Request, *args, **kwargs) -> Response:
        return super().get(request, *args, **kwargs)

    @extend_schema(
        request=ThreadCreateSerializer,
        responses={200: ThreadSerializer, 201: ThreadSerializer, **problems(*SEND_PROBLEMS)},
        examples=[
            OpenApiExample("from a booking", {"booking": 42}, request_only=True),
            OpenApiExample(
                "ask a question", {"expert": "ada-lovelace", "text": "Do you teach SQL?"}, request_only=True
            ),
        ],
        operation_id="threads_create",
    )
    def post(self, request: Request) -> Response:
        """`{"booking": id}` opens the pair's thread (200 if it existed); `{"expert": slug, "text": …}` asks a
        question before a booking (201), refused when the expert turned questions off."""
        body = ThreadCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        if "booking" in data:
            booking = participant_booking(request, data["booking"])
            existed = Thread.objects.filter(learner_id=booking.learner_id, expert_id=booking.expert_id).exists()
            thread = thread_for_booking(booking=booking)
            status = 200 if existed else 201
        else:
            page = ExpertPage.objects.live().select_related("profile").filter(slug=data["expert"]).first()
            if page is None or page.profile is None:
                raise NotFound(_("No such expert."))
            message = question_ask(learner=request.user, profile=page.profile, text=data["text"])
            thread, status = message.thread, 201
        thread = user_threads(user=request.user).get(pk=thread.pk)
        return Response(ThreadSerializer(thread, context={"request": request}).data, status=status)


class ThreadMessages(ListAPIView):
    """GET: a thread's messages, newest first (reading marks the thread read). POST: send one."""

    serializer_class = MessageSerializer
    pagination_class = MessageCursor
    permission_classes = scoped("read", post="book")
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    def get_queryset(self):
        return thread_messages(thread=self.thread)

    @extend_schema(
        parameters=CURSOR_PARAMETERS,
        responses={200: MessageSerializer(many=True), **problems()},
        operation_id="threads_messages_list",
    )
    def get(self, request: Request, pk: int) -> Response:
        self.thread = _thread(request, pk)
        response = super().get(request, pk)
        thread_mark_read(thread=self.thread, user=request.user)
        return response

    @extend_schema(
        request={"application/json": MessageCreateSerializer, "multipart/form-data": MessageCreateSerializer},
        responses={201: MessageSerializer, **problems(*SEND_PROBLEMS)},
        examples=[OpenApiExample("text", {"text": "See you on Monday!"}, request_only=True)],
        operation_id="threads_messages_create",
    )
    def post(self, request: Request, pk: int) -> Response:
        """Text (plain; links are shown safely) and, in multipart, at most one attachment."""
        thread = _thread(request, pk)
        body = MessageCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        message = message_send(
            thread=thread,
            sender=request.user,
            text=body.validated_data.get("text") or "",
            upload=body.validated_data.get("attachment"),
        )
        return Response(MessageSerializer(message, context={"request": request}).data, status=201)
