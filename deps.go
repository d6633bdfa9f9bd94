//go:build tools

package tools

import (
	_ "github.com/coreos/go-oidc/v3/oidc"
	_ "github.com/emersion/go-imap/v2"
	_ "github.com/emersion/go-imap/v2/imapclient"
	_ "github.com/emersion/go-imap/v2/imapserver"
	_ "github.com/emersion/go-imap/v2/imapserver/imapmemserver"
	_ "github.com/emersion/go-message"
	_ "github.com/emersion/go-message/charset"
	_ "github.com/emersion/go-sasl"
	_ "github.com/go-chi/chi/v5"
	_ "github.com/go-chi/cors"
	_ "github.com/go-chi/httprate"
	_ "github.com/go-jose/go-jose/v4"
	_ "github.com/ledongthuc/pdf"
	_ "github.com/microsoft/kiota-abstractions-go"
	_ "github.com/microsoft/kiota-http-go"
	_ "github.com/microsoft/kiota-serialization-json-go"
	_ "github.com/pkoukk/tiktoken-go"
	_ "github.com/pkoukk/tiktoken-go-loader"
	_ "github.com/prometheus/client_golang/prometheus"
	_ "github.com/redis/go-redis/v9"
	_ "github.com/tmc/langchaingo/llms/openai"
	_ "golang.org/x/net/html"
	_ "golang.org/x/text/encoding"
	_ "gopkg.in/yaml.v3"
)
