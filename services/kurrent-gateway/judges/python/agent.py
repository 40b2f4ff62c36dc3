"""esdbclient as one party of the cross-client scenarios (src/judges/cross.ts), against a running gateway.

Usage: agent.py <grpc host:port>. Reads one JSON request a line on standard input and answers each
with one JSON line: {"op": "append", "stream", "expected": "no_stream" | "any" | <revision>,
"events": [{"id", "type", "contentType", "data": <base64>, "metadata": <base64>}]} is answered
{"ok": true, "revision", "commit"}; {"op": "read" | "readAll", "stream"} (the stream, or $all
filtered to that stream name) is answered {"ok": true, "events": [<canonical event>]}. A failure is
{"ok": false, "error"}. The canonical form is the one every language's agent prints (cross.ts).
"""

import base64
import datetime
import json
import sys
import traceback
import uuid

from esdbclient import EventStoreDBClient, NewEvent, StreamState

client = EventStoreDBClient(uri=f"esdb://{sys.argv[1]}?Tls=false")
EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.timezone.utc)
STATES = {"no_stream": StreamState.NO_STREAM, "any": StreamState.ANY, "stream_exists": StreamState.EXISTS}


def bytes_value(raw, as_json):
    """JSON content as its value; other bytes as {"$base64"}; no bytes as null."""
    if not raw:
        return None
    if as_json:
        try:
            return json.loads(raw)
        except ValueError:
            pass
    return {"$base64": base64.b64encode(raw).decode()}


def canonical(e):
    is_json = e.content_type == "application/json"
    return {
        "id": str(e.id),
        "type": e.type,
        "stream": e.stream_name,
        "revision": e.stream_position,
        "contentType": e.content_type,
        "data": bytes_value(e.data, is_json),
        "metadata": bytes_value(e.metadata, True),
        "commit": str(e.commit_position),
        "createdMs": (e.recorded_at - EPOCH) // datetime.timedelta(milliseconds=1),
    }


def append(request):
    expected = request["expected"]
    events = [
        NewEvent(
            id=uuid.UUID(e["id"]),
            type=e["type"],
            content_type=e["contentType"],
            data=base64.b64decode(e["data"]),
            metadata=base64.b64decode(e["metadata"]),
        )
        for e in request["events"]
    ]
    commit = client.append_to_stream(
        request["stream"], current_version=STATES.get(expected, expected), events=events
    )
    return {"revision": client.get_current_version(request["stream"]), "commit": str(commit)}


def read(request):
    return {"events": [canonical(e) for e in client.get_stream(request["stream"])]}


def read_all(request):
    # esdbclient anchors the expression it sends; the stream's own name matches it alone.
    found = client.read_all(filter_include=[request["stream"]], filter_by_stream_name=True, filter_exclude=())
    return {"events": [canonical(e) for e in found]}


OPS = {"append": append, "read": read, "readAll": read_all}

for line in sys.stdin:
    if not line.strip():
        continue
    try:
        request = json.loads(line)
        answer = {"ok": True, **OPS[request["op"]](request)}
    except Exception as error:
        answer = {"ok": False, "error": f"{type(error).__name__}: {error}", "trace": traceback.format_exc()}
    sys.stdout.write(json.dumps(answer) + "\n")
    sys.stdout.flush()
client.close()
