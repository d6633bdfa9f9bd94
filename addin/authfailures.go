package addin

import (
	"net"
	"net/http"
	"net/netip"
	"strings"
	"sync"
	"time"
)

// failedAuth counts failed authentications per client address over one
// minute; an address past the limit is answered 429 before its token is
// even looked at. Only failures count, so agents with valid tokens behind
// the same address are not slowed by their own requests.
type failedAuth struct {
	limit   int // per minute; 0 disables
	now     func() time.Time
	trusted []netip.Prefix // reverse proxies whose X-Forwarded-For is believed

	mu     sync.Mutex
	window time.Time
	counts map[string]int
}

// maxTrackedAddrs bounds the memory of the counter whatever the traffic:
// past it, new addresses are not counted until the minute ends.
const maxTrackedAddrs = 50000

func newFailedAuth(limit int, trusted []string, now func() time.Time) *failedAuth {
	f := &failedAuth{limit: limit, now: now, counts: map[string]int{}}
	for _, c := range trusted {
		if p, err := netip.ParsePrefix(strings.TrimSpace(c)); err == nil {
			f.trusted = append(f.trusted, p)
		} else if a, err := netip.ParseAddr(strings.TrimSpace(c)); err == nil {
			f.trusted = append(f.trusted, netip.PrefixFrom(a, a.BitLen()))
		}
	}
	return f
}

// roll starts a new minute when the current one is over; f.mu is held.
func (f *failedAuth) roll() {
	if now := f.now(); now.Sub(f.window) >= time.Minute {
		f.window = now.Truncate(time.Minute)
		clear(f.counts)
	}
}

// blocked reports whether addr is past the limit, and for how many seconds.
func (f *failedAuth) blocked(addr string) (bool, int) {
	if f.limit <= 0 {
		return false, 0
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.roll()
	if f.counts[addr] < f.limit {
		return false, 0
	}
	return true, max(1, int(f.window.Add(time.Minute).Sub(f.now()).Seconds()))
}

// failed counts one failed authentication from addr.
func (f *failedAuth) failed(addr string) {
	if f.limit <= 0 {
		return
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.roll()
	if _, ok := f.counts[addr]; ok || len(f.counts) < maxTrackedAddrs {
		f.counts[addr]++
	}
}

// client is the address a request comes from: the peer, or, when the peer
// is a trusted reverse proxy, the right-most X-Forwarded-For address that
// is not one.
func (f *failedAuth) client(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	peer, err := netip.ParseAddr(host)
	if err != nil || !f.isTrusted(peer) {
		return host
	}
	hops := strings.Split(r.Header.Get("X-Forwarded-For"), ",")
	for i := len(hops) - 1; i >= 0; i-- {
		a, err := netip.ParseAddr(strings.TrimSpace(hops[i]))
		if err != nil {
			break
		}
		if !f.isTrusted(a) {
			return a.String()
		}
	}
	return host
}

func (f *failedAuth) isTrusted(a netip.Addr) bool {
	for _, p := range f.trusted {
		if p.Contains(a.Unmap()) {
			return true
		}
	}
	return false
}
