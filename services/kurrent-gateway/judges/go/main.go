// The shared scenarios (../scenarios.json) through the Go client, against a running gateway.
//
// Usage: go run . <grpc host:port> <control url> <backend>. Prints one line per scenario and closes
// with "N passed, N failed"; exits 1 if any failed or a listed scenario has no implementation here.
// Scenarios with a writer and readers are the cross-client ones, run by src/judges/cross.ts with this
// program as one party (`--agent`, agent.go).
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/kurrent-io/KurrentDB-Client-Go/kurrentdb"
)

var (
	client  *kurrentdb.Client
	control string
	ctx     = context.Background()
)

func unique() string { return strings.ReplaceAll(uuid.NewString(), "-", "")[:12] }

func must(err error) {
	if err != nil {
		panic(err)
	}
}

func check(ok bool, format string, args ...any) {
	if !ok {
		panic(fmt.Sprintf(format, args...))
	}
}

func post(path string, fields map[string]string) {
	body, _ := json.Marshal(fields)
	res, err := http.Post(control+path, "application/json", bytes.NewReader(body))
	must(err)
	res.Body.Close()
	check(res.StatusCode == 204, "control %s answered %d", path, res.StatusCode)
}

func event(typ string, n int) kurrentdb.EventData {
	data, _ := json.Marshal(map[string]int{"n": n})
	return kurrentdb.EventData{EventID: uuid.New(), EventType: typ, ContentType: kurrentdb.ContentTypeJson, Data: data}
}

func events(typ string, count int) []kurrentdb.EventData {
	out := make([]kurrentdb.EventData, count)
	for i := range out {
		out[i] = event(typ, i)
	}
	return out
}

func appendTo(stream string, state kurrentdb.StreamState, evs ...kurrentdb.EventData) (*kurrentdb.WriteResult, error) {
	return client.AppendToStream(ctx, stream, kurrentdb.AppendToStreamOptions{StreamState: state}, evs...)
}

func codeOf(err error) kurrentdb.ErrorCode {
	var e *kurrentdb.Error
	if errors.As(err, &e) {
		return e.Code()
	}
	return kurrentdb.ErrorCodeUnknown
}

func refused(code kurrentdb.ErrorCode, err error) {
	check(err != nil && codeOf(err) == code, "expected error code %d, got %v", code, err)
}

func drain(stream *kurrentdb.ReadStream, err error) ([]*kurrentdb.RecordedEvent, error) {
	if err != nil {
		return nil, err
	}
	defer stream.Close()
	var out []*kurrentdb.RecordedEvent
	for {
		r, err := stream.Recv()
		if err != nil {
			if errors.Is(err, io.EOF) {
				return out, nil
			}
			return out, err
		}
		out = append(out, r.Event)
	}
}

func read(stream string, opts kurrentdb.ReadStreamOptions, count uint64) ([]*kurrentdb.RecordedEvent, error) {
	return drain(client.ReadStream(ctx, stream, opts, count))
}

// readAll reads $all once the snapshot horizon has passed every commit: other suites' transactions
// on a shared server hold it back.
func readAll(opts kurrentdb.ReadAllOptions, count uint64) []*kurrentdb.RecordedEvent {
	post("/settle", map[string]string{})
	out, err := drain(client.ReadAll(ctx, opts, count))
	must(err)
	return out
}

func revisions(evs []*kurrentdb.RecordedEvent) string {
	parts := []string{}
	for _, e := range evs {
		parts = append(parts, fmt.Sprint(e.EventNumber))
	}
	return strings.Join(parts, ",")
}

// follower keeps what a subscription receives, on a goroutine.
type follower struct {
	sub         *kurrentdb.Subscription
	events      chan *kurrentdb.RecordedEvent
	checkpoints chan kurrentdb.Position
	caughtUp    chan struct{}
}

func follow(sub *kurrentdb.Subscription, err error) *follower {
	must(err)
	f := &follower{sub, make(chan *kurrentdb.RecordedEvent, 10_000), make(chan kurrentdb.Position, 10_000), make(chan struct{})}
	go func() {
		caught := false
		for {
			e := f.sub.Recv()
			switch {
			case e.EventAppeared != nil:
				f.events <- e.EventAppeared.Event
			case e.CheckPointReached != nil:
				f.checkpoints <- *e.CheckPointReached
			case e.CaughtUp != nil && !caught:
				caught = true
				close(f.caughtUp)
			case e.SubscriptionDropped != nil:
				return
			}
		}
	}()
	select {
	case <-f.caughtUp:
	case <-time.After(10 * time.Second):
		panic("the subscription did not catch up")
	}
	return f
}

func (f *follower) take(count int, keep func(*kurrentdb.RecordedEvent) bool) []*kurrentdb.RecordedEvent {
	var out []*kurrentdb.RecordedEvent
	deadline := time.After(10 * time.Second)
	for len(out) < count {
		select {
		case e := <-f.events:
			if keep(e) {
				out = append(out, e)
			}
		case <-deadline:
			panic(fmt.Sprintf("%d of %d events", len(out), count))
		}
	}
	return out
}

func all(*kurrentdb.RecordedEvent) bool { return true }

func in(stream string) func(*kurrentdb.RecordedEvent) bool {
	return func(e *kurrentdb.RecordedEvent) bool { return e.StreamID == stream }
}

// subscribeAll first waits for the snapshot horizon (see readAll), so that catching up reaches every
// commit made before.
func subscribeAll(from kurrentdb.AllPosition, filter *kurrentdb.SubscriptionFilter, interval int) *follower {
	post("/settle", map[string]string{})
	return follow(client.SubscribeToAll(ctx, kurrentdb.SubscribeToAllOptions{From: from, Filter: filter, CheckpointInterval: interval, MaxSearchWindow: 5}))
}

// readFiltered: the Go client reads $all unfiltered only; a filtered read is a subscription stopped at the head.
func readFiltered(filter *kurrentdb.SubscriptionFilter, keep func(*kurrentdb.RecordedEvent) bool) []*kurrentdb.RecordedEvent {
	f := subscribeAll(kurrentdb.Start{}, filter, 0)
	defer f.sub.Close()
	var out []*kurrentdb.RecordedEvent
	for {
		select {
		case e := <-f.events:
			if keep(e) {
				out = append(out, e)
			}
		case <-time.After(300 * time.Millisecond):
			return out
		}
	}
}

var scenarios = map[string]func(){
	"append-no-stream": func() {
		s := "ext.orders-" + unique()
		_, err := appendTo(s, kurrentdb.NoStream{}, event("A", 1))
		must(err)
		_, err = appendTo(s, kurrentdb.NoStream{}, event("A", 2))
		refused(kurrentdb.ErrorCodeWrongExpectedVersion, err)
	},
	"append-expected-forms": func() {
		s := "ext.orders-" + unique()
		_, err := appendTo(s, kurrentdb.StreamExists{}, event("A", 0))
		refused(kurrentdb.ErrorCodeWrongExpectedVersion, err)
		_, err = appendTo(s, kurrentdb.Revision(5), event("A", 0))
		refused(kurrentdb.ErrorCodeWrongExpectedVersion, err)
		first, err := appendTo(s, kurrentdb.NoStream{}, event("A", 1), event("A", 2))
		must(err)
		_, err = appendTo(s, kurrentdb.Revision(0), event("A", 3))
		refused(kurrentdb.ErrorCodeWrongExpectedVersion, err)
		_, err = appendTo(s, kurrentdb.Revision(1), event("A", 3))
		must(err)
		_, err = appendTo(s, kurrentdb.StreamExists{}, event("B", 4))
		must(err)
		last, err := appendTo(s, kurrentdb.Any{}, event("B", 5))
		must(err)
		check(last.NextExpectedVersion == 4 && last.CommitPosition > first.CommitPosition, "revisions and positions")
		got, err := read(s, kurrentdb.ReadStreamOptions{}, 100)
		must(err)
		check(revisions(got) == "0,1,2,3,4", "read %s", revisions(got))
	},
	"idempotent-append": func() {
		s := "ext.orders-" + unique()
		evs := events("A", 2)
		first, err := appendTo(s, kurrentdb.NoStream{}, evs...)
		must(err)
		again, err := appendTo(s, kurrentdb.NoStream{}, evs...)
		must(err)
		check(first.NextExpectedVersion == again.NextExpectedVersion, "same answer")
		got, _ := read(s, kurrentdb.ReadStreamOptions{}, 100)
		check(len(got) == 2 && got[0].EventID == evs[0].EventID, "stored once")
	},
	"refuse-service-append": func() {
		s := "conventions.convention-" + unique()
		post("/service", map[string]string{"stream": s, "types": "ConventionDrafted"})
		_, err := appendTo(s, kurrentdb.Any{}, event("X", 0))
		refused(kurrentdb.ErrorCodeAccessDenied, err)
	},
	"refuse-service-delete": func() {
		s := "conventions.convention-" + unique()
		post("/service", map[string]string{"stream": s, "types": "ConventionDrafted,ConventionSigned"})
		_, err := client.DeleteStream(ctx, s, kurrentdb.DeleteStreamOptions{StreamState: kurrentdb.Any{}})
		refused(kurrentdb.ErrorCodeAccessDenied, err)
		check(strings.Contains(err.Error(), "append-only"), "explained: %v", err)
		_, err = client.TombstoneStream(ctx, s, kurrentdb.TombstoneStreamOptions{StreamState: kurrentdb.Any{}})
		refused(kurrentdb.ErrorCodeAccessDenied, err)
		got, _ := read(s, kurrentdb.ReadStreamOptions{}, 100)
		check(len(got) == 2, "still there")
	},
	"soft-delete-external": func() {
		s := "ext.orders-" + unique()
		_, err := appendTo(s, kurrentdb.NoStream{}, events("A", 2)...)
		must(err)
		_, err = client.DeleteStream(ctx, s, kurrentdb.DeleteStreamOptions{StreamState: kurrentdb.Revision(1)})
		must(err)
		_, err = read(s, kurrentdb.ReadStreamOptions{}, 100)
		refused(kurrentdb.ErrorCodeResourceNotFound, err)
		_, err = appendTo(s, kurrentdb.Any{}, event("A", 3))
		must(err)
		got, _ := read(s, kurrentdb.ReadStreamOptions{}, 100)
		check(revisions(got) == "2", "read %s", revisions(got))
	},
	"tombstone-external": func() {
		s := "ext.orders-" + unique()
		_, err := appendTo(s, kurrentdb.NoStream{}, event("A", 1))
		must(err)
		_, err = client.TombstoneStream(ctx, s, kurrentdb.TombstoneStreamOptions{StreamState: kurrentdb.Any{}})
		must(err)
		_, err = read(s, kurrentdb.ReadStreamOptions{}, 100)
		refused(kurrentdb.ErrorCodeStreamDeleted, err)
		_, err = appendTo(s, kurrentdb.Any{}, event("A", 2))
		refused(kurrentdb.ErrorCodeStreamDeleted, err)
	},
	"stream-metadata": func() {
		s := "ext.orders-" + unique()
		_, err := appendTo(s, kurrentdb.NoStream{}, events("A", 3)...)
		must(err)
		var meta kurrentdb.StreamMetadata
		meta.SetMaxCount(2)
		meta.AddCustomProperty("owner", "pipeline-7")
		_, err = client.SetStreamMetadata(ctx, s, kurrentdb.AppendToStreamOptions{}, meta)
		must(err)
		back, err := client.GetStreamMetadata(ctx, s, kurrentdb.ReadStreamOptions{})
		must(err)
		check(back.MaxCount() != nil && *back.MaxCount() == 2 && back.CustomProperty("owner") == "pipeline-7", "metadata %v", back)
		got, _ := read(s, kurrentdb.ReadStreamOptions{}, 100)
		check(revisions(got) == "1,2", "read %s", revisions(got))
		service := "conventions.convention-" + unique()
		post("/service", map[string]string{"stream": service, "types": "ConventionDrafted"})
		_, err = client.SetStreamMetadata(ctx, service, kurrentdb.AppendToStreamOptions{}, meta)
		refused(kurrentdb.ErrorCodeAccessDenied, err)
	},
	"binary-and-metadata": func() {
		s := "ext.blobs-" + unique()
		blob := kurrentdb.EventData{EventID: uuid.New(), EventType: "BlobStored", ContentType: kurrentdb.ContentTypeBinary, Data: []byte{0, 1, 250, 255}, Metadata: []byte("raw")}
		note := kurrentdb.EventData{EventID: uuid.New(), EventType: "NoteTaken", ContentType: kurrentdb.ContentTypeJson, Data: []byte(`{"text":"كتابة"}`), Metadata: []byte(`{"source":"scanner-3"}`)}
		_, err := appendTo(s, kurrentdb.NoStream{}, blob, note)
		must(err)
		got, err := read(s, kurrentdb.ReadStreamOptions{}, 10)
		must(err)
		check(bytes.Equal(got[0].Data, blob.Data) && string(got[0].UserMetadata) == "raw", "blob")
		check(got[0].ContentType == "application/octet-stream" && got[1].ContentType == "application/json", "content types")
		var text map[string]string
		must(json.Unmarshal(got[1].Data, &text))
		check(text["text"] == "كتابة", "note %s", got[1].Data)
		check(time.Since(got[1].CreatedDate) < time.Minute, "created %v", got[1].CreatedDate)
	},
	"read-stream-revision": func() {
		s := "ext.orders-" + unique()
		_, err := appendTo(s, kurrentdb.NoStream{}, events("A", 5)...)
		must(err)
		got, _ := read(s, kurrentdb.ReadStreamOptions{From: kurrentdb.Revision(1)}, 2)
		check(revisions(got) == "1,2", "forwards %s", revisions(got))
		got, _ = read(s, kurrentdb.ReadStreamOptions{Direction: kurrentdb.Backwards, From: kurrentdb.End{}}, 2)
		check(revisions(got) == "4,3", "backwards %s", revisions(got))
		got, _ = read(s, kurrentdb.ReadStreamOptions{Direction: kurrentdb.Backwards, From: kurrentdb.Revision(1)}, 10)
		check(revisions(got) == "1,0", "backwards from 1 %s", revisions(got))
		_, err = read("ext.orders-"+unique(), kurrentdb.ReadStreamOptions{}, 10)
		refused(kurrentdb.ErrorCodeResourceNotFound, err)
	},
	"read-service-stream": func() {
		s := "conventions.convention-" + unique()
		post("/service", map[string]string{"stream": s, "types": "ConventionDrafted,ConventionSigned"})
		got, err := read(s, kurrentdb.ReadStreamOptions{}, 10)
		must(err)
		var data map[string]int
		var metadata map[string]any
		must(json.Unmarshal(got[1].Data, &data))
		must(json.Unmarshal(got[0].UserMetadata, &metadata))
		check(len(got) == 2 && got[0].EventType == "ConventionDrafted" && data["step"] == 1, "events")
		check(metadata["actor"] == "judge", "metadata %s", got[0].UserMetadata)
	},
	"read-all-position": func() {
		s := "ext.orders-" + unique()
		_, err := appendTo(s, kurrentdb.NoStream{}, events("A", 3)...)
		must(err)
		var mine []*kurrentdb.RecordedEvent
		for _, e := range readAll(kurrentdb.ReadAllOptions{}, 1_000_000) {
			if e.StreamID == s {
				mine = append(mine, e)
			}
		}
		middle := mine[1].Position
		forwards := readAll(kurrentdb.ReadAllOptions{From: middle}, 2)
		check(forwards[0].StreamID == s && revisions(forwards) == "1,2", "forwards %s", revisions(forwards))
		backwards := readAll(kurrentdb.ReadAllOptions{From: middle, Direction: kurrentdb.Backwards}, 1)
		check(backwards[0].StreamID == s && revisions(backwards) == "0", "backwards %s", revisions(backwards))
		everything := readAll(kurrentdb.ReadAllOptions{}, 1_000_000)
		reversed := readAll(kurrentdb.ReadAllOptions{From: kurrentdb.End{}, Direction: kurrentdb.Backwards}, 1_000_000)
		check(len(everything) == len(reversed), "same length")
		for i, e := range everything {
			check(i == 0 || e.Position.Commit > everything[i-1].Position.Commit, "increasing")
			check(reversed[len(reversed)-1-i].Position == e.Position, "reverse order")
		}
	},
	"read-all-filters": func() {
		id := unique()
		a, b := "ext.parcels-"+id, "ext.letters-"+id
		_, err := appendTo(a, kurrentdb.NoStream{}, event("Parcel"+id+"Sent", 0), event("Parcel"+id+"Lost", 1))
		must(err)
		_, err = appendTo(b, kurrentdb.NoStream{}, event("Letter"+id+"Sent", 0))
		must(err)
		keys := func(f *kurrentdb.SubscriptionFilter) string {
			parts := []string{}
			for _, e := range readFiltered(f, all) {
				parts = append(parts, fmt.Sprintf("%s:%d", e.StreamID, e.EventNumber))
			}
			return strings.Join(parts, " ")
		}
		check(keys(&kurrentdb.SubscriptionFilter{Type: kurrentdb.StreamFilterType, Prefixes: []string{a}}) == a+":0 "+a+":1", "stream prefix")
		check(keys(&kurrentdb.SubscriptionFilter{Type: kurrentdb.StreamFilterType, Regex: "^ext\\.letters-" + id + "$"}) == b+":0", "stream regex")
		check(keys(&kurrentdb.SubscriptionFilter{Type: kurrentdb.EventFilterType, Prefixes: []string{"Parcel" + id}}) == a+":0 "+a+":1", "type prefix")
		check(keys(&kurrentdb.SubscriptionFilter{Type: kurrentdb.EventFilterType, Regex: id + "Sent$"}) == a+":0 "+b+":0", "type regex")
	},
	"personal-sealed-erased": func() {
		subject := "seeker-" + unique()
		s := "matching.seeker-" + subject
		post("/personal", map[string]string{"stream": s, "subject": subject})
		got, err := read(s, kurrentdb.ReadStreamOptions{}, 10)
		must(err)
		check(strings.Contains(string(got[0].Data), `"$pii"`) && !strings.Contains(string(got[0].Data), "Amina"), "sealed %s", got[0].Data)
		post("/erase", map[string]string{"subject": subject})
		erased := readFiltered(&kurrentdb.SubscriptionFilter{Type: kurrentdb.StreamFilterType, Prefixes: []string{s}}, all)
		var data map[string]string
		must(json.Unmarshal(erased[0].Data, &data))
		check(data["name"] == "[erased]" && data["phone"] == "[erased]" && data["region"] == "souss-massa", "erased %v", data)
	},
	"subscribe-all-start": func() {
		s := "ext.feed-" + unique()
		_, err := appendTo(s, kurrentdb.NoStream{}, events("A", 2)...)
		must(err)
		f := subscribeAll(kurrentdb.Start{}, nil, 0)
		defer f.sub.Close()
		_, err = appendTo(s, kurrentdb.Revision(1), event("B", 3))
		must(err)
		check(revisions(f.take(3, in(s))) == "0,1,2", "received")
	},
	"subscribe-all-position-end": func() {
		s := "ext.feed-" + unique()
		_, err := appendTo(s, kurrentdb.NoStream{}, events("A", 3)...)
		must(err)
		var first *kurrentdb.RecordedEvent
		for _, e := range readAll(kurrentdb.ReadAllOptions{}, 1_000_000) {
			if e.StreamID == s && first == nil {
				first = e
			}
		}
		after := subscribeAll(first.Position, nil, 0)
		end := subscribeAll(kurrentdb.End{}, nil, 0)
		defer after.sub.Close()
		defer end.sub.Close()
		_, err = appendTo(s, kurrentdb.Revision(2), event("B", 4))
		must(err)
		check(revisions(after.take(3, in(s))) == "1,2,3", "after a position")
		check(revisions(end.take(1, in(s))) == "3", "from the end")
	},
	"subscribe-stream": func() {
		s := "ext.feed-" + unique()
		_, err := appendTo(s, kurrentdb.NoStream{}, events("A", 2)...)
		must(err)
		start := follow(client.SubscribeToStream(ctx, s, kurrentdb.SubscribeToStreamOptions{From: kurrentdb.Start{}}))
		revision := follow(client.SubscribeToStream(ctx, s, kurrentdb.SubscribeToStreamOptions{From: kurrentdb.Revision(0)}))
		end := follow(client.SubscribeToStream(ctx, s, kurrentdb.SubscribeToStreamOptions{From: kurrentdb.End{}}))
		defer start.sub.Close()
		defer revision.sub.Close()
		defer end.sub.Close()
		_, err = appendTo(s, kurrentdb.Revision(1), event("B", 3))
		must(err)
		check(revisions(start.take(3, all)) == "0,1,2", "from start")
		check(revisions(revision.take(2, all)) == "1,2", "from revision")
		check(revisions(end.take(1, all)) == "2", "from end")
	},
	"filtered-checkpoints": func() {
		id := unique()
		wanted, noise := "ext.kept"+id+"-1", "ext.noise"+id+"-1"
		_, err := appendTo(noise, kurrentdb.NoStream{}, events("Noise", 40)...)
		must(err)
		_, err = appendTo(wanted, kurrentdb.NoStream{}, event("Kept", 1))
		must(err)
		filter := &kurrentdb.SubscriptionFilter{Type: kurrentdb.StreamFilterType, Prefixes: []string{"ext.kept" + id}}
		f := subscribeAll(kurrentdb.Start{}, filter, 1)
		defer f.sub.Close()
		_, err = appendTo(noise, kurrentdb.Revision(39), events("Noise", 40)...)
		must(err)
		_, err = appendTo(wanted, kurrentdb.Revision(0), event("Kept", 2))
		must(err)
		kept := f.take(2, all)
		check(kept[0].StreamID == wanted && kept[1].StreamID == wanted && len(f.events) == 0, "only matches")
		check(len(f.checkpoints) > 0, "checkpoints")
		checkpoint := <-f.checkpoints
		check(checkpoint.Commit >= kept[0].Position.Commit, "a checkpoint never passes an unsent event")
		resumed := readFiltered(filter, all)
		check(len(resumed) == 2, "nothing lost")
	},
	"resume-after-disconnect": func() {
		s := "ext.feed-" + unique()
		_, err := appendTo(s, kurrentdb.NoStream{}, events("A", 3)...)
		must(err)
		filter := &kurrentdb.SubscriptionFilter{Type: kurrentdb.StreamFilterType, Prefixes: []string{s}}
		first := subscribeAll(kurrentdb.Start{}, filter, 0)
		got := first.take(2, all)
		first.sub.Close()
		_, err = appendTo(s, kurrentdb.Revision(2), events("A", 2)...)
		must(err)
		second := subscribeAll(got[1].Position, filter, 0)
		defer second.sub.Close()
		check(revisions(append(got, second.take(3, all)...)) == "0,1,2,3,4", "no loss, no repeat")
	},
	"late-commit": func() {
		id := unique()
		early, late := "ext.early"+id+"-1", "ext.late"+id+"-1"
		f := subscribeAll(kurrentdb.Start{}, &kurrentdb.SubscriptionFilter{Type: kurrentdb.StreamFilterType, Regex: "^ext\\.(early|late)" + id + "-"}, 0)
		defer f.sub.Close()
		post("/hold", map[string]string{"stream": early})
		_, err := appendTo(late, kurrentdb.NoStream{}, event("Late", 1))
		must(err)
		time.Sleep(500 * time.Millisecond)
		check(len(f.events) == 0, "nothing after the open transaction is delivered before it")
		post("/commit", map[string]string{"stream": early})
		delivered := f.take(2, all)
		check(delivered[0].StreamID == early && delivered[1].StreamID == late, "commit order")
		check(delivered[0].Position.Commit < delivered[1].Position.Commit, "positions increase")
		again := readAll(kurrentdb.ReadAllOptions{From: delivered[1].Position}, 1)
		check(again[0].StreamID == late, "found again from its position")
	},
}

func main() {
	if len(os.Args) == 3 && os.Args[1] == "--agent" {
		agent(os.Args[2])
		return
	}
	if len(os.Args) == 3 && os.Args[1] == "--read-all" {
		readAllRounds(os.Args[2])
		return
	}
	control = os.Args[2]
	backend := os.Args[3]
	config, err := kurrentdb.ParseConnectionString("kurrentdb://" + os.Args[1] + "?tls=false")
	must(err)
	client, err = kurrentdb.NewClient(config)
	must(err)
	raw, err := os.ReadFile("../scenarios.json")
	must(err)
	var listed []struct {
		ID       string   `json:"id"`
		Name     string   `json:"name"`
		Backends []string `json:"backends"`
		Writer   string   `json:"writer"`
	}
	must(json.Unmarshal(raw, &listed))
	passed, failed := 0, 0
	for _, s := range listed {
		if s.Writer != "" || len(s.Backends) > 0 && !strings.Contains(strings.Join(s.Backends, ","), backend) {
			continue
		}
		err := run(s.ID)
		if err != nil {
			failed++
			fmt.Printf("  FAIL %s: %s\n       %v\n", s.ID, s.Name, err)
		} else {
			passed++
			fmt.Printf("  ok   %s\n", s.ID)
		}
	}
	fmt.Printf("go client on %s, Tests: %d passed, %d failed\n", backend, passed, failed)
	if failed > 0 {
		os.Exit(1)
	}
}

func run(id string) (err error) {
	scenario, ok := scenarios[id]
	if !ok {
		return fmt.Errorf("no Go implementation of this scenario")
	}
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("%v", r)
		}
	}()
	scenario()
	return nil
}
