package addin

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"time"

	"github.com/plume-admin/plume/config"

	"github.com/go-chi/httprate"
	"github.com/redis/go-redis/v9"

	"github.com/plume-admin/plume/assist"
)

// Redis is the shared store of several replicas: the result cache
// ([Redis.Cache], an assist.Cache) and the rate-limit counters
// ([Redis.LimitCounter]). Values are model results keyed by content hashes,
// with a TTL; a failing Redis degrades to a cache miss and to unlimited
// requests, logged.
type Redis struct {
	client  *redis.Client
	log     *slog.Logger
	timeout time.Duration
}

// RedisCache is the result cache in Redis.
type RedisCache struct{ *Redis }

// RedisLimitCounter keeps httprate's sliding-window counters in Redis.
type RedisLimitCounter struct {
	*Redis
	window time.Duration
}

// Cache returns the result cache view.
func (c *Redis) Cache() *RedisCache { return &RedisCache{c} }

// LimitCounter returns the rate-limit counter view.
func (c *Redis) LimitCounter() *RedisLimitCounter {
	return &RedisLimitCounter{Redis: c, window: time.Minute}
}

// NewRedis connects to url ("redis://host:6379/0"); log may be nil.
func NewRedis(url string, log *slog.Logger) (*Redis, error) {
	opts, err := redis.ParseURL(url)
	if err != nil {
		return nil, fmt.Errorf("%w: cache.redis_url: %w", config.ErrConfig, err)
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Redis{client: redis.NewClient(opts), log: log, timeout: 250 * time.Millisecond}, nil
}

// Close closes the connections.
func (c *Redis) Close() error { return c.client.Close() }

// Ping checks that Redis answers.
func (c *Redis) Ping(ctx context.Context) error { return c.client.Ping(ctx).Err() }

// Get returns the cached value of key.
func (c *RedisCache) Get(ctx context.Context, key string) ([]byte, bool) {
	ctx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	b, err := c.client.Get(ctx, "plume:cache:"+key).Bytes()
	if err != nil {
		if !errors.Is(err, redis.Nil) {
			c.log.Warn("redis cache get failed", "cause", err.Error())
		}
		return nil, false
	}
	return b, true
}

// Set stores value under key for ttl.
func (c *RedisCache) Set(ctx context.Context, key string, value []byte, ttl time.Duration) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), c.timeout)
	defer cancel()
	if err := c.client.Set(ctx, "plume:cache:"+key, value, ttl).Err(); err != nil {
		c.log.Warn("redis cache set failed", "cause", err.Error())
	}
}

var (
	_ httprate.LimitCounter = (*RedisLimitCounter)(nil)
	_ assist.Cache          = (*RedisCache)(nil)
)

// Config receives the limiter's window.
func (c *RedisLimitCounter) Config(_ int, windowLength time.Duration) { c.window = windowLength }

// Increment adds one request to key's current window.
func (c *RedisLimitCounter) Increment(key string, currentWindow time.Time) error {
	return c.IncrementBy(key, currentWindow, 1)
}

// IncrementBy adds amount requests to key's current window.
func (c *RedisLimitCounter) IncrementBy(key string, currentWindow time.Time, amount int) error {
	ctx, cancel := context.WithTimeout(context.Background(), c.timeout)
	defer cancel()
	k := rateKey(key, currentWindow)
	pipe := c.client.TxPipeline()
	pipe.IncrBy(ctx, k, int64(amount))
	pipe.Expire(ctx, k, 3*c.window)
	_, err := pipe.Exec(ctx)
	return err
}

// Get returns the counts of the current and previous windows.
func (c *RedisLimitCounter) Get(key string, currentWindow, previousWindow time.Time) (int, int, error) {
	ctx, cancel := context.WithTimeout(context.Background(), c.timeout)
	defer cancel()
	vals, err := c.client.MGet(ctx, rateKey(key, currentWindow), rateKey(key, previousWindow)).Result()
	if err != nil {
		return 0, 0, err
	}
	return redisInt(vals[0]), redisInt(vals[1]), nil
}

func rateKey(key string, window time.Time) string {
	return "plume:rate:" + strconv.FormatUint(httprate.LimitCounterKey(key, window), 16)
}

func redisInt(v any) int {
	s, _ := v.(string)
	n, _ := strconv.Atoi(s)
	return n
}
