"""How a store is named to people: any password in a URL is masked, parsable or not."""
from __future__ import annotations

import re

# scheme://user:PASSWORD@ ... ; also matches text SQLAlchemy cannot parse ("post gresql://u:p@h")
_CREDENTIALS = re.compile(r"(://[^:/@\s]*:)[^@\s]*(@)")


def mask_password(text: str) -> str:
    """``text`` with the password of every ``scheme://user:password@`` in it replaced by ``***``.

    >>> mask_password("postgresql://hs:secret@host:5499/db")
    'postgresql://hs:***@host:5499/db'
    """
    return _CREDENTIALS.sub(r"\1***\2", str(text))
