"""What evidence files are accepted: type by extension and content, size limit."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings

# Extension → (content type, magic-byte prefixes). Office files are ZIP containers.
ACCEPTED: dict[str, tuple[str, tuple[bytes, ...]]] = {
    "pdf": ("application/pdf", (b"%PDF-",)),
    "jpg": ("image/jpeg", (b"\xff\xd8\xff",)),
    "jpeg": ("image/jpeg", (b"\xff\xd8\xff",)),
    "png": ("image/png", (b"\x89PNG\r\n\x1a\n",)),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", (b"PK\x03\x04",)),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", (b"PK\x03\x04",)),
    "mp3": ("audio/mpeg", (b"ID3", b"\xff\xfb", b"\xff\xf3", b"\xff\xf2")),
    "mp4": ("video/mp4", (b"\x00\x00\x00",)),
}


@dataclass(frozen=True)
class CheckedFile:
    extension: str
    content_type: str


def check_evidence_file(name: str, size: int, head: bytes) -> CheckedFile:
    """Return the accepted type, or raise ``ValueError`` with a Chinese reason."""
    limit = settings.SUYUAN_EVIDENCE_MAX_BYTES
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in ACCEPTED:
        allowed = "、".join(sorted({e.upper() for e in ACCEPTED}))
        raise ValueError(f"不支持的文件类型，请上传 {allowed} 格式的文件。")
    if size <= 0:
        raise ValueError("文件为空。")
    if size > limit:
        raise ValueError(f"文件过大（{size / 1048576:.1f} MB），单个文件不得超过 {limit // 1048576} MB。")
    content_type, magics = ACCEPTED[extension]
    if not any(head.startswith(m) for m in magics):
        raise ValueError("文件内容与扩展名不符，请上传真实的证据文件。")
    return CheckedFile(extension, content_type)
