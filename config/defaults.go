package config

import (
	"strings"
	"time"
)

// This file fills the configuration's documented defaults.

// Defaults fills every zero field with its documented default.
func (c *Config) Defaults() {
	s := &c.Server
	def(&s.Listen, ":8080")
	def(&s.PublicURL, "http://127.0.0.1:8080")
	defD(&s.ReadHeaderTimeout, 10*time.Second)
	defD(&s.ReadTimeout, 30*time.Second)
	defD(&s.IdleTimeout, 120*time.Second)
	defD(&s.RequestTimeout, 120*time.Second)
	defD(&s.StreamTimeout, 300*time.Second)
	defD(&s.Heartbeat, 15*time.Second)
	defD(&s.DrainDelay, 5*time.Second)
	defD(&s.ShutdownTimeout, 20*time.Second)
	def(&c.Auth.DemoUser, "agent")
	defD(&c.Auth.Leeway, time.Minute)
	for i := range c.Auth.Issuers {
		is := &c.Auth.Issuers[i]
		def(&is.UserClaim, "preferred_username")
		def(&is.EmailClaim, "email")
		if len(is.Algorithms) == 0 {
			is.Algorithms = []string{"RS256"}
		}
		if is.Discovery == "" {
			is.Discovery = is.Issuer
			if IsTemplateIssuer(is.Issuer) {
				is.Discovery = strings.Replace(is.Issuer, TenantPlaceholder, "organizations", 1)
			}
		}
	}
	def(&c.Mail.Source, "raw")
	defI64(&c.Mail.MaxRawBytes, 25<<20)
	def(&c.Mail.IMAP.Security, "tls")
	def(&c.Mail.IMAP.Auth, "oauthbearer")
	defD(&c.Mail.IMAP.Timeout, 20*time.Second)
	defD(&c.Mail.IMAP.TotalTimeout, 90*time.Second)
	if c.Mail.IMAP.PoolSize == 0 {
		c.Mail.IMAP.PoolSize = 2
	}
	defD(&c.LLM.Timeout, 90*time.Second)
	for i := range c.LLM.Endpoints {
		e := &c.LLM.Endpoints[i]
		def(&e.Kind, "openai")
		if e.Name == "" {
			e.Name = e.Model
			if e.Name == "" {
				e.Name = "default"
			}
		}
	}
	def(&c.Privacy.AuditPath, "-")
	if c.Limits.AuthFailuresPerMinute == 0 {
		c.Limits.AuthFailuresPerMinute = 60
	}
	if c.Limits.RequestsPerMinute == 0 {
		c.Limits.RequestsPerMinute = 30
	}
	defI64(&c.Limits.MaxBodyBytes, 1<<20)
	defI64(&c.Limits.MaxUploadBytes, 25<<20)
	if c.Limits.DocumentTokens == 0 {
		c.Limits.DocumentTokens = 60000
	}
	if c.Limits.ThreadsLimit == 0 {
		c.Limits.ThreadsLimit = 50
	}
	defD(&c.Cache.TTL, 24*time.Hour)
	def(&c.Panel.BannerSummary, BannerOnRequest)
	def(&c.Log.Level, "info")
	def(&c.Log.Format, "json")
}

func def(p *string, v string) {
	if *p == "" {
		*p = v
	}
}

func defD(p *time.Duration, v time.Duration) {
	if *p == 0 {
		*p = v
	}
}

func defI64(p *int64, v int64) {
	if *p == 0 {
		*p = v
	}
}
