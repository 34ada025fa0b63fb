"""The page of a file prepared in the background (its progress, then its link) and the file
(`core.downloads`). Both are the requester's alone: anyone else gets a 404."""

from django.http import Http404, StreamingHttpResponse
from django.shortcuts import render
from django_htmx.http import HttpResponseClientRefresh

from .documents import as_attachment
from .downloads import KEPT_HOURS, kind_of, pieces
from .enums import DownloadStatus
from .models import PreparedDownload
from .pages import object_or_404
from .views_policy import policy
from .workers import progress_warnings


@policy(read=None, personal=True)
def prepared_download(request, uuid):
    download = object_or_404(request, PreparedDownload, uuid)
    context = {
        "download": download,
        "kind": kind_of(download),
        "kept_hours": KEPT_HOURS,
        **progress_warnings(
            queued=download.status == DownloadStatus.QUEUED,
            running=download.status == DownloadStatus.RUNNING,
            since=download.requested_at,
        ),
    }
    if request.htmx:
        if not download.is_pending:
            return HttpResponseClientRefresh()
        return render(request, "core/_prepared_progress.html", context)
    return render(request, "core/prepared_download.html", context)


@policy(read=None, personal=True)
def prepared_download_file(request, uuid):
    download = object_or_404(request, PreparedDownload, uuid)
    if download.status != DownloadStatus.DONE:
        raise Http404
    response = StreamingHttpResponse(pieces(download), content_type=download.content_type)
    response["Content-Length"] = str(download.size)
    return as_attachment(response, download.filename)
