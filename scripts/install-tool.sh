#!/usr/bin/env bash
# Installs the `autospec` command from this clone: packs src/AutoSpec.Cli as a .NET tool (Release) into artifacts/
# and installs it with `dotnet tool`. The package is built from the publish output, which the build has made
# loadable on Debian 12 (Directory.Build.targets), so the installed command needs no further step.
#
#   scripts/install-tool.sh                    # global tool: ~/.dotnet/tools/autospec (~/.dotnet/tools on PATH)
#   scripts/install-tool.sh --tool-path DIR    # into DIR: DIR/autospec
#   scripts/install-tool.sh --check [...]      # then train one epoch of the default job with the installed command
#
# Each pack gets its own version (Directory.Build.props' VersionPrefix + -local.<UTC time>, e.g. 0.2.0-local.<time>),
# which every run's manifest records, so a run names the build that made it. Exit 0 when the command is installed
# (and, with --check, ran). The package holds TorchSharp's Linux natives (about 320 MB); packing takes a few minutes.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
tool_path=""
check=false
while [[ $# -gt 0 ]]; do
    case "$1" in
        --tool-path) tool_path=${2:?--tool-path needs a folder}; shift 2 ;;
        --check) check=true; shift ;;
        -h|--help) sed -n '2,12p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "install-tool: unknown option '$1' (see --help)" >&2; exit 2 ;;
    esac
done

prefix=$(sed -n 's:.*<VersionPrefix>\(.*\)</VersionPrefix>.*:\1:p' "$root/Directory.Build.props")
version="${prefix:?install-tool: no VersionPrefix in Directory.Build.props}-local.$(date -u +%Y%m%d%H%M%S)"
out="$root/artifacts"
mkdir -p "$out"
echo "install-tool: packing AutoSpec.Cli $version into $out"
dotnet pack "$root/src/AutoSpec.Cli" -c Release -p:Version="$version" -o "$out" -nologo -v quiet

if [[ -n "$tool_path" ]]; then
    where=(--tool-path "$tool_path")
    command="$(cd "$tool_path" 2>/dev/null && pwd || echo "$tool_path")/autospec"
else
    where=(--global)
    command="$HOME/.dotnet/tools/autospec"
fi
# An earlier version is replaced; a missing one is no error.
dotnet tool uninstall AutoSpec.Cli "${where[@]}" >/dev/null 2>&1 || true
dotnet tool install AutoSpec.Cli "${where[@]}" --add-source "$out" --version "$version"
# Packages of earlier installs are not needed any more.
find "$out" -maxdepth 1 -name 'AutoSpec.Cli.*.nupkg' ! -name "AutoSpec.Cli.$version.nupkg" -delete

if $check; then
    run_dir=$(mktemp -d)
    trap 'rm -rf "$run_dir"' EXIT
    "$command" run --epochs 1 --out "$run_dir/run" >/dev/null
    grep -q '"status": "complete"' "$run_dir/run/manifest.json"
    echo "install-tool: $command ran one epoch of the default job"
fi
if [[ -z "$tool_path" ]] && ! command -v autospec >/dev/null; then
    echo "install-tool: add ~/.dotnet/tools to PATH to call it as autospec (export PATH=\"\$PATH:\$HOME/.dotnet/tools\")"
fi
