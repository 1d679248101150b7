"""One bounded read for every upload: the limit holds even when the client lies about the size."""

from django.core.files.uploadedfile import SimpleUploadedFile

from core.uploads import upload_bytes


def test_a_file_within_the_limit_is_read_whole_and_an_empty_one_is_empty():
    assert upload_bytes(SimpleUploadedFile("a.txt", b"12345"), limit=5) == b"12345"
    assert upload_bytes(SimpleUploadedFile("e.txt", b""), limit=5) == b""


def test_a_file_past_the_limit_is_refused_by_its_size_or_by_what_is_read():
    assert upload_bytes(SimpleUploadedFile("big.txt", b"123456"), limit=5) is None
    lying = SimpleUploadedFile("lie.txt", b"x" * 50)
    lying.size = 3  # a client that declares less than it sends
    assert upload_bytes(lying, limit=5) is None
    lying.size = None
    assert upload_bytes(lying, limit=5) is None
