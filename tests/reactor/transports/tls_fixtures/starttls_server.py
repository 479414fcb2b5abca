# A STARTTLS server for tls_test.ts (Python's ssl module; Deno has no
# server-side startTls). It prints its port, answers "STARTTLS" with "GO",
# prints the clear line that follows as "CLEAR <line>", then speaks TLS and
# echoes until the client closes. Lines are read a byte at a time so the
# TLS bytes stay in the socket for the handshake.
import os, socket, ssl, sys

here = os.path.dirname(os.path.abspath(__file__))
ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
ctx.load_cert_chain(os.path.join(here, "server.pem"), os.path.join(here, "server.key"))
srv = socket.socket()
srv.bind(("127.0.0.1", 0))
srv.listen(1)
print(srv.getsockname()[1], flush=True)
conn, _ = srv.accept()

def line():
    out = b""
    while not out.endswith(b"\n"):
        b = conn.recv(1)
        if not b:
            sys.exit(1)
        out += b
    return out.rstrip(b"\r\n").decode()

assert line() == "STARTTLS"
conn.sendall(b"GO\r\n")
print("CLEAR " + line(), flush=True)
tls = ctx.wrap_socket(conn, server_side=True)
while True:
    data = tls.recv(65536)
    if not data:
        break
    tls.sendall(data)
tls.close()
print("DONE", flush=True)
