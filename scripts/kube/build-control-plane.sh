#!/usr/bin/env bash
# Builds a real Kubernetes control plane for tests, once, into a cache folder outside the checkout:
# kube-apiserver, kube-controller-manager and kube-scheduler from Debian's `kubernetes` source package
# (upstream 1.20.2 with its vendor tree) with Debian's Go, plus etcd and kubectl taken from Debian's
# binary packages. Nothing is installed system-wide but the build toolchain: etcd-server's package would
# start a daemon on the shared port 2379, and kubectl is left to whatever the machine already has.
# Rebuilds only when a binary is missing or the stamp shows another recipe. Prints the cache folder.
set -euo pipefail

# Bump when what is built, or how, changes: a cache with another stamp is rebuilt.
readonly recipe=1
home="${HOME:-$(getent passwd "$(id -u)" | cut -d: -f6)}"
readonly cache="${REGATTA_KUBE_CACHE:-${XDG_CACHE_HOME:-${home}/.cache}/regatta-kube}"
readonly bin="${cache}/bin"
readonly stamp="${cache}/STAMP"
readonly binaries=(kube-apiserver kube-controller-manager kube-scheduler etcd kubectl)

complete() {
  [[ -f "${stamp}" ]] && head -n1 "${stamp}" | grep -qx "recipe=${recipe}" || return 1
  local b
  for b in "${binaries[@]}"; do [[ -x "${bin}/${b}" ]] || return 1; done
}

if complete; then
  echo "${cache}"
  exit 0
fi

log() { echo "build-control-plane: $*" >&2; }
# Waits for other apt runs; downloads into our own temporary folder, which apt's sandbox user cannot enter.
apt_get() { apt-get -o DPkg::Lock::Timeout=600 -o APT::Sandbox::User=root "$@"; }

# deb-src entries for the Debian archive apt already uses, in a list file of our own (the user's stay
# untouched): the main archive's URIs from the deb822 and one-line sources, for this release's suite.
codename="$(. /etc/os-release && echo "${VERSION_CODENAME}")"
src_list=/etc/apt/sources.list.d/regatta-kube-src.list
if [[ ! -f "${src_list}" ]]; then
  uris="$(
    {
      for f in /etc/apt/sources.list.d/*.sources; do
        [[ ! -f "${f}" ]] || sed -n 's/^URIs:[[:space:]]*//p' "${f}" | tr ' ' '\n'
      done
      for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
        [[ ! -f "${f}" ]] || awk '$1 == "deb" { for (i = 2; i <= NF; i++) if ($i !~ /^\[/ && $i !~ /\]$/) { print $i; break } }' "${f}"
      done
    } | { grep -E '/debian/?$' || true; } | sort -u
  )"
  [[ -n "${uris}" ]] || { log "no Debian archive found in /etc/apt/sources.list*"; exit 1; }
  keyring=/usr/share/keyrings/debian-archive-keyring.gpg
  while read -r uri; do echo "deb-src [signed-by=${keyring}] ${uri} ${codename} main"; done <<<"${uris}" >"${src_list}"
  log "wrote ${src_list}"
fi

log "apt-get update, build toolchain"
apt_get update -qq
DEBIAN_FRONTEND=noninteractive apt_get install -y -qq --no-install-recommends \
  dpkg-dev golang-go golang-github-modern-go-reflect2-dev openssl >/dev/null

work="$(mktemp -d "${TMPDIR:-/tmp}/regatta-kube-build.XXXXXX")"
trap 'rm -rf "${work}"' EXIT
mkdir -p "${bin}"

# etcd and kubectl: the binaries out of Debian's packages, not installed.
(cd "${work}" && apt_get download -qq etcd-server kubernetes-client)
for deb in "${work}"/etcd-server_*.deb "${work}"/kubernetes-client_*.deb; do dpkg-deb -x "${deb}" "${work}/root"; done
install -m 0755 "${work}/root/usr/bin/etcd" "${work}/root/usr/bin/kubectl" "${bin}/"

log "apt-get source kubernetes"
(cd "${work}" && apt_get source -qq kubernetes >/dev/null)
src="$(find "${work}" -mindepth 1 -maxdepth 1 -type d -name 'kubernetes-*' | head -n1)"
src_version="$(cd "${src}" && dpkg-parsechangelog -S Version)"
k8s_version="v$(sed -n 's/.*+really\([0-9.]*\).*/\1/p' <<<"${src_version}")"
[[ "${k8s_version}" != v ]] || k8s_version="v${src_version%%-*}"

# The vendored reflect2 1.0.1 reads runtime internals that moved in Go 1.18 and segfaults (YAML and
# ?pretty responses crash the apiserver); Debian's 1.0.2 is the fixed release. Kubernetes 1.20 builds
# in GOPATH mode (hack/lib/init.sh sets GO111MODULE=off), where only the vendor tree counts.
reflect2_dev=/usr/share/gocode/src/github.com/modern-go/reflect2
reflect2_version="$(dpkg-query -W -f '${Version}' golang-github-modern-go-reflect2-dev)"
rm -rf "${src}/vendor/github.com/modern-go/reflect2"
mkdir -p "${src}/vendor/github.com/modern-go/reflect2"
find "${reflect2_dev}" -maxdepth 1 -type f \( -name '*.go' -o -name '*.s' -o -name LICENSE \) ! -name '*_test.go' \
  -exec cp -t "${src}/vendor/github.com/modern-go/reflect2/" {} +

# As debian/rules does: make (which also generates the OpenAPI code the release tree lacks), static
# binaries; the version comes from a file since the tree has no git history.
k8s_major="${k8s_version#v}"
k8s_minor="${k8s_major#*.}"
cat >"${work}/version" <<VERSION
KUBE_GIT_VERSION='${k8s_version}'
KUBE_GIT_MAJOR='${k8s_major%%.*}'
KUBE_GIT_MINOR='${k8s_minor%%.*}'
KUBE_GIT_TREE_STATE='clean'
VERSION
go_version="$(go version | awk '{print $3}')"
log "make (${go_version}, ${k8s_version}); about 10 CPU-minutes, niced"
started="$(date +%s)"
(cd "${src}" && CGO_ENABLED=0 KUBE_GIT_VERSION_FILE="${work}/version" HOME="${work}" \
  nice -n 19 make WHAT="cmd/kube-apiserver cmd/kube-controller-manager cmd/kube-scheduler" >&2)
install -m 0755 "${src}/_output/bin/kube-apiserver" "${src}/_output/bin/kube-controller-manager" \
  "${src}/_output/bin/kube-scheduler" "${bin}/"
log "built in $(( $(date +%s) - started )) s"

{
  echo "recipe=${recipe}"
  echo "kubernetes-source=${src_version} (${k8s_version})"
  echo "go=${go_version}"
  echo "reflect2=${reflect2_version} (vendored 1.0.1 replaced)"
  "${bin}/etcd" --version | head -n1
  "${bin}/kubectl" version --client --short 2>/dev/null || true
} >"${stamp}"
complete || { log "cache incomplete after the build"; exit 1; }
echo "${cache}"
