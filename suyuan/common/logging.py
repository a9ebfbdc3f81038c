"""A logging filter that masks ID numbers, credit codes and phone numbers in every log record."""

from __future__ import annotations

import logging

from .masking import scrub


class MaskPersonalDataFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        masked = scrub(message)
        if masked != message:
            record.msg = masked
            record.args = None
        return True
