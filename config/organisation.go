package config

import (
	"fmt"
	netmail "net/mail"
	"strings"
)

// validateOrganisation checks the organisation section; each error names
// its key (organisation.procedures[1].silence).
func (c *Config) validateOrganisation() []error {
	var errs []error
	bad := func(key, format string, args ...any) {
		errs = append(errs, fmt.Errorf("%w: %s: %s", ErrConfig, key, fmt.Sprintf(format, args...)))
	}
	o := c.Organisation
	email := func(key, v string) {
		if v == "" {
			return
		}
		if a, err := netmail.ParseAddress(v); err != nil || a.Address != v {
			bad(key, "must be a bare e-mail address, got %q", v)
		}
	}
	email("organisation.email", o.Email)
	for k, v := range o.Closings {
		if strings.TrimSpace(k) == "" || strings.TrimSpace(v) == "" {
			bad("organisation.closings", "keys and formulas must not be empty")
		}
	}
	names := map[string]bool{}
	for i, p := range o.Procedures {
		k := fmt.Sprintf("organisation.procedures[%d]", i)
		if names[p.Name] {
			bad(k+".name", "duplicate procedure %q", p.Name)
		}
		names[p.Name] = true
		if err := p.Check(); err != nil {
			bad(k, "%s", strings.TrimPrefix(err.Error(), "assist: bad request: "))
		}
		email(k+".email", p.Email)
	}
	return errs
}
