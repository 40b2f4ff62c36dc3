"""The shared scenarios (../scenarios.json) through esdbclient, against a running gateway.

Usage: judge.py <grpc host:port> <control url> <backend>. Prints one line per scenario and closes
with "N passed, N failed"; exits 1 if any failed or if a listed scenario has no implementation here.
"""

import json
import queue
import sys
import threading
import time
import traceback
import urllib.request
import uuid
from pathlib import Path

from esdbclient import EventStoreDBClient, NewEvent, StreamState
from esdbclient.events import CaughtUp, Checkpoint
from esdbclient.exceptions import AccessDeniedError, GrpcError, NotFound, StreamIsDeleted, WrongCurrentVersion

GRPC, CONTROL, BACKEND = sys.argv[1], sys.argv[2], sys.argv[3]
client = EventStoreDBClient(uri=f"esdb://{GRPC}?Tls=false")
NO_FILTER = ()  # esdbclient excludes system event types unless told otherwise


def unique():
    return uuid.uuid4().hex[:12]


def control(path, **fields):
    request = urllib.request.Request(
        CONTROL + path, data=json.dumps(fields).encode(), method="POST", headers={"content-type": "application/json"}
    )
    urllib.request.urlopen(request).read()


def ev(type_, n=0, **extra):
    return NewEvent(type=type_, data=json.dumps({"n": n}).encode(), **extra)


def refused(kind, work):
    try:
        work()
    except kind as error:
        return error
    raise AssertionError(f"expected {kind.__name__}")


def denied(work):
    """esdbclient raises AccessDeniedError from a BatchAppend status only; from any other call it
    surfaces KurrentDB's PERMISSION_DENIED status as a GrpcError."""
    try:
        work()
    except AccessDeniedError as error:
        return error
    except GrpcError as error:
        assert "PERMISSION_DENIED" in str(error), str(error)
        return error
    raise AssertionError("expected access denied")


def revisions(events):
    return [e.stream_position for e in events]


def all_of(**kw):
    # $all is read below the snapshot horizon, which other suites' transactions on a shared server hold back.
    control("/settle")
    return list(client.read_all(filter_exclude=NO_FILTER, **kw))


class Follower:
    """Reads a catch-up subscription on a thread, so a scenario can wait for what it expects."""

    def __init__(self, subscription):
        self.subscription = subscription
        self.events, self.checkpoints = [], []
        self.caught_up = threading.Event()
        self.changed = threading.Condition()
        threading.Thread(target=self._run, daemon=True).start()

    def _run(self):
        try:
            for item in self.subscription:
                with self.changed:
                    if isinstance(item, CaughtUp):
                        self.caught_up.set()
                    elif isinstance(item, Checkpoint):
                        self.checkpoints.append(item.commit_position)
                    else:
                        self.events.append(item)
                    self.changed.notify_all()
        except Exception:  # stopped
            pass

    def take(self, count, keep=lambda e: True, seconds=10):
        deadline = time.time() + seconds
        with self.changed:
            while len([e for e in self.events if keep(e)]) < count and time.time() < deadline:
                self.changed.wait(0.1)
            return [e for e in self.events if keep(e)]

    def stop(self):
        self.subscription.stop()


def follow_all(**kw):
    control("/settle")  # so that catching up reaches every commit made before (see all_of)
    follower = Follower(client.subscribe_to_all(filter_exclude=NO_FILTER, include_caught_up=True, **kw))
    assert follower.caught_up.wait(10), "caught up"
    return follower


def s_append_no_stream():
    s = f"ext.orders-{unique()}"
    assert client.append_to_stream(s, current_version=StreamState.NO_STREAM, events=[ev("OrderPlaced", 1)]) > 0
    error = refused(WrongCurrentVersion, lambda: client.append_to_stream(s, current_version=StreamState.NO_STREAM, events=[ev("OrderPlaced", 2)]))
    assert "WrongExpectedVersion" in str(error) or "0" in str(error), str(error)


def s_append_expected_forms():
    s = f"ext.orders-{unique()}"
    refused(WrongCurrentVersion, lambda: client.append_to_stream(s, current_version=StreamState.EXISTS, events=[ev("A")]))
    refused(WrongCurrentVersion, lambda: client.append_to_stream(s, current_version=5, events=[ev("A")]))
    first = client.append_to_stream(s, current_version=StreamState.NO_STREAM, events=[ev("A", 1), ev("A", 2)])
    refused(WrongCurrentVersion, lambda: client.append_to_stream(s, current_version=0, events=[ev("A", 3)]))
    client.append_to_stream(s, current_version=1, events=[ev("A", 3)])
    client.append_to_stream(s, current_version=StreamState.EXISTS, events=[ev("B", 4)])
    last = client.append_to_stream(s, current_version=StreamState.ANY, events=[ev("B", 5)])
    assert last > first
    assert revisions(client.get_stream(s)) == [0, 1, 2, 3, 4]


def s_idempotent_append():
    s = f"ext.orders-{unique()}"
    events = [ev("A", 1, id=uuid.uuid4()), ev("A", 2, id=uuid.uuid4())]
    first = client.append_to_stream(s, current_version=StreamState.NO_STREAM, events=events)
    again = client.append_to_stream(s, current_version=StreamState.NO_STREAM, events=events)
    assert first == again, (first, again)
    assert [e.id for e in client.get_stream(s)] == [e.id for e in events]


def s_refuse_service_append():
    s = f"conventions.convention-{unique()}"
    control("/service", stream=s, types="ConventionDrafted")
    denied(lambda: client.append_to_stream(s, current_version=StreamState.ANY, events=[ev("X")]))


def s_refuse_service_delete():
    s = f"conventions.convention-{unique()}"
    control("/service", stream=s, types="ConventionDrafted,ConventionSigned")
    error = denied(lambda: client.delete_stream(s, current_version=StreamState.ANY))
    denied(lambda: client.tombstone_stream(s, current_version=StreamState.ANY))
    assert "append-only" in str(error), str(error)
    assert len(client.get_stream(s)) == 2


def s_soft_delete_external():
    s = f"ext.orders-{unique()}"
    client.append_to_stream(s, current_version=StreamState.NO_STREAM, events=[ev("A", 1), ev("A", 2)])
    client.delete_stream(s, current_version=1)
    refused(NotFound, lambda: client.get_stream(s))
    client.append_to_stream(s, current_version=StreamState.ANY, events=[ev("A", 3)])
    assert revisions(client.get_stream(s)) == [2]


def s_tombstone_external():
    s = f"ext.orders-{unique()}"
    client.append_to_stream(s, current_version=StreamState.NO_STREAM, events=[ev("A")])
    client.tombstone_stream(s, current_version=StreamState.ANY)
    refused(StreamIsDeleted, lambda: client.get_stream(s))
    refused(StreamIsDeleted, lambda: client.append_to_stream(s, current_version=StreamState.ANY, events=[ev("A")]))


def s_stream_metadata():
    s = f"ext.orders-{unique()}"
    client.append_to_stream(s, current_version=StreamState.NO_STREAM, events=[ev("A", 1), ev("A", 2), ev("A", 3)])
    client.set_stream_metadata(s, metadata={"$maxCount": 2, "owner": "pipeline-7"})
    metadata, version = client.get_stream_metadata(s)
    assert metadata == {"$maxCount": 2, "owner": "pipeline-7"} and version == 0, (metadata, version)
    assert revisions(client.get_stream(s)) == [1, 2]
    service = f"conventions.convention-{unique()}"
    control("/service", stream=service, types="ConventionDrafted")
    denied(lambda: client.set_stream_metadata(service, metadata={"$maxCount": 1}))


def s_binary_and_metadata():
    s = f"ext.blobs-{unique()}"
    client.append_to_stream(
        s,
        current_version=StreamState.NO_STREAM,
        events=[
            NewEvent(type="BlobStored", data=bytes([0, 1, 250, 255]), metadata=b"raw", content_type="application/octet-stream"),
            NewEvent(type="NoteTaken", data=json.dumps({"text": "كتابة"}).encode(), metadata=b'{"source": "scanner-3"}'),
        ],
    )
    blob, note = client.get_stream(s)
    assert blob.data == bytes([0, 1, 250, 255]) and blob.metadata == b"raw"
    assert blob.content_type == "application/octet-stream"
    assert json.loads(note.data) == {"text": "كتابة"} and json.loads(note.metadata) == {"source": "scanner-3"}
    assert abs(note.recorded_at.timestamp() - time.time()) < 60, note.recorded_at


def s_read_stream_revision():
    s = f"ext.orders-{unique()}"
    client.append_to_stream(s, current_version=StreamState.NO_STREAM, events=[ev("A", n) for n in range(5)])
    assert revisions(client.get_stream(s, stream_position=1, limit=2)) == [1, 2]
    assert revisions(client.get_stream(s, backwards=True, limit=2)) == [4, 3]
    assert revisions(client.get_stream(s, stream_position=1, backwards=True)) == [1, 0]
    refused(NotFound, lambda: client.get_stream(f"ext.orders-{unique()}"))


def s_read_service_stream():
    s = f"conventions.convention-{unique()}"
    control("/service", stream=s, types="ConventionDrafted,ConventionSigned")
    events = client.get_stream(s)
    assert [(e.type, json.loads(e.data)) for e in events] == [("ConventionDrafted", {"step": 0}), ("ConventionSigned", {"step": 1})]
    assert json.loads(events[0].metadata)["actor"] == "judge"


def s_read_all_position():
    s = f"ext.orders-{unique()}"
    client.append_to_stream(s, current_version=StreamState.NO_STREAM, events=[ev("A", n) for n in range(3)])
    mine = [e for e in all_of() if e.stream_name == s]
    middle = mine[1].commit_position
    assert [(e.stream_name, e.stream_position) for e in all_of(commit_position=middle, limit=2)] == [(s, 1), (s, 2)]
    assert [(e.stream_name, e.stream_position) for e in all_of(commit_position=middle, backwards=True, limit=1)] == [(s, 0)]
    everything = [e.commit_position for e in all_of()]
    assert everything == sorted(everything) and len(set(everything)) == len(everything)
    assert [e.commit_position for e in all_of(backwards=True)] == everything[::-1]


def s_read_all_filters():
    i = unique()
    a, b = f"ext.parcels-{i}", f"ext.letters-{i}"
    client.append_to_stream(a, current_version=StreamState.NO_STREAM, events=[ev(f"Parcel{i}Sent"), ev(f"Parcel{i}Lost")])
    client.append_to_stream(b, current_version=StreamState.NO_STREAM, events=[ev(f"Letter{i}Sent")])

    def keys(**kw):
        return [f"{e.stream_name}:{e.stream_position}" for e in all_of(**kw)]

    # esdbclient sends one anchored regular expression for its prefixes and patterns alike.
    assert keys(filter_include=[f"{a}.*"], filter_by_stream_name=True) == [f"{a}:0", f"{a}:1"]
    assert keys(filter_include=[f"ext\\.letters-{i}"], filter_by_stream_name=True) == [f"{b}:0"]
    assert keys(filter_include=[f"Parcel{i}.*"]) == [f"{a}:0", f"{a}:1"]
    assert keys(filter_include=[f".*{i}Sent"]) == [f"{a}:0", f"{b}:0"]


def s_personal_sealed_erased():
    subject = f"seeker-{unique()}"
    s = f"matching.seeker-{subject}"
    control("/personal", stream=s, subject=subject)
    data = json.loads(client.get_stream(s)[0].data)
    assert data["region"] == "souss-massa" and isinstance(data["name"]["$pii"]["ct"], str)
    assert "Amina" not in json.dumps(data)
    control("/erase", subject=subject)
    erased = json.loads(all_of(filter_include=[s], filter_by_stream_name=True)[0].data)
    assert erased == {"seekerId": subject, "name": "[erased]", "phone": "[erased]", "region": "souss-massa"}, erased


def s_subscribe_all_start():
    s = f"ext.feed-{unique()}"
    client.append_to_stream(s, current_version=StreamState.NO_STREAM, events=[ev("A", 1), ev("A", 2)])
    follower = follow_all()
    try:
        client.append_to_stream(s, current_version=1, events=[ev("B", 3)])
        assert revisions(follower.take(3, lambda e: e.stream_name == s)) == [0, 1, 2]
        positions = [e.commit_position for e in follower.events]
        assert positions == sorted(positions)
    finally:
        follower.stop()


def s_subscribe_all_position_end():
    s = f"ext.feed-{unique()}"
    client.append_to_stream(s, current_version=StreamState.NO_STREAM, events=[ev("A", n) for n in range(3)])
    start = [e for e in all_of() if e.stream_name == s][0].commit_position
    after, end = follow_all(commit_position=start), follow_all(from_end=True)
    try:
        client.append_to_stream(s, current_version=2, events=[ev("B", 4)])
        assert revisions(after.take(3, lambda e: e.stream_name == s)) == [1, 2, 3]
        assert revisions(end.take(1, lambda e: e.stream_name == s)) == [3]
    finally:
        after.stop()
        end.stop()


def s_subscribe_stream():
    s = f"ext.feed-{unique()}"
    client.append_to_stream(s, current_version=StreamState.NO_STREAM, events=[ev("A", 1), ev("A", 2)])
    followers = [
        Follower(client.subscribe_to_stream(s, include_caught_up=True)),
        Follower(client.subscribe_to_stream(s, stream_position=0, include_caught_up=True)),
        Follower(client.subscribe_to_stream(s, from_end=True, include_caught_up=True)),
    ]
    try:
        for f in followers:
            assert f.caught_up.wait(10)
        client.append_to_stream(s, current_version=1, events=[ev("B", 3)])
        assert [revisions(f.take(n)) for f, n in zip(followers, [3, 2, 1])] == [[0, 1, 2], [1, 2], [2]]
    finally:
        for f in followers:
            f.stop()


def s_filtered_checkpoints():
    i = unique()
    wanted, noise = f"ext.kept{i}-1", f"ext.noise{i}-1"
    client.append_to_stream(noise, current_version=StreamState.NO_STREAM, events=[ev("Noise", n) for n in range(40)])
    client.append_to_stream(wanted, current_version=StreamState.NO_STREAM, events=[ev("Kept", 1)])
    follower = follow_all(
        filter_include=[f"ext\\.kept{i}-.*"], filter_by_stream_name=True, include_checkpoints=True, window_size=5, checkpoint_interval_multiplier=1
    )
    try:
        client.append_to_stream(noise, current_version=39, events=[ev("Noise", n) for n in range(40)])
        client.append_to_stream(wanted, current_version=0, events=[ev("Kept", 2)])
        kept = follower.take(2)
        assert [e.stream_name for e in kept] == [wanted, wanted] and len(follower.events) == 2
        assert follower.checkpoints and follower.checkpoints[0] >= kept[0].commit_position
        resumed = follow_all(commit_position=follower.checkpoints[0], filter_include=[f"ext\\.kept{i}-.*"], filter_by_stream_name=True)
        try:
            expected = [e.commit_position for e in kept if e.commit_position > follower.checkpoints[0]]
            assert [e.commit_position for e in resumed.events] == expected
        finally:
            resumed.stop()
    finally:
        follower.stop()


def s_resume_after_disconnect():
    s = f"ext.feed-{unique()}"
    client.append_to_stream(s, current_version=StreamState.NO_STREAM, events=[ev("A", n) for n in range(3)])
    first = Follower(client.subscribe_to_all(filter_include=[f"{s}"], filter_by_stream_name=True))
    got = first.take(2)[:2]
    first.stop()
    client.append_to_stream(s, current_version=2, events=[ev("A", 3), ev("A", 4)])
    # esdbclient resumes from the commit position alone (it sends it as the prepare position too).
    second = Follower(client.subscribe_to_all(commit_position=got[-1].commit_position, filter_include=[s], filter_by_stream_name=True))
    try:
        assert revisions(got + second.take(3)) == [0, 1, 2, 3, 4]
    finally:
        second.stop()


def s_late_commit():
    i = unique()
    early, late = f"ext.early{i}-1", f"ext.late{i}-1"
    pattern = [f"ext\\.(early|late){i}-1"]
    follower = follow_all(filter_include=pattern, filter_by_stream_name=True)
    control("/hold", stream=early)
    client.append_to_stream(late, current_version=StreamState.NO_STREAM, events=[ev("Late")])
    time.sleep(0.5)
    assert follower.events == [], "nothing after the open transaction is delivered before it"
    control("/commit", stream=early)
    delivered = follower.take(2)
    follower.stop()
    assert [e.stream_name for e in delivered] == [early, late]
    assert delivered[0].commit_position < delivered[1].commit_position
    again = all_of(commit_position=delivered[1].commit_position, limit=1)
    assert again[0].stream_name == late


IMPLEMENTED = {name[2:].replace("_", "-"): fn for name, fn in dict(globals()).items() if name.startswith("s_")}


def main():
    listed = json.loads((Path(__file__).parent.parent / "scenarios.json").read_text())
    passed = failed = 0
    for scenario in listed:
        # A scenario with a writer is a cross-client one: src/judges/cross.ts runs it, with agent.py a party.
        if scenario.get("writer") or (scenario.get("backends") and BACKEND not in scenario["backends"]):
            continue
        run = IMPLEMENTED.get(scenario["id"])
        try:
            if run is None:
                raise AssertionError("no esdbclient implementation of this scenario")
            run()
            passed += 1
            print(f"  ok   {scenario['id']}")
        except Exception:
            failed += 1
            print(f"  FAIL {scenario['id']}: {scenario['name']}\n{traceback.format_exc()}")
    print(f"esdbclient on {BACKEND}, Tests: {passed} passed, {failed} failed")
    client.close()
    sys.exit(1 if failed else 0)


main()
