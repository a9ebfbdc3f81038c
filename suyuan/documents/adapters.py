"""The signature adapter: identity re-check and signing, behind one interface.

Production plugs in a certified e-signature service (CA-backed, 《电子签名法》第十三条 reliable
electronic signature); development and tests use ``LocalSignatureAdapter``: the signer re-enters
their identity number, which is compared with their party identity, and the record is sealed
with an HMAC keyed from ``SECRET_KEY`` so that editing a signature row is detected as well.
Choose the class with ``settings.SUYUAN_SIGNATURE_ADAPTER`` (dotted path).
"""

from __future__ import annotations

import hashlib
import hmac
from functools import cache
from typing import Protocol

from django.conf import settings
from django.utils.module_loading import import_string

from suyuan.parties.models import Party

from .choices import SignatureMethod
from .models import SignatureRecord


class SignatureAdapter(Protocol):
    method: str

    def check_identity(self, *, party: Party, id_number: str) -> bool:
        """Is the person at the keyboard the party? (re-entered ID number, face check, CA PIN …)"""

    def seal(self, *, record: SignatureRecord) -> str:
        """The signature value over the record's fields (document digest included)."""

    def verify(self, *, record: SignatureRecord) -> bool:
        """Does the stored signature value still match the record?"""


def _normalise(value: str) -> str:
    return "".join(value.split()).upper()


class LocalSignatureAdapter:
    """Development implementation: re-entered identity number plus an HMAC seal."""

    method = SignatureMethod.LOCAL_IDENTITY

    def _key(self) -> bytes:
        return hashlib.sha256(("suyuan-signature:" + settings.SECRET_KEY).encode()).digest()

    def check_identity(self, *, party: Party, id_number: str) -> bool:
        expected = _normalise(party.identity_number)
        return bool(expected) and hmac.compare_digest(expected, _normalise(id_number))

    def _message(self, record: SignatureRecord) -> bytes:
        stamp = int(record.signed_at.timestamp() * 1_000_000)
        fields = [record.document_id, record.party_id, record.signer_id, stamp, record.document_sha256, record.method]
        return "|".join(str(f) for f in fields).encode()

    def seal(self, *, record: SignatureRecord) -> str:
        return hmac.new(self._key(), self._message(record), hashlib.sha256).hexdigest()

    def verify(self, *, record: SignatureRecord) -> bool:
        return hmac.compare_digest(self.seal(record=record), record.seal)


@cache
def _adapter_class(path: str) -> type[SignatureAdapter]:
    return import_string(path)  # type: ignore[no-any-return]


def get_signature_adapter() -> SignatureAdapter:
    path = getattr(settings, "SUYUAN_SIGNATURE_ADAPTER", "suyuan.documents.adapters.LocalSignatureAdapter")
    return _adapter_class(path)()
