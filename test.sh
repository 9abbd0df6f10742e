#!/usr/bin/env bash
# Runs every test on a fresh machine: installs what the browser tests need where it is missing (Chromium), restores
# NuGet packages, builds in Release, then runs the test projects one after the other (the playground's tests
# measure frame rates and training speed, so they do not share the 2 cores with the library's suite).
set -euo pipefail
cd "$(dirname "$0")"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
scripts/install-test-deps.sh
dotnet build NeuralSharp.slnx -c Release
status=0
for project in tests/NeuralSharp.Tests tests/NeuralSharp.Playground.Tests tests/NeuralSharp.Tuning.Tests; do
  dotnet test "$project" -c Release --no-build "$@" || status=1
done
exit $status
