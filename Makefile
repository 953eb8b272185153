# Everyday tasks. Each target works from a fresh clone with nothing but Go installed.
GO ?= go

.PHONY: all generate check-generated test lint demo bench

all: lint test

## generate: regenerate gen/ from openapi.yaml with the pinned oapi-codegen.
generate:
	$(GO) generate ./...

## check-generated: fail when the committed gen/ differs from what openapi.yaml produces.
check-generated: generate
	@git diff --exit-code --stat -- gen/ || \
		(echo "gen/ is stale: run 'make generate' and commit the result" >&2; exit 1)
	@test -z "$$(git status --porcelain -- gen/)" || \
		(echo "gen/ has files git does not track: run 'make generate' and commit" >&2; exit 1)

## test: run every test with the race detector.
test:
	$(GO) test -race -count=1 ./...

## lint: gofmt check and go vet.
lint:
	@out=$$(gofmt -l $$(git ls-files '*.go')); \
		test -z "$$out" || (echo "gofmt would change:"; echo "$$out"; exit 1)
	$(GO) vet ./...

## demo: run the quickstart against the in-process fake server.
demo:
	$(GO) run ./examples/quickstart

## bench: compare the wrapper with the bare generated client, with allocations.
bench:
	$(GO) test -run '^$$' -bench . -benchmem ./wrapper/
