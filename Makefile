# Plume — build and test entry points. See README.md.
GO ?= go
CORPUS_DEBIAN ?= $(HOME)/.cache/plume/corpus-debian

.PHONY: all build test test-go test-js deps lint fmt bench eval-office eval-docs eval-docs-debian eval-imap100k image

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

## eval-office: score Office extraction on ../shared/corpus against pandoc and LibreOffice (docs/attachments.md).
eval-office:
	PLUME_EVAL=office $(GO) test -count=1 -timeout 30m -run TestOfficeEval -v ./mail/extract/

## eval-docs: score PDF extraction on ../shared/corpus against pdftotext (docs/attachments.md).
eval-docs:
	PLUME_EVAL_DOCS=1 $(GO) test -count=1 -timeout 30m -run TestEvalPDF -v ./mail/extract/

## eval-docs-debian: the same evaluation on PDFs shipped by Debian documentation packages (scripts/corpus-debian.sh).
eval-docs-debian:
	scripts/corpus-debian.sh "$(CORPUS_DEBIAN)"
	PLUME_CORPUS="$(CORPUS_DEBIAN)" PLUME_EVAL_DOCS=1 $(GO) test -count=1 -timeout 60m -run TestEvalPDF -v ./mail/extract/

## eval-imap100k: time thread reads on a 100,000-message Dovecot folder (docs/imap.md).
eval-imap100k:
	PLUME_EVAL_IMAP100K=1 $(GO) test -count=1 -timeout 30m -run TestEvalLargeFolder -v ./mail/imap/

fmt:
	gofmt -w $$(git ls-files '*.go')
