"""The sample containers' app: a tiny HTTP client's startup, without network.

It imports requests, builds a session with a user agent and a prepared request, and asks which
adapter and CA bundle a real call would use; then it prints one line and exits. Run inside the
merged image: chroot MOUNT /usr/bin/python3.11 /app/main.py
"""
import requests
import certifi


def main():
    session = requests.Session()
    session.headers["User-Agent"] = "erofs-top-sample/" + requests.__version__
    request = session.prepare_request(requests.Request("GET", "https://example.org/status", params={"q": "erofs"}))
    adapter = session.get_adapter(request.url)
    print("requests", requests.__version__, request.method, request.url, type(adapter).__name__, certifi.where())


if __name__ == "__main__":
    main()
