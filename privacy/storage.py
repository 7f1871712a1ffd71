"""Private file storage: personal files never get a public URL; permission-checked views stream them."""

from django.core.files.storage import FileSystemStorage


class PrivateStorage(FileSystemStorage):
    def url(self, name):
        raise ValueError("Private files have no public URL; use the permission-checked download view.")
