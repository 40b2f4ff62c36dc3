// The Go client as the reader of bench/kurrent.bench.ts: `.judge --read-all <grpc host:port>` reads
// `$all` from the start once for every line on standard input and answers each with one JSON line,
// {"events": n, "seconds": s}. A compiled client with its own threads measures the gateway more than
// it measures itself, where a Node client spends a core decoding on a two-core machine.
package main

import (
	"bufio"
	"encoding/json"
	"errors"
	"io"
	"math"
	"os"
	"time"

	"github.com/kurrent-io/KurrentDB-Client-Go/kurrentdb"
)

func readAllRounds(address string) {
	config, err := kurrentdb.ParseConnectionString("kurrentdb://" + address + "?tls=false")
	must(err)
	reader, err := kurrentdb.NewClient(config)
	must(err)
	defer reader.Close()
	out := json.NewEncoder(os.Stdout)
	lines := bufio.NewScanner(os.Stdin)
	for lines.Scan() {
		started := time.Now()
		stream, err := reader.ReadAll(ctx, kurrentdb.ReadAllOptions{From: kurrentdb.Start{}, Direction: kurrentdb.Forwards}, math.MaxUint64)
		must(err)
		n := 0
		for {
			_, err := stream.Recv()
			if errors.Is(err, io.EOF) {
				break
			}
			must(err)
			n++
		}
		stream.Close()
		must(out.Encode(map[string]any{"events": n, "seconds": time.Since(started).Seconds()}))
	}
}
