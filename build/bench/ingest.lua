-- wrk load for ingest: alternates pre-signed Stripe events and Shopify orders (one file line each, used once: every
-- body is unique, so none is a duplicate). Counts answers by status.
-- args: <stripe file> <shopify file> <threads> <run tag> <stripe path> <shopify path>
local threads = {}

function setup(thread)
  thread:set("tid", #threads)
  table.insert(threads, thread)
end

local function load(path, n)
  local sigs, bodies, i = {}, {}, 0
  for line in io.lines(path) do
    if i % n == tid then
      local tab = string.find(line, "\t", 1, true)
      table.insert(sigs, string.sub(line, 1, tab - 1))
      table.insert(bodies, string.sub(line, tab + 1))
    end
    i = i + 1
  end
  return sigs, bodies
end

function init(args)
  local n = tonumber(args[3])
  stripe_sigs, stripe_bodies = load(args[1], n)
  shopify_sigs, shopify_bodies = load(args[2], n)
  tag, stripe_path, shopify_path = args[4], args[5], args[6]
  next_stripe, next_shopify, counter, ok, failed = 1, 1, 0, 0, 0
end

function request()
  counter = counter + 1
  if counter % 2 == 0 and next_stripe <= #stripe_sigs then
    local i = next_stripe
    next_stripe = next_stripe + 1
    return wrk.format("POST", stripe_path,
      { ["Content-Type"] = "application/json", ["Stripe-Signature"] = stripe_sigs[i] }, stripe_bodies[i])
  end
  -- Wraps around only when a run outlasts its file (the bare-Kestrel ceiling, which does not de-duplicate).
  local i = ((next_shopify - 1) % #shopify_sigs) + 1
  next_shopify = next_shopify + 1
  return wrk.format("POST", shopify_path, {
    ["Content-Type"] = "application/json",
    ["X-Shopify-Topic"] = "orders/create",
    ["X-Shopify-Shop-Domain"] = "bench.myshopify.com",
    ["X-Shopify-Event-Id"] = tag .. "-" .. tid .. "-" .. counter,
    ["X-Shopify-Hmac-Sha256"] = shopify_sigs[i] }, shopify_bodies[i])
end

function response(status, headers, body)
  if status == 200 then ok = ok + 1 else failed = failed + 1 end
end

function done(summary, latency, requests)
  local accepted, errors = 0, 0
  for _, t in ipairs(threads) do
    accepted = accepted + t:get("ok")
    errors = errors + t:get("failed")
  end
  local seconds = summary.duration / 1e6
  io.write(string.format("accepted=%d\nerrors=%d\nsocket_errors=%d\nrate=%.1f\np50_ms=%.2f\np99_ms=%.2f\n",
    accepted, errors + summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    accepted / seconds, latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
