# Plume — build and test entry points. See README.md.
GO ?= go

.PHONY: all build test test-go test-js deps lint fmt bench image

all: build

build:
	$(GO) build ./...

## test: every suite of the project (Go unit + integration, JavaScript, browser, Thunderbird).
test: test-go test-js

test-go: lint
	$(GO) test -count=1 -timeout 15m ./...

test-js:
	node --test addin/web/test/

## lint: go vet and staticcheck (pinned; fetched through the Go module proxy).
lint:
	$(GO) vet ./...
	$(GO) run honnef.co/go/tools/cmd/staticcheck@v0.8.2 ./...

## deps: install what the integration suites need (Debian). Idempotent.
deps:
	bash scripts/deps.sh

## image: the OCI image plume:VERSION (FROM scratch; podman, or docker), from the repository alone.
image:
	bash scripts/image.sh $(IMAGE)

bench:
	$(GO) test -run '^$$' -bench . -benchmem ./...

fmt:
	gofmt -w $$(git ls-files '*.go')
