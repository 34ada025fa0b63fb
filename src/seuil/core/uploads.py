"""Uploaded files are kept in memory, never written to a temporary file.

Django writes an upload larger than 2.5 MB to a temporary file while the request lasts: a
scanned identity document would then lie in clear on the server's disk. Seuil's one upload
handler (`FILE_UPLOAD_HANDLERS`) keeps every file in memory instead, up to
`MAX_KEPT_BYTES` + 1 bytes each (the largest file any form accepts, and one byte more so
that the form can tell it is too big); the rest is counted, not kept: `upload.size` is the
size sent, `upload.read()` the bytes kept. A request keeps at most twice that in all.
"""

from io import BytesIO

from django.core.files.uploadedfile import InMemoryUploadedFile
from django.core.files.uploadhandler import FileUploadHandler

# The largest file a form of Seuil accepts (bank statements: 20 MB; documents: less).
MAX_KEPT_BYTES = 20 * 1024 * 1024
MAX_REQUEST_BYTES = 2 * (MAX_KEPT_BYTES + 1)


class BoundedMemoryUploadHandler(FileUploadHandler):
    def __init__(self, request=None):
        super().__init__(request)
        self.kept_in_request = 0

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.buffer = BytesIO()
        self.received = 0

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        room = min(
            MAX_KEPT_BYTES + 1 - self.buffer.tell(), MAX_REQUEST_BYTES - self.kept_in_request
        )
        if room > 0:
            kept = raw_data[:room]
            self.buffer.write(kept)
            self.kept_in_request += len(kept)
        return None  # the chunk is consumed: no other handler

    def file_complete(self, file_size):
        self.buffer.seek(0)
        return InMemoryUploadedFile(
            file=self.buffer,
            field_name=self.field_name,
            name=self.file_name,
            content_type=self.content_type,
            size=self.received,
            charset=self.charset,
            content_type_extra=self.content_type_extra,
        )
