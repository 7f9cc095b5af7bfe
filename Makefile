# TEE Agent — build, run and test.
#   make run     build if needed, run the agent locally (simulated attestation) on port 7047
#   make test    every test (unit, integration, interop, format check)
#   make jar     target/tee-agent.jar

SHELL := /bin/bash
.DEFAULT_GOAL := jar

# JDK 25: an explicit JAVA_HOME wins, else the Temurin 25 beside the system JDK.
JAVA_HOME ?= $(firstword $(wildcard /usr/lib/jvm/temurin-25-jdk*) $(wildcard /usr/lib/jvm/java-25-openjdk*))
export JAVA_HOME
JAVA := $(JAVA_HOME)/bin/java
MVN := ./mvnw -B -ntp

# Build-time identity of the agent. The development operator is anvil's well-known account #0:
# its private key is public (README), so use it only to try the agent locally.
TEE_NAME ?= tee-agent-dev
OPERATOR_ADDRESS ?= 0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266
PORT ?= 7047

JAR := target/tee-agent.jar
SOURCES := pom.xml $(shell find src/main -type f 2>/dev/null)

.PHONY: jar run test node-tools clean

jar: $(JAR)

$(JAR): $(SOURCES)
	$(MVN) -q -DskipTests package

run: $(JAR)
	$(JAVA) -jar $(JAR) serve --port $(PORT) --tee-name '$(TEE_NAME)' --operator '$(OPERATOR_ADDRESS)'

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund

node-tools: node_modules/.package-lock.json

test: node-tools
	$(MVN) verify

clean:
	$(MVN) -q clean
	rm -rf build
