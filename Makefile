# Everyday tasks. Each target works from a fresh clone with nothing but Go installed.
GO ?= go

.PHONY: all generate check-generated test lint demo bench contract-diff upstream-diff

all: lint test

## generate: regenerate gen/ from openapi.yaml with the pinned oapi-codegen.
generate:
	$(GO) generate ./...

## check-generated: fail when the committed gen/ differs from what openapi.yaml produces.
check-generated: generate
	@git diff --exit-code --stat -- gen/ || \
		(echo "gen/ was stale; make generate has rewritten it: review and commit it" >&2; \
		exit 1)
	@extra=$$(git ls-files --others --exclude-standard -- gen/); test -z "$$extra" || \
		(echo "gen/ holds files git does not track; delete or commit them:" >&2; \
		echo "$$extra" >&2; exit 1)

## test: run every test with the race detector, the contract module's too.
test:
	$(GO) test -race -count=1 ./...
	cd contract && $(GO) test -race -count=1 ./...

## lint: gofmt check and go vet.
lint:
	@out=$$(gofmt -l $$(git ls-files '*.go')); \
		test -z "$$out" || (echo "gofmt would change:"; echo "$$out"; exit 1)
	$(GO) vet ./...
	cd contract && $(GO) vet ./...

## contract-diff: fail when openapi.yaml breaks the SDK's users compared with BASE: a file
## or a git revision (BASE=origin/main); by default the newest release in api/baseline/.
## GITHUB_ACTIONS=true, or ARGS=-github, adds GitHub annotations. oasdiff lives in the
## separate contract/ module, so it never enters the SDK's own module graph.
BASE ?=
contract-diff:
	cd contract && $(GO) run ./cmd/contractdiff -dir "$(CURDIR)" $(if $(BASE),-base "$(BASE)") $(ARGS)

## upstream-diff: report how the service's published OpenAPI document (UPSTREAM=file or URL)
## differs from openapi.yaml in the Client Management operations.
upstream-diff:
	@test -n "$(UPSTREAM)" || (echo "usage: make upstream-diff UPSTREAM=path-or-url" >&2; exit 2)
	cd contract && $(GO) run ./cmd/upstreamdiff -dir "$(CURDIR)" -upstream "$(UPSTREAM)" $(ARGS)

## demo: run the quickstart against the in-process fake server.
demo:
	$(GO) run ./examples/quickstart

## bench: compare the wrapper with the bare generated client, with allocations.
bench:
	$(GO) test -run '^$$' -bench . -benchmem ./wrapper/
