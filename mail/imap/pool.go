package imap

import (
	"context"
	"sync"
	"time"

	"github.com/plume-admin/plume/mail"
)

// imapPool keeps idle authenticated connections per caller (mail.Caller.Key).
type imapPool struct {
	opts Pool
	now  func() time.Time

	mu   sync.Mutex
	idle map[string][]*imapConn
}

func newPool(opts Pool, now func() time.Time) *imapPool {
	return &imapPool{opts: opts, now: now, idle: map[string][]*imapConn{}}
}

// get returns a live idle connection of user, or nil.
func (p *imapPool) get(user string) *imapConn {
	if p.opts.Size <= 0 {
		return nil
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	list := p.idle[user]
	for len(list) > 0 {
		c := list[len(list)-1]
		list = list[:len(list)-1]
		p.idle[user] = list
		if p.now().Sub(c.idleAt) > p.opts.IdleTimeout || imapIsClosed(c) {
			go c.close()
			continue
		}
		return c
	}
	delete(p.idle, user)
	return nil
}

// put keeps c for reuse, or closes it when it is broken, the pool is off or full.
func (p *imapPool) put(c *imapConn) {
	if c.broken || p.opts.Size <= 0 {
		c.close()
		return
	}
	c.idleAt = p.now()
	p.mu.Lock()
	defer p.mu.Unlock()
	p.pruneLocked()
	if len(p.idle[c.user]) >= p.opts.Size {
		go c.logout()
		return
	}
	p.idle[c.user] = append(p.idle[c.user], c)
}

// pruneLocked closes the connections idle for too long.
func (p *imapPool) pruneLocked() {
	for user, list := range p.idle {
		kept := list[:0]
		for _, c := range list {
			if p.now().Sub(c.idleAt) > p.opts.IdleTimeout || imapIsClosed(c) {
				go c.close()
			} else {
				kept = append(kept, c)
			}
		}
		if len(kept) == 0 {
			delete(p.idle, user)
		} else {
			p.idle[user] = kept
		}
	}
}

func (p *imapPool) closeAll() {
	p.mu.Lock()
	all := p.idle
	p.idle = map[string][]*imapConn{}
	p.mu.Unlock()
	for _, list := range all {
		for _, c := range list {
			c.logout()
		}
	}
}

func imapIsClosed(c *imapConn) bool {
	select {
	case <-c.cl.Closed():
		return true
	default:
		return false
	}
}

// poolKey is what a connection logged in as who is pooled under: the
// caller's principal and mailbox, and in OAuth modes the token it
// authenticated with.
func (s *Source) poolKey(who mail.Caller) string {
	if a := s.opts.Auth; a.Password == nil && a.Master == nil {
		return who.TokenKey()
	}
	return who.Key()
}

// acquire returns a connection logged in as who: pooled or new.
func (s *Source) acquire(ctx context.Context, who mail.Caller) (*imapConn, error) {
	if c := s.pool.get(s.poolKey(who)); c != nil {
		return c, nil
	}
	c, err := s.dial(ctx)
	if err != nil {
		return nil, err
	}
	if err := c.login(ctx, who); err != nil {
		c.close()
		return nil, err
	}
	return c, nil
}

// release gives c back to the pool (or closes it).
func (s *Source) release(c *imapConn) { s.pool.put(c) }
