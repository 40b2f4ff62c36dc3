// The Go client as one party of the cross-client scenarios (src/judges/cross.ts): `.judge --agent
// <grpc host:port>` reads one JSON request a line on standard input and answers each with one JSON
// line, in the protocol and canonical event form python/agent.py describes.
package main

import (
	"bufio"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"os"
	"strconv"

	"github.com/google/uuid"
	"github.com/kurrent-io/KurrentDB-Client-Go/kurrentdb"
)

type proposed struct {
	ID          string `json:"id"`
	Type        string `json:"type"`
	ContentType string `json:"contentType"`
	Data        string `json:"data"`
	Metadata    string `json:"metadata"`
}

type request struct {
	Op       string          `json:"op"`
	Stream   string          `json:"stream"`
	Expected json.RawMessage `json:"expected"`
	Events   []proposed      `json:"events"`
}

type canonicalEvent struct {
	ID          string `json:"id"`
	Type        string `json:"type"`
	Stream      string `json:"stream"`
	Revision    uint64 `json:"revision"`
	ContentType string `json:"contentType"`
	Data        any    `json:"data"`
	Metadata    any    `json:"metadata"`
	Commit      string `json:"commit"`
	CreatedMs   int64  `json:"createdMs"`
}

// bytesValue: JSON content as its value, other bytes as {"$base64"}, no bytes as null.
func bytesValue(raw []byte, asJSON bool) any {
	if len(raw) == 0 {
		return nil
	}
	if asJSON {
		var value any
		if json.Unmarshal(raw, &value) == nil {
			return value
		}
	}
	return map[string]string{"$base64": base64.StdEncoding.EncodeToString(raw)}
}

func canonical(e *kurrentdb.RecordedEvent) canonicalEvent {
	return canonicalEvent{
		ID:          e.EventID.String(),
		Type:        e.EventType,
		Stream:      e.StreamID,
		Revision:    e.EventNumber,
		ContentType: e.ContentType,
		Data:        bytesValue(e.Data, e.ContentType == "application/json"),
		Metadata:    bytesValue(e.UserMetadata, true),
		Commit:      strconv.FormatUint(e.Position.Commit, 10),
		CreatedMs:   e.CreatedDate.UnixMilli(),
	}
}

func streamState(raw json.RawMessage) (kurrentdb.StreamState, error) {
	var name string
	if json.Unmarshal(raw, &name) == nil {
		switch name {
		case "no_stream":
			return kurrentdb.NoStream{}, nil
		case "any":
			return kurrentdb.Any{}, nil
		case "stream_exists":
			return kurrentdb.StreamExists{}, nil
		}
		return nil, fmt.Errorf("no expected state %q", name)
	}
	var revision uint64
	if err := json.Unmarshal(raw, &revision); err != nil {
		return nil, err
	}
	return kurrentdb.Revision(revision), nil
}

func agentAppend(r request) (map[string]any, error) {
	state, err := streamState(r.Expected)
	if err != nil {
		return nil, err
	}
	evs := make([]kurrentdb.EventData, len(r.Events))
	for i, p := range r.Events {
		id, err := uuid.Parse(p.ID)
		if err != nil {
			return nil, err
		}
		data, err := base64.StdEncoding.DecodeString(p.Data)
		if err != nil {
			return nil, err
		}
		metadata, err := base64.StdEncoding.DecodeString(p.Metadata)
		if err != nil {
			return nil, err
		}
		contentType := kurrentdb.ContentTypeBinary
		if p.ContentType == "application/json" {
			contentType = kurrentdb.ContentTypeJson
		}
		evs[i] = kurrentdb.EventData{EventID: id, EventType: p.Type, ContentType: contentType, Data: data, Metadata: metadata}
	}
	result, err := appendTo(r.Stream, state, evs...)
	if err != nil {
		return nil, err
	}
	return map[string]any{"revision": result.NextExpectedVersion, "commit": strconv.FormatUint(result.CommitPosition, 10)}, nil
}

func agentRead(r request) (map[string]any, error) {
	got, err := read(r.Stream, kurrentdb.ReadStreamOptions{}, 10_000)
	if err != nil {
		return nil, err
	}
	out := []canonicalEvent{}
	for _, e := range got {
		out = append(out, canonical(e))
	}
	return map[string]any{"events": out}, nil
}

// agentReadAll: the Go client reads $all unfiltered only; a filtered read is a subscription that has
// caught up, every event before its caught-up already on the follower's channel.
func agentReadAll(r request) (map[string]any, error) {
	filter := &kurrentdb.SubscriptionFilter{Type: kurrentdb.StreamFilterType, Prefixes: []string{r.Stream}}
	f := follow(client.SubscribeToAll(ctx, kurrentdb.SubscribeToAllOptions{From: kurrentdb.Start{}, Filter: filter}))
	defer f.sub.Close()
	out := []canonicalEvent{}
	for {
		select {
		case e := <-f.events:
			if e.StreamID == r.Stream {
				out = append(out, canonical(e))
			}
		default:
			return map[string]any{"events": out}, nil
		}
	}
}

func answer(line []byte) (out map[string]any) {
	defer func() {
		if p := recover(); p != nil {
			out = map[string]any{"ok": false, "error": fmt.Sprint(p)}
		}
	}()
	var r request
	if err := json.Unmarshal(line, &r); err != nil {
		return map[string]any{"ok": false, "error": err.Error()}
	}
	ops := map[string]func(request) (map[string]any, error){"append": agentAppend, "read": agentRead, "readAll": agentReadAll}
	op, ok := ops[r.Op]
	if !ok {
		return map[string]any{"ok": false, "error": "no operation " + r.Op}
	}
	result, err := op(r)
	if err != nil {
		return map[string]any{"ok": false, "error": err.Error()}
	}
	result["ok"] = true
	return result
}

func agent(address string) {
	config, err := kurrentdb.ParseConnectionString("kurrentdb://" + address + "?tls=false")
	must(err)
	client, err = kurrentdb.NewClient(config)
	must(err)
	defer client.Close()
	in := bufio.NewScanner(os.Stdin)
	in.Buffer(make([]byte, 1<<20), 16<<20)
	out := json.NewEncoder(os.Stdout)
	for in.Scan() {
		if len(in.Bytes()) == 0 {
			continue
		}
		must(out.Encode(answer(in.Bytes())))
	}
}
