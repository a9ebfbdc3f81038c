"""What a grid worker may upload as a site photo: product limits (settings), not legal rules."""

from __future__ import annotations

from django.conf import settings

# (magic bytes at offset, content type, extension); phones send JPEG or HEIC, browsers also PNG/WebP.
SIGNATURES = [
    (0, b"\xff\xd8\xff", "image/jpeg", "jpg"),
    (0, b"\x89PNG\r\n\x1a\n", "image/png", "png"),
    (8, b"WEBP", "image/webp", "webp"),
    (4, b"ftypheic", "image/heic", "heic"),
    (4, b"ftypmif1", "image/heic", "heic"),
]


def check_photo(name: str, size: int, head: bytes) -> tuple[str, str]:
    """(content type, extension) of an acceptable photo; ``ValueError`` with the Chinese reason otherwise."""
    limit = settings.SUYUAN_ASSIST_PHOTO_MAX_BYTES
    if size <= 0:
        raise ValueError(f"照片“{name}”是空文件，请重新拍摄。")
    if size > limit:
        raise ValueError(f"照片“{name}”超过 {limit // (1024 * 1024)} MB，请压缩后再上传。")
    for offset, magic, content_type, extension in SIGNATURES:
        if head[offset:offset + len(magic)] == magic:
            return content_type, extension
    raise ValueError(f"“{name}”不是 JPG、PNG、WebP 或 HEIC 格式的照片，无法上传。")
