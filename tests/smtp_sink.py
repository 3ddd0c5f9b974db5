"""A local SMTP server for tests (stdlib sockets only): accepts every message and keeps it in memory.

Speaks just enough SMTP (RFC 5321: EHLO/HELO, MAIL, RCPT, DATA, RSET, NOOP, QUIT) for smtplib; no TLS, no AUTH.
"""

from __future__ import annotations

import socketserver
import threading
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage


@dataclass
class Received:
    sender: str
    recipients: list[str]
    message: EmailMessage


@dataclass
class SmtpSink:
    server: socketserver.ThreadingTCPServer
    messages: list[Received] = field(default_factory=list)

    @property
    def port(self) -> int:
        return self.server.server_address[1]

    @property
    def url(self) -> str:
        return f"smtp://127.0.0.1:{self.port}?from=boundaries@school.test"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def _handler(sink: SmtpSink):
    class Handler(socketserver.StreamRequestHandler):
        def reply(self, line: str) -> None:
            self.wfile.write(line.encode() + b"\r\n")

        def handle(self) -> None:
            self.reply("220 sink ready")
            sender, recipients = "", []
            while line := self.rfile.readline():
                command = line.decode("utf-8", "replace").strip()
                verb = command[:4].upper()
                if verb == "EHLO":
                    self.reply("250-sink")
                    self.reply("250 8BITMIME")
                elif verb == "HELO":
                    self.reply("250 sink")
                elif verb == "MAIL":
                    sender, recipients = command.split(":", 1)[1].strip().strip("<>").split(">")[0], []
                    self.reply("250 ok")
                elif verb == "RCPT":
                    recipients.append(command.split(":", 1)[1].strip().strip("<>"))
                    self.reply("250 ok")
                elif verb == "DATA":
                    self.reply("354 end with .")
                    data = bytearray()
                    while (chunk := self.rfile.readline()) not in (b".\r\n", b""):
                        data += chunk[1:] if chunk.startswith(b"..") else chunk
                    sink.messages.append(Received(sender, recipients,
                                                  message_from_bytes(bytes(data), policy=policy.default)))
                    self.reply("250 queued")
                elif verb == "QUIT":
                    self.reply("221 bye")
                    return
                else:  # RSET, NOOP and anything else
                    self.reply("250 ok")

    return Handler


def start() -> SmtpSink:
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), None)
    server.daemon_threads = True
    sink = SmtpSink(server)
    server.RequestHandlerClass = _handler(sink)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return sink
