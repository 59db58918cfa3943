"""Opening the encrypted exports as their recipient would."""

import io

from msoffcrypto.format.ooxml import OOXMLFile


def decrypted(content, password):
    """The XLSX or DOCX inside an encrypted export; raises msoffcrypto's InvalidKeyError for a
    wrong password."""
    encrypted = OOXMLFile(io.BytesIO(content))
    encrypted.load_key(password=password, verify_password=True)
    plain = io.BytesIO()
    encrypted.decrypt(plain, verify_integrity=True)
    return plain.getvalue()
