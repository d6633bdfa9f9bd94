package addin

import (
	"encoding/json"
	"net/http"
	"sort"
	"strings"
	"testing"

	"github.com/go-chi/chi/v5"
)

// TestOpenAPIMatchesRoutes walks the chi router and the OpenAPI document:
// every API, health and metrics route is documented, and nothing else is.
func TestOpenAPIMatchesRoutes(t *testing.T) {
	s, err := New(Options{Config: testConfig(t, nil)})
	if err != nil {
		t.Fatal(err)
	}
	routed := map[string]bool{}
	err = chi.Walk(s.Routes().(chi.Routes), func(method, route string, _ http.Handler, _ ...func(http.Handler) http.Handler) error {
		route = strings.TrimSuffix(route, "/")
		if strings.HasPrefix(route, "/api/") || route == "/healthz" || route == "/readyz" || route == "/metrics" {
			routed[strings.ToLower(method)+" "+route] = true
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Paths map[string]map[string]json.RawMessage `json:"paths"`
	}
	if err := json.Unmarshal(openAPI, &doc); err != nil {
		t.Fatalf("openapi.json: %v", err)
	}
	documented := map[string]bool{}
	for path, ops := range doc.Paths {
		for method := range ops {
			documented[method+" "+path] = true
		}
	}
	if missing, extra := diff(routed, documented), diff(documented, routed); len(missing)+len(extra) > 0 {
		t.Fatalf("openapi.json out of sync with the router\nrouted, not documented: %v\ndocumented, not routed: %v", missing, extra)
	}
}

func diff(a, b map[string]bool) []string {
	var out []string
	for k := range a {
		if !b[k] {
			out = append(out, k)
		}
	}
	sort.Strings(out)
	return out
}
