# workroom — make run serves on the embedded defaults; make test runs everything CI runs.
GO        ?= go
GOBIN     := $(shell $(GO) env GOPATH)/bin
STATICCHECK_VERSION := v0.8.2
# versitygw is the S3 server the object-store tests start (s3blobs/s3test: keep its Version in step)
VERSITYGW_VERSION := v1.8.0

.PHONY: run build test test-deps lint fmt-check vet staticcheck unit bench bench-load bench-live bench-sftp bench-mailin bench-notify bench-postgres fuzz clean

## run: build and serve on :2222 (SSH) with data in ./data, without a virus scanner
run: build
	./bin/workroom serve --no-scan

## build: the one binary
build:
	$(GO) build -o bin/workroom ./cmd/workroom

## test: install what the tests need, lint, and run every test with the race detector
test: test-deps lint unit

## test-deps: OpenSSH client and server, tmux, clamd, lftp and rclone (apt, when missing), staticcheck and versitygw
## (an S3 server, built from source: about three minutes the first time)
test-deps:
	./scripts/install-test-deps
	@test -x $(GOBIN)/staticcheck || $(GO) install honnef.co/go/tools/cmd/staticcheck@$(STATICCHECK_VERSION)
	@test -x $(GOBIN)/versitygw || $(GO) install github.com/versity/versitygw/cmd/versitygw@$(VERSITYGW_VERSION)

lint: fmt-check vet staticcheck

fmt-check:
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi

vet:
	$(GO) vet ./...

staticcheck:
	$(GOBIN)/staticcheck ./...

unit:
	$(GO) test -race -count=1 -timeout 12m ./...

## bench: the figures in bench/README.md
bench:
	$(GO) test -run '^$$' -bench . -benchtime 2s -count 3 . ./store/

## bench-load: live sessions under load, issue 6's figures in bench/README.md (a few minutes;
## LOAD_RUNS="pairs:1000" picks runs)
bench-load:
	./bench/load.sh

## bench-live: meetings and idle sessions under load, issue 10's figures in bench/README.md
## (about twelve minutes; LOAD_RUNS="meeting:1000" picks runs, 5,000 idle sessions need ~1 GB)
bench-live:
	LOAD_RUNS="$${LOAD_RUNS:-meeting:100 meeting:1000 meeting:2000 idle:1000 idle:5000}" ./bench/load.sh

## bench-sftp: files over SFTP against OpenSSH's own sshd (internal-sftp), issue 8's figures in
## bench/README.md (a few minutes; RUNS=N, CIPHERS="default aes128-gcm@openssh.com")
bench-sftp:
	./bench/sftp.sh

## bench-mailin: mail ingest, issue 9's figures in bench/README.md: 2,000 mails with a 100 KB
## attachment from 8 SMTP clients, scanning off and on (N=, C=, SIZE=, SERVER_FLAGS=)
bench-mailin:
	./bench/mailin.sh

## bench-notify: notifications delivered to a relay stand-in per second (issue 9)
bench-notify:
	$(GO) test -run '^$$' -bench Notify -benchtime 2000x -count 3 ./mail/

## bench-postgres: issue 12's store figures, bbolt and PostgreSQL side by side (first page at
## 10, 10,000 and 100,000 messages; posts/s with 1, 8 and 32 writers), every commit on disk
bench-postgres:
	PGTEST_DURABLE=1 $(GO) test -run '^$$' -bench . -benchtime 2s -count 3 -timeout 60m ./postgres/

## fuzz: every fuzz target in turn for FUZZTIME each (default 60s); new crashers land in testdata/fuzz
FUZZTIME ?= 60s
fuzz:
	./scripts/fuzz $(FUZZTIME)

clean:
	rm -rf bin
