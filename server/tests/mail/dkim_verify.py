"""Verifies a message's DKIM signature (dkimpy) against a public key given as a PEM file, in
place of the DNS record a receiver would read.

    python dkim_verify.py PUBLIC_KEY_PEM MESSAGE_FILE
exits 0 when the signature verifies.
"""
import base64
import sys

import dkim


def main():
    pem = open(sys.argv[1]).read()
    der = base64.b64decode("".join(line for line in pem.splitlines() if "-----" not in line))
    record = b"v=DKIM1; k=rsa; p=" + base64.b64encode(der)
    message = open(sys.argv[2], "rb").read()
    # The sink's own X-Envelope-To: lines were added after signing; a receiver would not see them.
    lines = message.split(b"\r\n")
    while lines and lines[0].startswith(b"X-Envelope-To:"):
        lines.pop(0)
    message = b"\r\n".join(lines)
    ok = dkim.verify(message, dnsfunc=lambda name, timeout=5: record)
    print("verified" if ok else "NOT verified")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
