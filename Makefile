# TEE Agent — build, run and test.
#   make / make eif     the enclave image: build/tee-agent.eif and build/pcrs.json (needs Docker)
#                         make eif OPERATOR_ADDRESS=0x… [TEE_NAME=my-agent] [KMS_KEY_ID=… KMS_REGION=…]
#   make kms-policy AWS_ACCOUNT=… HOST_ROLE=…   the locked KMS key policy for build/pcrs.json
#   make run            build if needed, run the agent locally (simulated attestation) on port 7047;
#                         its identity (address, state) is kept in scratch/state across restarts;
#                         make run NEW_IDENTITY=1 starts a fresh one
#   make test           every test (unit, integration, interop, enclave scripts, format check)
#   make jar            target/tee-agent.jar
#   make runtime        build/runtime: the enclave's jlink Java runtime, built here
#   make check-reproducible   two clean builds in different directories give identical jar and runtime
#   make release VERSION=X.Y.Z   check, build twice, record the hashes, tag vX.Y.Z (scripts/release.sh)
#   make clean

SHELL := /bin/bash
.DEFAULT_GOAL := eif

# JDK 25: an explicit JAVA_HOME wins, else the Temurin 25 beside the system JDK.
JAVA_HOME ?= $(firstword $(wildcard /usr/lib/jvm/temurin-25-jdk*) $(wildcard /usr/lib/jvm/java-25-openjdk*) $(wildcard /usr/lib/jvm/java-25-amazon-corretto*))
export JAVA_HOME
JAVA := $(JAVA_HOME)/bin/java
MVN := ./mvnw -B -ntp

# Build-time identity of the agent. The development operator is anvil's well-known account #0: its
# private key is public (docs/operators.md), so `make run` uses it only when no OPERATOR_ADDRESS is given, and
# `make eif` refuses it.
DEV_OPERATOR := 0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266
TEE_NAME ?= tee-agent-dev
PORT ?= 7047

JAR := target/tee-agent.jar
SOURCES := pom.xml $(shell find src/main -type f 2>/dev/null)
RUNTIME := build/runtime

# ---- enclave image ---------------------------------------------------------------------------------
EIF := build/tee-agent.eif
PCRS := build/pcrs.json
IMAGE_TAR := build/tee-agent-image.tar
IMAGE := tee-agent-enclave:$(shell git rev-parse --short=12 HEAD 2>/dev/null || echo local)
# File times in the image are the commit's time, so a rebuild of the same commit is byte-identical.
SOURCE_DATE_EPOCH ?= $(shell git log -1 --format=%ct 2>/dev/null || echo 0)
# BuildKit 0.29 in a container, so every machine exports the image the same way (rewrite-timestamp).
BUILDKIT_IMAGE := moby/buildkit:v0.29.0@sha256:0039c1d47e8748b5afea56f4e85f14febaf34452bd99d9552d2daa82262b5cc5
# nitro-cli from a pinned Amazon Linux 2023 container: the same kernel and init blobs (PCR1) on any host.
NITRO_CLI ?= enclave/nitro-cli.sh

# `make eif` checks its settings while the Makefile is read, so a missing or invalid one stops it
# before anything is built (even under `make -n`).
ifneq ($(filter eif,$(or $(MAKECMDGOALS),$(.DEFAULT_GOAL))),)
  ifeq ($(filter command environment,$(firstword $(origin OPERATOR_ADDRESS))),)
    $(error make eif needs your operator address: make eif OPERATOR_ADDRESS=0x… (the development operator's key is public and is never built into an enclave))
  endif
  ifneq ($(shell printf '%s' '$(OPERATOR_ADDRESS)' | grep -Ecx '0x[0-9a-fA-F]{40}'),1)
    $(error OPERATOR_ADDRESS must be a 0x-prefixed 20-byte hex address, got '$(OPERATOR_ADDRESS)')
  endif
  ifeq ($(shell printf '%s' '$(OPERATOR_ADDRESS)' | tr A-F a-f),$(shell printf '%s' '$(DEV_OPERATOR)' | tr A-F a-f))
    $(error OPERATOR_ADDRESS is the public development operator; its private key is published, use your own)
  endif
  ifneq ($(shell printf '%s' '$(TEE_NAME)' | grep -Ecx '[A-Za-z0-9._-]{1,64}'),1)
    $(error TEE_NAME must be 1-64 letters, digits, '.', '_' or '-', got '$(TEE_NAME)')
  endif
  # The KMS key that seals the identity (docs/deploy-ec2.md): optional, both or neither.
  ifneq ($(KMS_KEY_ID)$(KMS_REGION),)
    ifneq ($(shell printf '%s' '$(KMS_KEY_ID)' | grep -Ecx '[A-Za-z0-9:/_-]{1,256}'),1)
      $(error KMS_KEY_ID must be a KMS key id or ARN (with KMS_REGION), got '$(KMS_KEY_ID)')
    endif
    ifneq ($(shell printf '%s' '$(KMS_REGION)' | grep -Ecx '[a-z]{2}(-[a-z0-9]+)+-[0-9]+'),1)
      $(error KMS_REGION must be an AWS region such as eu-west-1 (with KMS_KEY_ID), got '$(KMS_REGION)')
    endif
  endif
endif

.PHONY: eif jar run runtime test node-tools check-reproducible release clean

eif:
	@mkdir -p build
	@if [ -n "$$(git status --porcelain 2>/dev/null)" ]; then \
	  echo "warning: uncommitted changes: these PCRs will not match a clean build of $$(git rev-parse --short HEAD)" >&2; fi
	docker run --rm --privileged --volume "$(CURDIR)":/src:ro --workdir /src \
	  --entrypoint buildctl-daemonless.sh $(BUILDKIT_IMAGE) build \
	  --frontend dockerfile.v0 --local context=. --local dockerfile=enclave \
	  --opt platform=linux/amd64 \
	  --opt build-arg:TEE_NAME='$(TEE_NAME)' \
	  --opt build-arg:OPERATOR_ADDRESS='$(OPERATOR_ADDRESS)' \
	  --opt build-arg:KMS_KEY_ID='$(KMS_KEY_ID)' --opt build-arg:KMS_REGION='$(KMS_REGION)' \
	  --opt build-arg:SOURCE_DATE_EPOCH=$(SOURCE_DATE_EPOCH) \
	  --output type=docker,name=$(IMAGE),dest=-,rewrite-timestamp=true > $(IMAGE_TAR)
	docker load --input $(IMAGE_TAR)
	$(NITRO_CLI) build-enclave --docker-uri $(IMAGE) --output-file "$(CURDIR)/$(EIF)" > build/nitro-cli-build.json
	jq '.Measurements' build/nitro-cli-build.json > $(PCRS)
	@echo "image $(IMAGE) (sha256 $$(sha256sum $(IMAGE_TAR) | cut -c1-64))"
	@echo "$(EIF): TEE_NAME=$(TEE_NAME) OPERATOR_ADDRESS=$(OPERATOR_ADDRESS) KMS_KEY_ID=$(or $(KMS_KEY_ID),none); PCRs in $(PCRS):"
	@jq -r 'to_entries[] | select(.key | startswith("PCR")) | "  \(.key) \(.value)"' $(PCRS)
	@echo "the locked KMS key policy for this image: make kms-policy AWS_ACCOUNT=<12 digits> HOST_ROLE=<instance role>"

# The locked KMS key policy with this image's PCR0 filled in (docs/custody.md), on stdout:
#   make kms-policy AWS_ACCOUNT=111122223333 HOST_ROLE=tee-agent-host > kms-policy.json
.PHONY: kms-policy
kms-policy: $(JAR)
	@test -f '$(PCRS)' || { echo "make kms-policy needs $(PCRS): run make eif first, or give PCRS=FILE" >&2; exit 2; }
	@test -n '$(AWS_ACCOUNT)' -a -n '$(HOST_ROLE)' || { echo "make kms-policy needs AWS_ACCOUNT=<12 digits> HOST_ROLE=<the EC2 host's instance role>" >&2; exit 2; }
	@./tee-agent kms-policy --pcrs '$(PCRS)' --account '$(AWS_ACCOUNT)' --host-role '$(HOST_ROLE)'

jar: $(JAR)

# The launcher builds (with visible progress: the first build downloads for minutes) and prints
# the version of what it built.
$(JAR): $(SOURCES)
	./tee-agent --version

# The local agent writes its throw-away root and the PCRs of the running code to scratch/, where the
# operator CLI and verify are pointed with --root scratch/simulated-root.pem --pcrs scratch/pcrs.json.
# Its key and state are sealed in scratch/state by a dev-kms stand-in (scripts/run-local.sh), so a
# restart keeps the address; NEW_IDENTITY=1 replaces it on purpose.
SCRATCH := scratch
NEW_IDENTITY ?=
run: $(JAR)
	@mkdir -p $(SCRATCH)
	scripts/run-local.sh '$(SCRATCH)' '$(PORT)' '$(TEE_NAME)' '$(or $(OPERATOR_ADDRESS),$(DEV_OPERATOR))' '$(NEW_IDENTITY)'

runtime: $(RUNTIME)/release

$(RUNTIME)/release: enclave/java-modules enclave/build-runtime.sh
	sh enclave/build-runtime.sh "$(JAVA_HOME)" $(RUNTIME)

check-reproducible:
	bash enclave/check-reproducible.sh

release:
	bash scripts/release.sh '$(VERSION)'

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund

node-tools: node_modules/.package-lock.json

# After the suite, every signed answer the integration tests received is checked by independent
# code: its signature (npm canonicalize + ethers), then its shape against the OpenAPI document of
# its operation and status (ajv; docs/api.md). Either fails on any answer that does not pass, or
# when none was kept.
test: node-tools
	rm -rf target/signed-answers
	$(MVN) verify
	node src/test/js/verify-all-signed.mjs target/signed-answers
	node src/test/js/validate-answers.mjs src/main/resources/openapi.json target/signed-answers README.md docs/*.md

clean:
	$(MVN) -q clean
	rm -rf build
