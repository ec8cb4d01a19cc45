"""The engine's own HTTP client (src/util/http_client.*) over TLS: a local HTTPS
server with a certificate from a CA this test creates. The client trusts only
the system store or SSL_CERT_FILE, and the name in the URL must match the
certificate."""

from __future__ import annotations

import datetime
import hashlib
import ipaddress
import json
import ssl
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from stratamem import EmbedderError, SyncMemory

DIM = 16


def _vector(text: str) -> list[float]:
    v = [0.0] * DIM
    for word in text.lower().split():
        v[hashlib.sha256(word.encode()).digest()[0] % DIM] += 1.0
    return v


def _name(cn: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, cn)])


def _make_ca(tmp_path, label: str):
    key = ec.generate_private_key(ec.SECP256R1())
    now = datetime.datetime.now(datetime.timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(_name(label)).issuer_name(_name(label))
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(hours=1))
            .not_valid_after(now + datetime.timedelta(days=1))
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .add_extension(x509.KeyUsage(digital_signature=True, key_cert_sign=True, crl_sign=True,
                                         content_commitment=False, key_encipherment=False,
                                         data_encipherment=False, key_agreement=False,
                                         encipher_only=False, decipher_only=False), critical=True)
            .sign(key, hashes.SHA256()))
    path = tmp_path / f"{label}.pem"
    path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    return key, cert, path


def _server_cert(tmp_path, ca_key, ca_cert, san: list[x509.GeneralName]):
    key = ec.generate_private_key(ec.SECP256R1())
    now = datetime.datetime.now(datetime.timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(_name("stratamem test server"))
            .issuer_name(ca_cert.subject).public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(hours=1))
            .not_valid_after(now + datetime.timedelta(days=1))
            .add_extension(x509.SubjectAlternativeName(san), critical=False)
            .sign(ca_key, hashes.SHA256()))
    chain = tmp_path / "server.pem"
    chain.write_bytes(cert.public_bytes(serialization.Encoding.PEM) +
                      key.private_bytes(serialization.Encoding.PEM,
                                        serialization.PrivateFormat.PKCS8,
                                        serialization.NoEncryption()))
    return chain


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # kept-alive connections, chunked replies

    def do_POST(self):  # noqa: N802
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        self.server.seen.append(self.path)
        data = json.dumps({"data": [{"index": i, "embedding": _vector(t)}
                                    for i, t in enumerate(body["input"])]}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        for start in range(0, len(data), 100):  # many chunks
            part = data[start:start + 100]
            self.wfile.write(f"{len(part):x}\r\n".encode() + part + b"\r\n")
        self.wfile.write(b"0\r\n\r\n")

    def log_message(self, *args):
        pass


class _OneShotHandler(_Handler):
    """Answers one request per connection, then closes it without saying so
    (no "Connection: close"), as a server's idle timeout does."""

    def setup(self):
        super().setup()
        self.server.connections += 1

    def do_POST(self):  # noqa: N802
        super().do_POST()
        self.close_connection = True


@pytest.fixture
def https_server(tmp_path):
    """Yields start(san) -> (base_url, ca_path, paths seen): a TLS server whose
    certificate names `san`, signed by a fresh CA."""
    servers = []

    def start(san, handler=_Handler):
        ca_key, ca_cert, ca_path = _make_ca(tmp_path, "test-ca")
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(_server_cert(tmp_path, ca_key, ca_cert, san))
        httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        httpd.socket = ctx.wrap_socket(httpd.socket, server_side=True)
        httpd.seen = []
        httpd.connections = 0
        threading.Thread(target=httpd.serve_forever, daemon=True).start()
        servers.append(httpd)
        start.last = httpd
        return f"https://127.0.0.1:{httpd.server_address[1]}/v1", ca_path, httpd.seen

    yield start
    for httpd in servers:
        httpd.shutdown()
        httpd.server_close()


def _memory(tmp_path, base_url, name="s.db"):
    return SyncMemory(db_path=str(tmp_path / name), embedder_backend="openai",
                      embedder_model="test-embed", embedder_base_url=base_url,
                      embedder_api_key="sk-test", vector_dimension=DIM)


def test_https_with_trusted_ca(tmp_path, https_server, monkeypatch):
    base_url, ca_path, seen = https_server([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))])
    monkeypatch.setenv("SSL_CERT_FILE", str(ca_path))
    with _memory(tmp_path, base_url) as m:
        mid = m.save("the cat sat on the mat", user_id="u")
        m.save("stock prices fell sharply", user_id="u")
        assert m.search("cat on a mat", user_id="u", mode="vector")[0].id == mid
    assert len(seen) >= 2 and set(seen) == {"/v1/embeddings"}


def test_a_kept_alive_connection_the_server_closed_is_replaced(tmp_path, https_server, monkeypatch):
    # Each save embeds once; the second finds its pooled connection closed by
    # the server and must send again on a new one, without an error.
    base_url, ca_path, seen = https_server([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))],
                                           _OneShotHandler)
    monkeypatch.setenv("SSL_CERT_FILE", str(ca_path))
    with _memory(tmp_path, base_url) as m:
        for text in ("the cat sat on the mat", "stock prices fell sharply", "rain is due"):
            m.save(text, user_id="u")
        assert len(m.get_all(user_id="u")) == 3
    assert len(seen) == 3 and https_server.last.connections == 3


def test_https_rejects_an_untrusted_certificate(tmp_path, https_server, monkeypatch):
    base_url, _, seen = https_server([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))])
    _, _, other_ca = _make_ca(tmp_path, "other-ca")
    monkeypatch.setenv("SSL_CERT_FILE", str(other_ca))
    with _memory(tmp_path, base_url) as m:
        with pytest.raises(EmbedderError, match="certificate rejected"):
            m.save("never sent", user_id="u")
        assert m.get_all(user_id="u") == []
    assert seen == []


def test_https_rejects_a_certificate_for_another_name(tmp_path, https_server, monkeypatch):
    # Signed by the trusted CA, but for "localhost" while the URL says 127.0.0.1.
    base_url, ca_path, seen = https_server([x509.DNSName("localhost")])
    monkeypatch.setenv("SSL_CERT_FILE", str(ca_path))
    with _memory(tmp_path, base_url) as m:
        with pytest.raises(EmbedderError, match="certificate rejected"):
            m.save("never sent", user_id="u")
    assert seen == []


@pytest.fixture
def connect_proxy():
    """An HTTP CONNECT proxy on 127.0.0.1; yields (url, tunnels it opened)."""
    import socket
    import socketserver

    tunnels: list[str] = []

    class Proxy(socketserver.BaseRequestHandler):
        def handle(self):
            head = b""
            while b"\r\n\r\n" not in head:
                chunk = self.request.recv(1)
                if not chunk:
                    return
                head += chunk
            method, target, _ = head.split(b"\r\n", 1)[0].decode().split(" ", 2)
            if method != "CONNECT":
                self.request.sendall(b"HTTP/1.1 405 Method Not Allowed\r\nContent-Length: 0\r\n\r\n")
                return
            tunnels.append(target)
            host, port = target.rsplit(":", 1)
            upstream = socket.create_connection((host, int(port)))
            self.request.sendall(b"HTTP/1.1 200 Connection established\r\n\r\n")

            def pipe(src, dst):
                try:
                    while data := src.recv(65536):
                        dst.sendall(data)
                except OSError:
                    pass
                finally:
                    for s in (src, dst):
                        try:
                            s.shutdown(socket.SHUT_RDWR)
                        except OSError:
                            pass

            back = threading.Thread(target=pipe, args=(upstream, self.request), daemon=True)
            back.start()
            pipe(self.request, upstream)
            back.join()
            upstream.close()

    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Proxy)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}", tunnels
    server.shutdown()
    server.server_close()


def test_https_through_a_connect_proxy(tmp_path, https_server, connect_proxy, monkeypatch):
    base_url, ca_path, seen = https_server([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))])
    proxy_url, tunnels = connect_proxy
    monkeypatch.setenv("SSL_CERT_FILE", str(ca_path))
    monkeypatch.setenv("https_proxy", proxy_url)
    monkeypatch.delenv("no_proxy", raising=False)
    monkeypatch.delenv("NO_PROXY", raising=False)
    with _memory(tmp_path, base_url) as m:
        m.save("the cat sat on the mat", user_id="u")
    port = base_url.split(":")[2].split("/")[0]
    assert tunnels and set(tunnels) == {f"127.0.0.1:{port}"}
    assert seen

    # no_proxy exempts the host: the next connection goes direct.
    monkeypatch.setenv("no_proxy", "localhost,127.0.0.1")
    count = len(tunnels)
    with _memory(tmp_path, base_url, "direct.db") as m:
        m.save("stock prices fell sharply", user_id="u")
    assert len(tunnels) == count
