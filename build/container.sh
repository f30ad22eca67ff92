#!/usr/bin/env bash
# The container image (Dockerfile), compose.yaml and the Kubernetes manifests (deploy/kubernetes), built and checked
# on this machine with podman.
#   build/container.sh build      build the image from the Dockerfile as webhooks:local; the last line printed is its name
#   build/container.sh validate   compose.yaml through `docker-compose config` (schema, interpolation from .env.example),
#                                 deploy/kubernetes through `kubectl kustomize`, deploy/prometheus/prometheus.yml through
#                                 promtool, and what each must hold (probes, non-root, read-only root filesystem, …)
#   build/container.sh smoke      validate, build, then run the image against private services (profile "container",
#                                 ports 20000+): `migrate` as a one-off container, the API read-only on 127.0.0.1:20012,
#                                 a signed sample, its event on RabbitMQ, non-root / read-only / HEALTHCHECK checked
#                                 from outside; stops and removes all it started, also on failure. Prints the image
#                                 size and start-to-ready time, then "container: passed" or "container: failed: <why>".
# No image can be pulled here. When mcr.microsoft.com/dotnet/sdk:10.0 and aspnet:10.0 are not present, they are made
# locally under those names: Debian minbase (debootstrap from this machine's apt mirror) with the .NET SDK and runtime
# installed on this machine. The build stage sees the host's CA bundle, NuGet.Config and NuGet variables; the image
# keeps none of them. Installs podman, runc, debootstrap, docker-compose and promtool (Debian packages), and kubectl
# when missing. WEBHOOKS_CONTAINER_PORT_BASE (default 20000) moves the smoke's services and API.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"

image=webhooks:local
sdk_image=mcr.microsoft.com/dotnet/sdk:10.0
aspnet_image=mcr.microsoft.com/dotnet/aspnet:10.0
suite=bookworm
app_uid=1654              # the official images' "app" user
base_label=webhooks.local-base

# As root on this host podman needs runc and cgroupfs (crun fails on its cgroups).
pm() { podman --runtime runc --cgroup-manager=cgroupfs "$@"; }
now() { date +%s.%N; }
seconds_since() { python3 -c 'import sys, time; print(f"{time.time() - float(sys.argv[1]):.1f}")' "$1"; }

install_packages() {
  local missing=() p kube="" promtool=""
  for p in podman runc debootstrap docker-compose python3-yaml; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' || missing+=("$p")
  done
  command -v kubectl >/dev/null || kube=missing
  command -v promtool >/dev/null || promtool=missing
  [ ${#missing[@]} -gt 0 ] || [ -n "$kube" ] || [ -n "$promtool" ] || return 0
  apt-get update -qq
  if [ ${#missing[@]} -gt 0 ]; then
    echo "installing ${missing[*]} (Debian packages)" >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  fi
  if [ -n "$promtool" ]; then
    echo "installing prometheus (Debian package, for promtool)" >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends prometheus >/dev/null
  fi
  if [ -n "$kube" ]; then
    # kubectl from a configured repository, else Debian's kubernetes-client; neither → validate checks without it.
    for p in kubectl kubernetes-client; do
      if apt-cache policy "$p" 2>/dev/null | grep -q 'Candidate: [0-9]'; then
        echo "installing $p (for kubectl kustomize)" >&2
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$p" >/dev/null && break
      fi
    done
  fi
}

# The first Debian mirror this machine's apt sources name for the suite (one-line and deb822 formats).
debian_mirror() {
  python3 - "$suite" <<'PY'
import glob, re, sys
suite = sys.argv[1]
def sources():
    for path in ["/etc/apt/sources.list"] + sorted(glob.glob("/etc/apt/sources.list.d/*.list")):
        try:
            lines = open(path).read().splitlines()
        except OSError:
            continue
        for line in lines:
            m = re.match(r"deb\s+(?:\[[^\]]*\]\s+)?(\S+)\s+(\S+)", line.split("#", 1)[0].strip())
            if m:
                yield m.group(1), [m.group(2)]
    for path in sorted(glob.glob("/etc/apt/sources.list.d/*.sources")):
        for stanza in re.split(r"\n\s*\n", open(path).read()):
            fields = {}
            for line in stanza.splitlines():
                if not line.startswith("#") and ":" in line and not line[0].isspace():
                    key, value = line.split(":", 1)
                    fields[key.strip().lower()] = value.strip()
            if "deb" in fields.get("types", "").split() and fields.get("enabled", "yes").lower() != "no":
                for uri in fields.get("uris", "").split():
                    yield uri, fields.get("suites", "").split()
for uri, suites in sources():
    if suite in suites and re.match(r"https?://", uri):
        print(uri)
        sys.exit(0)
sys.exit(f"no apt source for {suite} in /etc/apt/sources.list*")
PY
}

label_of() { pm image inspect --format "{{ index .Labels \"$base_label\" }}" "$1" 2>/dev/null || true; }

# A base image is usable when present and either not one of ours (an official image) or ours for this .NET.
base_usable() {
  pm image exists "$1" || return 1
  local have; have=$(label_of "$1")
  [ -z "$have" ] || [ "$have" = "<no value>" ] || [ "$have" = "$2" ]
}

rootfs=""
make_base_images() {
  local aspnet_version netcore_version sdk_version dotnet_root want_aspnet want_sdk mirror old_ids item
  aspnet_version=$(dotnet --list-runtimes | awk '$1 == "Microsoft.AspNetCore.App" && $2 ~ /^10\.0\./ { print $2 }' | sort -V | tail -n1)
  netcore_version=$(dotnet --list-runtimes | awk '$1 == "Microsoft.NETCore.App" && $2 ~ /^10\.0\./ { print $2 }' | sort -V | tail -n1)
  sdk_version=$(dotnet --list-sdks | awk '$1 ~ /^10\.0\./ { print $1 }' | sort -V | tail -n1)
  [ -n "$aspnet_version" ] && [ -n "$netcore_version" ] && [ -n "$sdk_version" ] ||
    { echo "no .NET 10 SDK and ASP.NET Core 10 runtime installed (dotnet --list-sdks / --list-runtimes)" >&2; return 1; }
  dotnet_root=$(dirname "$(dotnet --list-sdks | awk -v v="$sdk_version" '$1 == v { sub(/^[^[]*\[/, ""); sub(/\]$/, ""); print }')")
  want_aspnet="aspnet $aspnet_version on debian $suite minbase"
  want_sdk="sdk $sdk_version on debian $suite minbase"
  if base_usable "$aspnet_image" "$want_aspnet" && base_usable "$sdk_image" "$want_sdk"; then return 0; fi

  mirror=$(debian_mirror)
  echo "making $aspnet_image and $sdk_image locally: debootstrap $suite minbase, .NET from $dotnet_root" >&2
  old_ids=$(for item in "$aspnet_image" "$sdk_image"; do pm image inspect --format '{{.Id}}' "$item" 2>/dev/null || true; done)
  rootfs=$(mktemp -d /var/tmp/webhooks-base.XXXXXX)
  # What the official runtime images carry besides glibc and libstdc++: certificates, ICU, OpenSSL, time zones, zlib.
  debootstrap --variant=minbase --include=ca-certificates,libicu72,libssl3,tzdata,zlib1g \
    "$suite" "$rootfs" "$mirror" > "$rootfs.log" 2>&1 || { tail -n 20 "$rootfs.log" >&2; rm -f "$rootfs.log"; return 1; }
  rm -f "$rootfs.log"
  # Trimmed like Debian's slim images: no package cache, manuals or translations (copyright files stay).
  rm -rf "$rootfs"/var/lib/apt/lists/* "$rootfs"/var/cache/apt/*.bin "$rootfs"/var/cache/apt/archives/*.deb \
    "$rootfs"/usr/share/man/* "$rootfs"/usr/share/info/* "$rootfs"/usr/share/locale/*
  find "$rootfs/usr/share/doc" -type f ! -name copyright -delete
  chroot "$rootfs" groupadd --gid "$app_uid" app
  chroot "$rootfs" useradd --uid "$app_uid" --gid "$app_uid" --create-home --shell /usr/sbin/nologin app

  local target="$rootfs/usr/share/dotnet"
  mkdir -p "$target/shared/Microsoft.NETCore.App" "$target/shared/Microsoft.AspNetCore.App" "$target/sdk"
  for item in dotnet host LICENSE.txt ThirdPartyNotices.txt; do
    [ -e "$dotnet_root/$item" ] && cp -a "$dotnet_root/$item" "$target/"
  done
  cp -a "$dotnet_root/shared/Microsoft.NETCore.App/$netcore_version" "$target/shared/Microsoft.NETCore.App/"
  cp -a "$dotnet_root/shared/Microsoft.AspNetCore.App/$aspnet_version" "$target/shared/Microsoft.AspNetCore.App/"
  ln -s /usr/share/dotnet/dotnet "$rootfs/usr/bin/dotnet"
  local common=(--change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'
    --change "ENV APP_UID=$app_uid" --change 'ENV ASPNETCORE_HTTP_PORTS=8080'
    --change 'ENV DOTNET_RUNNING_IN_CONTAINER=true' --change "ENV DOTNET_VERSION=$netcore_version"
    --change "ENV ASPNET_VERSION=$aspnet_version")
  import_rootfs "$aspnet_image" "${common[@]}" --change "LABEL $base_label=\"$want_aspnet\""

  cp -a "$dotnet_root/sdk/$sdk_version" "$target/sdk/"
  for item in packs sdk-manifests templates; do
    [ -e "$dotnet_root/$item" ] && cp -a "$dotnet_root/$item" "$target/"
  done
  import_rootfs "$sdk_image" "${common[@]}" --change "ENV DOTNET_SDK_VERSION=$sdk_version" \
    --change 'ENV DOTNET_NOLOGO=true' --change 'ENV DOTNET_CLI_TELEMETRY_OPTOUT=true' \
    --change 'ENV DOTNET_GENERATE_ASPNET_CERTIFICATE=false' --change 'ENV NUGET_XMLDOC_MODE=skip' \
    --change "LABEL $base_label=\"$want_sdk\""
  rm -rf "$rootfs"; rootfs=""
  # The images these replaced, if they were ours and nothing uses them.
  for item in $old_ids; do pm rmi "$item" >/dev/null 2>&1 || true; done
}

import_rootfs() {
  local name=$1; shift
  tar --numeric-owner -C "$rootfs" --exclude='./dev/*' --exclude='./proc/*' --exclude='./sys/*' -c . |
    pm import "$@" - "$name" >/dev/null
}

build_image() {
  install_packages
  make_base_images
  local args=(--pull=never --format docker --layers --network host
    --ulimit nofile=1024:1024 --ulimit nproc=1024:1024 -f "$root/Dockerfile" -t "$image")
  # The host's way to the package feed, for the build stage only: its CA bundle, its NuGet.Config, and the
  # Dockerfile's build arguments (NUGET_…) that this environment sets. Proxy variables podman passes on itself.
  local bundle=${SSL_CERT_FILE:-/etc/ssl/certs/ca-certificates.crt}
  [ -f "$bundle" ] && args+=(-v "$bundle:/etc/ssl/certs/ca-certificates.crt:ro")
  local nuget_config="${HOME:-/root}/.nuget/NuGet/NuGet.Config"
  [ -f "$nuget_config" ] && args+=(-v "$nuget_config:/root/.nuget/NuGet/NuGet.Config:ro")
  local name
  for name in $(sed -n 's/^ARG[[:space:]]\{1,\}\([A-Za-z_][A-Za-z0-9_]*\).*/\1/p' "$root/Dockerfile"); do
    [ -n "${!name+x}" ] && args+=(--build-arg "$name")
  done
  local old new
  old=$(pm image inspect --format '{{.Id}}' "$image" 2>/dev/null || true)
  pm build "${args[@]}" "$root"
  new=$(pm image inspect --format '{{.Id}}' "$image")
  # The previous build of the image, now untagged (not if a container still uses it).
  if [ -n "$old" ] && [ "$old" != "$new" ]; then pm rmi "$old" >/dev/null 2>&1 || true; fi
}

validate() {
  install_packages >&2
  local out; out=$(mktemp -d)
  # compose.yaml: the schema and the interpolation of every variable from .env.example (docker-compose v1 needs no
  # daemon for `config`).
  docker-compose --project-directory "$root" -f "$root/compose.yaml" --env-file "$root/.env.example" config \
    > "$out/compose.yaml" 2> "$out/compose.err" || { cat "$out/compose.err"; rm -rf "$out"; return 1; }
  # The scrape's key file exists only inside the running container: check a copy that points at an empty stand-in.
  mkdir -p "$out/prometheus"; : > "$out/prometheus/metrics.key"; cp "$root/deploy/prometheus/alerts.yml" "$out/prometheus/"
  sed "s#/prometheus/metrics.key#$out/prometheus/metrics.key#" "$root/deploy/prometheus/prometheus.yml" > "$out/prometheus/prometheus.yml"
  promtool check config "$out/prometheus/prometheus.yml" > "$out/promtool.log" 2>&1 ||
    { cat "$out/promtool.log"; rm -rf "$out"; return 1; }
  local renderer=none
  if command -v kubectl >/dev/null; then
    kubectl kustomize "$root/deploy/kubernetes" > "$out/kubernetes.yaml" 2> "$out/kubectl.err" ||
      { cat "$out/kubectl.err"; rm -rf "$out"; return 1; }
    renderer="kubectl kustomize ($(kubectl version --client 2>/dev/null | head -n1))"
  fi
  python3 - "$root" "$out" "$renderer" <<'PY' || { rm -rf "$out"; return 1; }
import os, re, sys, yaml
root, out, renderer = sys.argv[1:4]
problems = []
def need(ok, what):
    if not ok:
        problems.append(what)

# --- compose.yaml, as docker-compose resolved it
compose = yaml.safe_load(open(os.path.join(out, "compose.yaml")))
services = compose.get("services", {})
for name in ["postgres", "rabbitmq", "migrate", "api-1", "api-2", "prometheus"]:
    need(name in services, f"compose: no service {name}")
if not problems:
    need("management" in services["rabbitmq"]["image"], "compose: RabbitMQ without the management plugin")
    need(services["migrate"].get("command") == ["migrate"], "compose: the migrate service does not run `migrate`")
    for name in ["postgres", "rabbitmq", "api-1", "api-2", "prometheus"]:
        need("test" in services[name].get("healthcheck", {}), f"compose: {name} has no healthcheck")
    for name in ["migrate", "api-1", "api-2"]:
        s = services[name]
        need(s.get("read_only") is True, f"compose: {name} is not read-only")
        need(any(t.split(":")[0] == "/tmp" for t in s.get("tmpfs", [])), f"compose: {name} has no /tmp")
        need(s.get("image") == services["api-1"].get("image"), f"compose: {name} runs another image")
    for name in ["api-1", "api-2"]:
        deps = services[name].get("depends_on", {})
        need(deps.get("migrate", {}).get("condition") == "service_completed_successfully", f"compose: {name} does not wait for migrate")
        for dep in ["postgres", "rabbitmq"]:
            need(deps.get(dep, {}).get("condition") == "service_healthy", f"compose: {name} does not wait for a healthy {dep}")
    need(services["migrate"].get("depends_on", {}).get("postgres", {}).get("condition") == "service_healthy",
         "compose: migrate does not wait for a healthy postgres")
    volumes = compose.get("volumes", {})
    for name, path in [("postgres", "/var/lib/postgresql/data"), ("rabbitmq", "/var/lib/rabbitmq"), ("prometheus", "/prometheus")]:
        mounts = [str(v) if not isinstance(v, dict) else f"{v.get('source')}:{v.get('target')}" for v in services[name].get("volumes", [])]
        named = [m.split(":")[0] for m in mounts if m.split(":")[1:2] == [path]]
        need(named and named[0] in volumes, f"compose: {name} keeps {path} in no named volume")
    need(any("alerts.yml" in str(v) for v in services["prometheus"].get("volumes", [])), "compose: Prometheus without alerts.yml")
# Secrets only from .env: every ${VAR} compose.yaml uses is in .env.example, and the example file is complete.
raw = open(os.path.join(root, "compose.yaml")).read()
used = set(re.findall(r"\$\{([A-Z0-9_]+)", raw))
example = {l.split("=", 1)[0] for l in open(os.path.join(root, ".env.example")).read().splitlines() if "=" in l and not l.startswith("#")}
need(used <= example, f"compose: variables missing from .env.example: {sorted(used - example)}")
need(not re.search(r"(?i)password=(?!\$\{)", raw), "compose: a literal password in compose.yaml")

# --- deploy/kubernetes, as kustomize rendered it (or, without kubectl, its resources as listed)
kdir = os.path.join(root, "deploy", "kubernetes")
if renderer != "none":
    docs = [d for d in yaml.safe_load_all(open(os.path.join(out, "kubernetes.yaml"))) if d]
else:
    k = yaml.safe_load(open(os.path.join(kdir, "kustomization.yaml")))
    images = {i["name"]: i for i in k.get("images", [])}
    docs = []
    for res in k["resources"]:
        for d in yaml.safe_load_all(open(os.path.join(kdir, res))):
            if d:
                docs.append(d)
    for d in docs:
        for c in d.get("spec", {}).get("template", {}).get("spec", {}).get("containers", []):
            i = images.get(c["image"])
            if i:
                c["image"] = f"{i.get('newName', c['image'])}:{i['newTag']}" if "newTag" in i else i.get("newName", c["image"])
by_kind = {}
for d in docs:
    by_kind.setdefault(d["kind"], []).append(d)
for kind in ["ConfigMap", "Secret", "Job", "Deployment", "Service", "PodDisruptionBudget", "HorizontalPodAutoscaler"]:
    need(kind in by_kind, f"kubernetes: no {kind}")
def mebibytes(q):
    m = re.fullmatch(r"(\d+)(Mi|Gi)", str(q))
    return int(m.group(1)) * (1024 if m.group(2) == "Gi" else 1) if m else 0
def check_pod(kind, spec, args=None):
    psc = spec.get("securityContext", {})
    need(psc.get("runAsNonRoot") is True, f"kubernetes: {kind} pod without runAsNonRoot")
    need(psc.get("runAsUser", 0) != 0, f"kubernetes: {kind} pod runs as uid 0")
    names = {v["name"] for v in spec.get("volumes", []) if "emptyDir" in v}
    for c in spec["containers"]:
        sc = c.get("securityContext", {})
        need(sc.get("readOnlyRootFilesystem") is True, f"kubernetes: {kind} container without readOnlyRootFilesystem")
        need(sc.get("allowPrivilegeEscalation") is False, f"kubernetes: {kind} container may escalate privileges")
        need("ALL" in sc.get("capabilities", {}).get("drop", []), f"kubernetes: {kind} container keeps capabilities")
        need(any(m["mountPath"] == "/tmp" and m["name"] in names for m in c.get("volumeMounts", [])), f"kubernetes: {kind} container has no writable /tmp")
        refs = [(e.get("configMapRef") or e.get("secretRef") or {}).get("name") for e in c.get("envFrom", [])]
        have = {d["metadata"]["name"] for d in by_kind.get("ConfigMap", []) + by_kind.get("Secret", [])}
        need(refs and set(refs) <= have, f"kubernetes: {kind} takes its environment from {refs}, have {sorted(have)}")
        need(c.get("resources", {}).get("limits", {}).get("memory"), f"kubernetes: {kind} container without a memory limit")
        if args is not None:
            need(c.get("args") == args, f"kubernetes: {kind} container args {c.get('args')}, expected {args}")
    return spec["containers"][0]
if not problems:
    dep = by_kind["Deployment"][0]
    need(dep["spec"].get("replicas", 1) >= 2, "kubernetes: fewer than 2 replicas")
    c = check_pod("Deployment", dep["spec"]["template"]["spec"])
    need(c.get("readinessProbe", {}).get("httpGet", {}).get("path") == "/api/v1/health/ready", "kubernetes: readiness probe is not /api/v1/health/ready")
    need(c.get("livenessProbe", {}).get("httpGet", {}).get("path") == "/api/v1/health/live", "kubernetes: liveness probe is not /api/v1/health/live")
    res = c.get("resources", {})
    # docs/benchmarks.md: peak RSS about 270-290 MB.
    need(mebibytes(res.get("requests", {}).get("memory")) * 1.048576 >= 290, "kubernetes: memory request below the measured peak RSS")
    need(mebibytes(res.get("limits", {}).get("memory")) >= mebibytes(res.get("requests", {}).get("memory")), "kubernetes: memory limit below the request")
    need(res.get("requests", {}).get("cpu"), "kubernetes: no CPU request (the autoscaler needs one)")
    ports = {p["name"]: p["containerPort"] for p in c.get("ports", [])}
    labels = dep["spec"]["template"]["metadata"]["labels"]
    need(all(labels.get(k) == v for k, v in dep["spec"]["selector"]["matchLabels"].items()), "kubernetes: the Deployment's selector misses its pods")
    job = by_kind["Job"][0]
    jc = check_pod("Job", job["spec"]["template"]["spec"], args=["migrate"])
    need(jc["image"] == c["image"], "kubernetes: the Job runs another image than the Deployment")
    svc = by_kind["Service"][0]
    need(all(labels.get(k) == v for k, v in svc["spec"]["selector"].items()), "kubernetes: the Service's selector misses the pods")
    need(all(p["targetPort"] in ports or p["targetPort"] in ports.values() for p in svc["spec"]["ports"]), "kubernetes: the Service targets no container port")
    pdb = by_kind["PodDisruptionBudget"][0]
    need(all(labels.get(k) == v for k, v in pdb["spec"]["selector"]["matchLabels"].items()), "kubernetes: the PodDisruptionBudget's selector misses the pods")
    hpa = by_kind["HorizontalPodAutoscaler"][0]
    need(hpa["spec"]["minReplicas"] >= 2 and hpa["spec"]["maxReplicas"] >= hpa["spec"]["minReplicas"], "kubernetes: autoscaler bounds")
    need(hpa["spec"]["scaleTargetRef"]["name"] == dep["metadata"]["name"], "kubernetes: the autoscaler targets another Deployment")

if problems:
    print("\n".join(problems))
    sys.exit(1)
print(f"compose.yaml: valid (docker-compose config, variables from .env.example), {len(services)} services")
print("deploy/prometheus/prometheus.yml: valid (promtool check config, with alerts.yml)")
if renderer != "none":
    print(f"deploy/kubernetes: rendered by {renderer}: {', '.join(sorted(by_kind))}")
else:
    print(f"deploy/kubernetes: no kubectl could be installed; its resources parsed and checked without kustomize: {', '.join(sorted(by_kind))}")
print("validate: passed")
PY
  rm -rf "$out"
}

# The smoke's names, global because its EXIT trap outlives the function.
smoke_base=${WEBHOOKS_CONTAINER_PORT_BASE:-20000}
smoke_profile=container
api="webhooks-container-api-$smoke_base"
migrate="webhooks-container-migrate-$smoke_base"
work=""
tail_pid=""

smoke() {
  local base=$smoke_base profile=$smoke_profile
  local port=$((base + 12))
  work=$(mktemp -d)
  # The services' environment is the container profile's alone, whatever the caller exported.
  unset ConnectionStrings__Webhooks ConnectionStrings__RabbitMq
  export WEBHOOKS_PROFILE=$profile WEBHOOKS_PORT_BASE=$base

  cleanup() {
    [ -z "$tail_pid" ] || kill "$tail_pid" 2>/dev/null || true
    local name
    for name in "$api" "$migrate"; do
      if pm container exists "$name" 2>/dev/null; then pm rm -f -t 10 "$name" >/dev/null 2>&1 || true; fi
    done
    "$root/build/services.sh" "$smoke_profile" stop >/dev/null 2>&1 || true
    [ -z "$rootfs" ] || rm -rf "$rootfs" "$rootfs.log"
    [ -z "$work" ] || rm -rf "$work"
  }
  fail() {
    echo "container: failed: $*"
    if pm container exists "$api" 2>/dev/null; then
      echo "--- API container log (last 30 lines)"; pm logs --tail 30 "$api" 2>&1
    fi
    exit 1
  }
  trap cleanup EXIT
  trap 'fail "interrupted"' INT TERM

  # Leftovers of an interrupted run: this check's own containers, by name.
  local name
  for name in "$api" "$migrate"; do pm container exists "$name" 2>/dev/null && pm rm -f -t 5 "$name" >/dev/null 2>&1; done

  # Both as commands of their own, so that `set -e` holds inside them.
  "$root/build/container.sh" validate > "$work/validate.log" 2>&1 || fail "validate: $(cat "$work/validate.log")"
  sed -n 's/^/container: /p' "$work/validate.log" | grep -v 'validate: passed' || true

  local t; t=$(now)
  "$root/build/container.sh" build > "$work/build.log" 2>&1 || { tail -n 40 "$work/build.log"; fail "the image did not build"; }
  local build_s; build_s=$(seconds_since "$t")
  local size base_size
  size=$(pm image inspect --format '{{.Size}}' "$image")
  base_size=$(pm image inspect --format '{{.Size}}' "$aspnet_image")

  # The image's own configuration: a non-root numeric user, the HEALTHCHECK (kept by the docker format), the port.
  local user; user=$(pm image inspect --format '{{.Config.User}}' "$image")
  [[ "$user" =~ ^[0-9]+$ ]] && [ "$user" != 0 ] || fail "the image's user is '$user', not a non-root uid"
  pm image inspect --format '{{json .HealthCheck}}' "$image" | grep -q '"healthcheck"' ||
    fail "no HEALTHCHECK in the image config: $(pm image inspect --format '{{json .HealthCheck}}' "$image")"
  pm image inspect --format '{{json .Config.Env}}' "$image" | grep -q 'ASPNETCORE_URLS=http://0.0.0.0:8012' ||
    fail "the image does not listen on 0.0.0.0:8012 by default"
  pm run --rm --network host --ulimit nofile=1024:1024 --ulimit nproc=1024:1024 --read-only --no-healthcheck --entrypoint /bin/sh \
    "$image" -c 'test ! -e /app/appsettings.Development.json' ||
    fail "the image contains the development settings"

  "$root/build/services.sh" "$profile" start > "$work/services.log" 2>&1 || fail "services: $(cat "$work/services.log")"
  eval "$("$root/build/services.sh" "$profile" env)"
  local pg_port=$((base + 432)) amqp_port=$((base + 672))
  # An empty database, so that `migrate` has the whole schema to apply.
  psql -h 127.0.0.1 -p "$pg_port" -U postgres -d postgres -qAt \
    -c 'DROP DATABASE IF EXISTS webhooks WITH (FORCE)' -c 'CREATE DATABASE webhooks' > "$work/psql.log" 2>&1 ||
    fail "could not recreate the database: $(cat "$work/psql.log")"

  # Configuration from the environment, as a deployment gives it; the sample's source and its secret are the
  # development ones build/send-sample.sh signs with.
  local shopify_secret admin_key
  shopify_secret=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["Webhooks"]["Sources"]["shopify"]["Secrets"][0])' \
    "$root/src/Webhooks.Api/appsettings.Development.json")
  admin_key=$(openssl rand -hex 24)
  (umask 077; cat > "$work/api.env") <<ENV
ConnectionStrings__Webhooks=Host=127.0.0.1;Port=$pg_port;Username=postgres;Database=webhooks;GSS Encryption Mode=Disable
ConnectionStrings__RabbitMq=amqp://guest:guest@127.0.0.1:$amqp_port/
ASPNETCORE_URLS=http://127.0.0.1:$port
Webhooks__Admin__ApiKey=$admin_key
Webhooks__Sources__shopify__Provider=shopify
Webhooks__Sources__shopify__Secrets__0=$shopify_secret
ENV
  local run=(--network host --read-only --read-only-tmpfs=false --tmpfs /tmp:rw,nosuid,nodev,size=64m
    --ulimit nofile=1024:1024 --ulimit nproc=1024:1024 --env-file "$work/api.env")

  t=$(now)
  pm run --name "$migrate" "${run[@]}" --no-healthcheck "$image" migrate > "$work/migrate.log" 2>&1 ||
    fail "migrate exited with an error: $(tail -n 20 "$work/migrate.log")"
  local migrate_s; migrate_s=$(seconds_since "$t")
  local applied
  applied=$(grep -o 'Database is up to date ([0-9]* migrations applied)' "$work/migrate.log" | grep -o '([0-9]*' | tr -d '(') ||
    fail "migrate said: $(tail -n 5 "$work/migrate.log")"
  [ "${applied:-0}" -gt 0 ] || fail "migrate applied no migration to an empty database"
  pm rm "$migrate" > /dev/null 2>&1 || true

  t=$(now)
  # The image's health check stays; podman's timer for it needs systemd, so it is run on demand below.
  pm run -d --name "$api" "${run[@]}" --health-interval disable "$image" > "$work/run.log" 2>&1 ||
    fail "podman run: $(cat "$work/run.log")"
  local ready=""
  while python3 -c 'import sys, time; sys.exit(0 if time.time() - float(sys.argv[1]) < 120 else 1)' "$t"; do
    if curl -fsS -o /dev/null "http://127.0.0.1:$port/api/v1/health/ready" 2>/dev/null; then ready=1; break; fi
    [ "$(pm inspect --format '{{.State.Running}}' "$api")" = true ] || fail "the API container exited before it was ready"
    sleep 0.1
  done
  [ -n "$ready" ] || fail "the API container was not ready within 120 s"
  local ready_s; ready_s=$(seconds_since "$t")

  # A signed sample through the container, its event on RabbitMQ (published by the container's relay), its row in
  # the admin inbox.
  "$root/build/run.sh" tail evt.webhook.order.created --count 1 --timeout 60 > "$work/tail.log" 2>&1 &
  tail_pid=$!
  for _ in $(seq 1 240); do grep -q '^listening' "$work/tail.log" && break; sleep 0.5; done
  grep -q '^listening' "$work/tail.log" || fail "build/run.sh tail did not start: $(cat "$work/tail.log")"
  WEBHOOKS_URL="http://127.0.0.1:$port" "$root/build/send-sample.sh" shopify > "$work/send.log" 2>&1 ||
    fail "send-sample failed: $(cat "$work/send.log")"
  grep -q '^HTTP 200$' "$work/send.log" && grep -q '"status":"accepted"' "$work/send.log" ||
    fail "the sample was not accepted: $(cat "$work/send.log")"
  local inbox_id; inbox_id=$(grep -o '"id":"[^"]*"' "$work/send.log" | head -n1 | cut -d'"' -f4)
  wait "$tail_pid" || { tail_pid=""; fail "no evt.webhook.order.created event on RabbitMQ within 60 s"; }
  tail_pid=""
  grep -q "\"inboxid\": \"$inbox_id\"" "$work/tail.log" || fail "the event on RabbitMQ is not the sample's"
  local code
  code=$(curl -sS -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $admin_key" \
    "http://127.0.0.1:$port/api/v1/admin/inbox/$inbox_id")
  [ "$code" = 200 ] || fail "the admin inbox answered $code for $inbox_id"

  # From outside: the process's uid on the host, the container's view, the read-only root filesystem.
  local pid host_uid inside_uid
  pid=$(pm inspect --format '{{.State.Pid}}' "$api")
  host_uid=$(awk '/^Uid:/ { print $2 }' "/proc/$pid/status")
  [ -n "$host_uid" ] && [ "$host_uid" != 0 ] || fail "the API process (pid $pid) runs as uid '$host_uid'"
  inside_uid=$(pm exec "$api" id -u)
  [ "$inside_uid" = "$user" ] || fail "inside the container the user is uid $inside_uid, not $user"
  [ "$(pm inspect --format '{{.HostConfig.ReadonlyRootfs}}' "$api")" = true ] || fail "the root filesystem is not read-only"
  local write
  if write=$(pm exec --user 0 "$api" touch /written-by-the-container-check 2>&1); then
    fail "root could write to / inside the container"
  fi
  grep -qi 'read-only file system' <<<"$write" || fail "writing to / failed, but not for being read-only: $write"
  pm exec "$api" touch /tmp/written-by-the-container-check || fail "/tmp is not writable"
  pm healthcheck run "$api" > "$work/health.log" 2>&1 || fail "the image's HEALTHCHECK failed: $(cat "$work/health.log")"
  [ "$(pm inspect --format '{{.State.Health.Status}}' "$api")" = healthy ] ||
    fail "podman does not report the container healthy: $(pm inspect --format '{{json .State.Health}}' "$api")"
  local rss_mb; rss_mb=$(awk '/^VmRSS:/ { printf "%d", $2 / 1024 }' "/proc/$pid/status")

  # SIGTERM: the instance stops by itself, cleanly.
  t=$(now)
  pm stop -t 30 "$api" > "$work/stop.log" 2>&1 || fail "podman stop: $(cat "$work/stop.log")"
  local stop_s exit_code; stop_s=$(seconds_since "$t")
  exit_code=$(pm inspect --format '{{.State.ExitCode}}' "$api")
  [ "$exit_code" = 0 ] || fail "the API container exited with $exit_code after SIGTERM"

  printf 'container: image %s %d MB (%d MB of it the ASP.NET Core base image), built in %s s\n' \
    "$image" $((size / 1000000)) $((base_size / 1000000)) "$build_s"
  echo "container: migrate (one-off container) applied $applied migrations in $migrate_s s"
  echo "container: start-to-ready ${ready_s} s (podman run → /api/v1/health/ready 200), resident memory after the sample ${rss_mb} MB"
  echo "container: sample 200 accepted, its event on RabbitMQ and in the admin inbox; uid $host_uid, read-only root, /tmp writable, HEALTHCHECK in the image; stopped by SIGTERM in $stop_s s, exit 0"
  echo "container: passed"
}

case "${1:-}" in
  build)
    trap '[ -z "$rootfs" ] || rm -rf "$rootfs" "$rootfs.log"' EXIT
    build_image
    echo "$image"
    ;;
  validate) validate ;;
  smoke) smoke ;;
  *) echo "usage: build/container.sh build|validate|smoke" >&2; exit 2 ;;
esac
