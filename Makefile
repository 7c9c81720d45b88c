GO          ?= go
VERSION     ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo devel)
LDFLAGS     := -X main.Version=$(VERSION)
STATICCHECK := $(GO) run honnef.co/go/tools/cmd/staticcheck@v0.8.2

.PHONY: build test golden lint bench e2e docs clean mutate

build:
	$(GO) build -ldflags "$(LDFLAGS)" -o bin/cfngen ./cmd/cfngen

# Every test, with a moto server on a free loopback port for the
# end-to-end ones, after the linters.
test: lint
	scripts/with-moto $(GO) test ./...

# The end-to-end tests alone: deploys to a moto server through cfngen, the
# deploy package and the aws CLI, with faults, interrupts and timeouts, and
# the README's commands.
e2e:
	scripts/with-moto $(GO) test ./cmd/cfngen ./deploy -run 'EndToEnd|AWSCLI|DiffShowsChanges|ThroughS3|FaultInjected|Interrupt|Timeout|Moto|README'

# Rewrite the golden files after an intended change; review the diff.
# Only the packages with golden files define -update; none needs moto.
golden:
	$(GO) test ./golden ./graph ./deploy -run Golden -update

# Plant each bug of scripts/mutate/mutants.go in a copy of HEAD, run the
# tests of its area, and print the behavioural score. Slow; not in test.
mutate:
	scripts/with-moto $(GO) run ./scripts/mutate

lint:
	@out=$$(gofmt -l .); if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi
	$(GO) mod tidy -diff
	$(GO) vet ./...
	$(STATICCHECK) ./...

bench:
	scripts/bench

# The README's pictures: the default stack, laid out by cfngen itself, and
# the plan picture of the simulated change set of graph's golden test.
docs:
	$(GO) run ./cmd/cfngen graph --format svg > docs/stack.svg
	cp graph/testdata/plan.svg docs/plan.svg

clean:
	rm -rf bin
