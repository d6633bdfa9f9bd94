package main

import "runtime/debug"

// serverHeapLimit is the garbage collector's soft limit on the Go memory of
// `plume serve` and `plume demo` when GOMEMLIMIT is not set. Without it the
// collector lets garbage grow as large as what is live: ten 25 MiB uploads
// at once would leave another 250 MiB of discarded buffers resident. The
// PDF engine's memory is outside it (MaxPDFEngines instances of at most
// extract.DefaultPDFMemoryLimit each).
const serverHeapLimit = 512 << 20

// limitServerMemory sets serverHeapLimit unless GOMEMLIMIT, which the Go
// runtime reads itself, is set in env.
func limitServerMemory(env map[string]string) {
	if env["GOMEMLIMIT"] == "" {
		debug.SetMemoryLimit(serverHeapLimit)
	}
}
