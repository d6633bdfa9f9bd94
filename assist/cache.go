package assist

import (
	"container/list"
	"context"
	"sync"
	"time"
)

// Cache stores results by key for a time. Keys are hashes of the task, the
// options, the model, the prompt version and the content; values are the
// encoded result (which may hold pseudonyms, never restored text).
// Implementations must be safe for concurrent use; errors are not fatal.
type Cache interface {
	// Get returns the value stored under key, if present and fresh.
	Get(ctx context.Context, key string) ([]byte, bool)
	// Set stores value under key for ttl.
	Set(ctx context.Context, key string, value []byte, ttl time.Duration)
}

// MemoryCache is an in-memory LRU cache with a TTL per entry.
type MemoryCache struct {
	mu    sync.Mutex
	max   int
	now   func() time.Time
	ll    *list.List
	items map[string]*list.Element
}

type cacheEntry struct {
	key     string
	value   []byte
	expires time.Time
}

var _ Cache = (*MemoryCache)(nil)

// NewMemoryCache returns an LRU cache of at most max entries (zero means
// 512); now tells the time (nil means time.Now).
func NewMemoryCache(max int, now func() time.Time) *MemoryCache {
	if max <= 0 {
		max = 512
	}
	if now == nil {
		now = time.Now
	}
	return &MemoryCache{max: max, now: now, ll: list.New(), items: map[string]*list.Element{}}
}

// Get returns a fresh entry and marks it recently used.
func (c *MemoryCache) Get(_ context.Context, key string) ([]byte, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	el, ok := c.items[key]
	if !ok {
		return nil, false
	}
	e := el.Value.(*cacheEntry)
	if !c.now().Before(e.expires) {
		c.ll.Remove(el)
		delete(c.items, key)
		return nil, false
	}
	c.ll.MoveToFront(el)
	return append([]byte(nil), e.value...), true
}

// Set stores an entry, evicting the least recently used past the size cap.
func (c *MemoryCache) Set(_ context.Context, key string, value []byte, ttl time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	exp := c.now().Add(ttl)
	if el, ok := c.items[key]; ok {
		e := el.Value.(*cacheEntry)
		e.value, e.expires = append([]byte(nil), value...), exp
		c.ll.MoveToFront(el)
		return
	}
	c.items[key] = c.ll.PushFront(&cacheEntry{key: key, value: append([]byte(nil), value...), expires: exp})
	for c.ll.Len() > c.max {
		old := c.ll.Back()
		c.ll.Remove(old)
		delete(c.items, old.Value.(*cacheEntry).key)
	}
}

// Len returns the number of entries, fresh or not.
func (c *MemoryCache) Len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.ll.Len()
}
