# Plume — build and test entry points. See README.md.
GO ?= go
NODE_DIR := tools/node

.PHONY: all build test test-go test-js deps vet fmt bench

all: build

build:
	$(GO) build ./...

## test: every suite of the project (Go unit + integration, JavaScript, browser, Thunderbird).
test: test-go test-js

test-go:
	$(GO) vet ./...
	$(GO) test -count=1 -timeout 15m ./...

test-js:
	@if [ -d addin/web/test ]; then node --test addin/web/test/; else echo "no JavaScript tests yet"; fi

## deps: install what the integration suites need (Debian). Idempotent.
deps:
	bash scripts/deps.sh

bench:
	$(GO) test -run '^$$' -bench . -benchmem ./...

fmt:
	gofmt -w $$(git ls-files '*.go')
