"""The project's own error types.

Bad input is a :class:`DocumentError` (the file's fault, reported for that file while the rest of a
batch proceeds); anything else escaping the pipeline is a defect in this project.
"""

from __future__ import annotations


class DpaError(Exception):
    """Base class of every error this project raises on purpose."""


class ConfigError(DpaError):
    """The clause library, a vendor profile, a policy or an option is invalid."""


class DocumentError(DpaError):
    """A document could not be analysed because of the document itself (as distinct from a defect)."""

    code = "document"


class NotPdfError(DocumentError):
    """The file is not a PDF (wrong magic bytes, e.g. a renamed .docx)."""

    code = "not-pdf"


class EmptyFileError(DocumentError):
    """The file has no bytes."""

    code = "empty"


class CorruptPdfError(DocumentError):
    """The PDF structure is broken or truncated beyond repair."""

    code = "corrupt"


class EncryptedPdfError(DocumentError):
    """The PDF is password-protected and no (or a wrong) password was given."""

    code = "encrypted"


class NoTextError(DocumentError):
    """No usable text layer (an image-only scan, or text in a broken font encoding)."""

    code = "no-text"


class LimitExceededError(DocumentError):
    """A configured limit (file size, page count, time) was exceeded."""

    code = "limit"


class ModelLoadError(DpaError):
    """The embedding model could not be loaded offline."""
