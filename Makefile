# The only entry points the README, the Jenkinsfile and .ci/run use.
# Tool versions are pinned here; npm packages are pinned in package.json / package-lock.json.
MOTO_VERSION    := 5.2.5
CHECKOV_VERSION := 3.3.30
PIPX_VERSION    := 1.8.0

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
TOOLS := $(CURDIR)/.tools
export PATH := $(TOOLS)/bin:$(CURDIR)/node_modules/.bin:$(PATH)
export PIPX_HOME := $(TOOLS)/pipx
export PIPX_BIN_DIR := $(TOOLS)/bin
export MOTO_SERVER := $(TOOLS)/moto/bin/moto_server

.PHONY: install build typecheck test synth

## install: npm ci, moto (test double for AWS) and checkov, all at pinned versions
install: node_modules/.install-stamp $(MOTO_SERVER) $(TOOLS)/bin/checkov

node_modules/.install-stamp: package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

$(MOTO_SERVER):
	python3 -m venv $(TOOLS)/moto
	$(TOOLS)/moto/bin/pip install --quiet --disable-pip-version-check "moto[server]==$(MOTO_VERSION)"

$(TOOLS)/bin/checkov:
	python3 -m venv $(TOOLS)/pipx-venv
	$(TOOLS)/pipx-venv/bin/pip install --quiet --disable-pip-version-check "pipx==$(PIPX_VERSION)"
	$(TOOLS)/pipx-venv/bin/pipx install --force "checkov==$(CHECKOV_VERSION)"

## build: the four function bundles (dist/functions/<name>/index.js)
build: node_modules/.install-stamp
	npm run --silent build:functions

typecheck: node_modules/.install-stamp
	tsc --noEmit -p tsconfig.json

## test: every test (type check, constructs, functions against the simulator and moto, delivery)
test: install build typecheck
	jest --ci

## synth: ENV=dev|stage|prod|all
synth: install build
	npm run --silent synth -- $(ENV)
