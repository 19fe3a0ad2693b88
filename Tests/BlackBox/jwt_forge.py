"""Hand-made JWTs (HS256 or none), as an attacker would make them: no library to trust."""

import base64
import hashlib
import hmac
import json


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def unb64url(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def claims_of(token: str) -> dict:
    """The payload of a token, unverified."""
    return json.loads(unb64url(token.split(".")[1]))


def make(claims: dict, key: bytes | None, header: dict | None = None) -> str:
    """A compact JWT: HS256 with `key`, or alg none (empty signature) when key is None."""
    head = {"alg": "HS256" if key is not None else "none", "typ": "JWT", **(header or {})}
    signing_input = f"{b64url(json.dumps(head).encode())}.{b64url(json.dumps(claims).encode())}"
    signature = b"" if key is None else hmac.new(key, signing_input.encode(), hashlib.sha256).digest()
    return f"{signing_input}.{b64url(signature)}"
