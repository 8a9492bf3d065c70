"""The local AWS endpoint: moto's server as `moto_server` runs it, plus two read-only
views of what the system sent, shaped like LocalStack's:

  GET /_aws/ses?to=ADDRESS                 {"messages": [{"Id", "Source", "Destination": {"ToAddresses"}, "Subject", "Body": {"html_part"}}]}
  GET /_aws/sns/sms-messages?phoneNumber=P {"sms_messages": {P: [{"PhoneNumber", "Message"}]}}

moto's own `/moto-api/data.json` serialises every object of every service on each call,
so its cost grows with everything the tests ever wrote; these read the two lists only.

DynamoDB writes run one at a time. moto serves requests on threads and checks a
condition and applies its write without a lock, so two transactions racing on one item
could both pass a condition DynamoDB would let only one pass (two grants taking the
last place of a quota). AWS makes each write and transaction atomic; so does this.

    python emulator.py HOST PORT
"""

import json
import os
import signal
import sys
import threading
from urllib.parse import parse_qs

from moto.moto_server.werkzeug_app import (
    DomainDispatcherApplication,
    MotoRequestHandler,
    create_backend_app,
)
from moto.ses.models import ses_backends
from moto.sns.models import sns_backends
from werkzeug.serving import run_simple


def backends(service):
    """Every region's backend of every account that has one."""
    for per_account in list(service.values()):
        yield from list(per_account.values())


def sent_emails(to):
    messages = []
    for backend in backends(ses_backends):
        for message in list(backend.sent_messages):
            destinations = getattr(message, "destinations", None) or {}
            addresses = [
                address
                for field in ("ToAddresses", "CcAddresses", "BccAddresses")
                for address in destinations.get(field, [])
            ]
            if to and to not in addresses:
                continue
            messages.append(
                {
                    "Id": message.id,
                    "Source": getattr(message, "source", ""),
                    "Destination": {"ToAddresses": destinations.get("ToAddresses", [])},
                    "Subject": getattr(message, "subject", ""),
                    "Body": {"html_part": getattr(message, "body", "")},
                }
            )
    return {"messages": messages}


def sent_sms(phone):
    found = {}
    for backend in backends(sns_backends):
        for number, text in list(backend.sms_messages.values()):
            if phone and number != phone:
                continue
            found.setdefault(number, []).append({"PhoneNumber": number, "Message": text})
    return {"sms_messages": found}


DYNAMODB_WRITES = {
    "DynamoDB_20120810." + action
    for action in (
        "PutItem",
        "UpdateItem",
        "DeleteItem",
        "BatchWriteItem",
        "TransactWriteItems",
    )
}
DYNAMODB_WRITE_LOCK = threading.Lock()


def with_views(app):
    def serve(environ, start_response):
        if environ.get("HTTP_X_AMZ_TARGET") in DYNAMODB_WRITES:
            with DYNAMODB_WRITE_LOCK:
                # The whole answer is made under the lock: moto writes as it answers.
                return list(app(environ, start_response))
        path = environ.get("PATH_INFO", "")
        query = parse_qs(environ.get("QUERY_STRING", ""))
        first = lambda name: (query.get(name) or [""])[0]  # noqa: E731
        if path == "/_aws/ses":
            body = sent_emails(first("to"))
        elif path == "/_aws/sns/sms-messages":
            body = sent_sms(first("phoneNumber"))
        else:
            return app(environ, start_response)
        data = json.dumps(body).encode()
        start_response(
            "200 OK",
            [("Content-Type", "application/json"), ("Content-Length", str(len(data)))],
        )
        return [data]

    return serve


def main():
    host, port = sys.argv[1], int(sys.argv[2])
    os.environ.setdefault("MOTO_PORT", str(port))
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    signal.signal(signal.SIGINT, lambda *_: sys.exit(0))
    app = DomainDispatcherApplication(create_backend_app)
    run_simple(
        host,
        port,
        with_views(app),
        threaded=True,
        request_handler=MotoRequestHandler,
    )


if __name__ == "__main__":
    main()
