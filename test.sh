#!/usr/bin/env bash
# Runs every test of the solution on a fresh machine: restores NuGet packages, installs what the browser tests
# need where it is missing, builds in Release and runs the xunit suites.
set -euo pipefail
cd "$(dirname "$0")"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
if [ -x scripts/install-test-deps.sh ]; then
  scripts/install-test-deps.sh
fi
dotnet test NeuralSharp.slnx -c Release "$@"
