#!/usr/bin/env bash
# Sends one correctly signed sample delivery to the running development instance and prints the answer.
#   build/send-sample.sh <shopify|stripe|github> [topic]
# Secrets come from src/Webhooks.Api/appsettings.Development.json (the sources build/run.sh serves);
# WEBHOOKS_URL (default http://127.0.0.1:8012) names another instance. Each run sends a new delivery id and order id,
# so it is never a duplicate; the signing below is what each provider documents.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
source_name=${1:?usage: build/send-sample.sh <shopify|stripe|github> [topic]}
url=${WEBHOOKS_URL:-http://127.0.0.1:8012}

secret=$(python3 - "$root/src/Webhooks.Api/appsettings.Development.json" "$source_name" <<'PY'
import json, sys
sources = json.load(open(sys.argv[1]))["Webhooks"]["Sources"]
if sys.argv[2] not in sources:
    sys.exit(f"no development source '{sys.argv[2]}' (have: {', '.join(sorted(sources))})")
print(sources[sys.argv[2]]["Secrets"][0])
PY
)

now=$(date +%s)
n=$(( (now % 100000) * 1000 + RANDOM % 1000 ))
id=$(cat /proc/sys/kernel/random/uuid)
hmac_hex()    { printf '%s' "$2" | openssl dgst -sha256 -hmac "$1" -binary | od -An -vtx1 | tr -d ' \n'; }
hmac_base64() { printf '%s' "$2" | openssl dgst -sha256 -hmac "$1" -binary | base64 -w0; }

case "$source_name" in
  shopify)
    topic=${2:-orders/create}
    body="{\"id\":$n,\"name\":\"#$n\",\"email\":\"buyer@example.com\",\"total_price\":\"42.50\",\"currency\":\"EUR\",\"financial_status\":\"paid\",\"customer\":{\"id\":7001,\"email\":\"buyer@example.com\"},\"line_items\":[{\"id\":1,\"title\":\"Sample\",\"quantity\":1,\"price\":\"42.50\"}]}"
    headers=(-H "X-Shopify-Topic: $topic" -H "X-Shopify-Shop-Domain: sample-shop.myshopify.com"
             -H "X-Shopify-Webhook-Id: $id" -H "X-Shopify-Event-Id: $id"
             -H "X-Shopify-Hmac-Sha256: $(hmac_base64 "$secret" "$body")")
    ;;
  stripe)
    topic=${2:-payment_intent.succeeded}
    body="{\"id\":\"evt_sample_$n\",\"object\":\"event\",\"type\":\"$topic\",\"created\":$now,\"data\":{\"object\":{\"id\":\"pi_sample_$n\",\"object\":\"payment_intent\",\"amount\":4250,\"currency\":\"eur\",\"customer\":\"cus_sample\",\"status\":\"succeeded\"}}}"
    headers=(-H "Stripe-Signature: t=$now,v1=$(hmac_hex "$secret" "$now.$body")")
    ;;
  github)
    topic=${2:-push}
    body="{\"ref\":\"refs/heads/main\",\"after\":\"$(printf '%040x' "$n")\",\"repository\":{\"id\":1,\"full_name\":\"example/sample\"},\"sender\":{\"login\":\"octocat\"},\"commits\":[]}"
    headers=(-H "X-GitHub-Event: $topic" -H "X-GitHub-Delivery: $id"
             -H "X-Hub-Signature-256: sha256=$(hmac_hex "$secret" "$body")")
    ;;
  *) echo "no sample for '$source_name' (shopify, stripe, github)" >&2; exit 2 ;;
esac

echo "POST $url/api/v1/webhooks/$source_name ($topic)"
curl -sS -X POST "$url/api/v1/webhooks/$source_name" -H 'Content-Type: application/json' "${headers[@]}" \
  --data-binary "$body" -w '\nHTTP %{http_code}\n'
