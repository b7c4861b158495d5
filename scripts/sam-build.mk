# Included by every function's and the layer's Makefile (template.yaml: `Metadata: BuildMethod: makefile`).
#
# `sam build` hands such a resource to aws-lambda-builders' CustomMakeWorkflow, which copies the CodeUri
# (ContentUri) folder to a scratch folder and runs there
#     make --makefile <absolute CodeUri folder>/Makefile build-<LogicalId>
# with ARTIFACTS_DIR=<build dir>/<LogicalId> added to the environment; whatever the target leaves in
# ARTIFACTS_DIR is what `sam package`/`sam deploy` zip and upload (for a makefile layer nothing is added:
# the target itself lays out java/lib/). A module's scratch copy cannot be built on its own (its parent
# POMs and the kit live elsewhere in the checkout), so each target runs the Maven build in the checkout this
# file belongs to and unpacks the zip that build writes - the zip every packaged-Lambda test, the emulated
# stack and scripts/release use - into ARTIFACTS_DIR: Lambda's Java layout (classes at the root and jars in
# lib/ for a function, java/lib/*.jar for the layer).
E6LINK_ROOT := $(abspath $(dir $(lastword $(MAKEFILE_LIST)))..)

# $(1): the Maven module (path from the checkout root); $(2): the zip it writes (same root).
define e6link-lambda-build
	@test -n "$(ARTIFACTS_DIR)" || { echo "ARTIFACTS_DIR is not set: run sam build, or make ARTIFACTS_DIR=<empty folder> $@" >&2; exit 2; }
	cd "$(E6LINK_ROOT)" && . scripts/java-home && ./mvnw -B -q package -Dmaven.test.skip=true -pl $(1) -am
	mkdir -p "$(ARTIFACTS_DIR)"
	unzip -q -o "$(E6LINK_ROOT)/$(2)" -d "$(ARTIFACTS_DIR)"
endef
