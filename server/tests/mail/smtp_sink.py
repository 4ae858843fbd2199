"""A real SMTP server for the tests (aiosmtpd), keeping every message it accepts.

Each accepted message is written whole to DIR/<n>.eml (with X-Envelope-To: lines first), and a
line of JSON to DIR/received.jsonl. Recipients whose local part starts with "bounce" are refused
at RCPT with 550 5.1.1 (a hard bounce); "defer" with 451 4.3.0 (a soft one).

    python smtp_sink.py PORT DIR
"""
import asyncio
import itertools
import json
import os
import sys

from aiosmtpd.controller import Controller


class Sink:
    def __init__(self, folder):
        self.folder = folder
        self.count = itertools.count(1)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        local = address.split("@", 1)[0].lower()
        if local.startswith("bounce"):
            return "550 5.1.1 <%s>: no such mailbox here" % address
        if local.startswith("defer"):
            return "451 4.3.0 <%s>: try again later" % address
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        n = next(self.count)
        name = os.path.join(self.folder, "%d.eml" % n)
        head = "".join("X-Envelope-To: %s\r\n" % to for to in envelope.rcpt_tos).encode()
        with open(name + ".part", "wb") as out:
            out.write(head + envelope.original_content)
        os.rename(name + ".part", name)
        with open(os.path.join(self.folder, "received.jsonl"), "a") as log:
            log.write(json.dumps({"file": name, "from": envelope.mail_from, "to": envelope.rcpt_tos}) + "\n")
        return "250 Message accepted for delivery"


def main():
    port, folder = int(sys.argv[1]), sys.argv[2]
    os.makedirs(folder, exist_ok=True)
    controller = Controller(Sink(folder), hostname="127.0.0.1", port=port)
    controller.start()
    print("smtp sink on 127.0.0.1:%d writing to %s" % (port, folder), flush=True)
    try:
        asyncio.get_event_loop().run_forever()
    finally:
        controller.stop()


if __name__ == "__main__":
    main()
