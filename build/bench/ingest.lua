-- wrk load for ingest: pre-signed deliveries of several providers (one file line each: path TAB headers TAB body,
-- headers "name: value" joined by \1), each used once: every body is unique, so none is a duplicate. Counts answers
-- by status.
-- args: <mix file> <threads>
local threads = {}

function setup(thread)
  thread:set("tid", #threads)
  table.insert(threads, thread)
end

function init(args)
  local n = tonumber(args[2])
  requests, counter, ok, duplicates, failed = {}, 0, 0, 0, 0
  local i = 0
  for line in io.lines(args[1]) do
    if i % n == tid then
      local a = string.find(line, "\t", 1, true)
      local b = string.find(line, "\t", a + 1, true)
      local headers = {}
      for header in string.gmatch(string.sub(line, a + 1, b - 1), "[^\1]+") do
        local colon = string.find(header, ": ", 1, true)
        headers[string.sub(header, 1, colon - 1)] = string.sub(header, colon + 2)
      end
      table.insert(requests, wrk.format("POST", string.sub(line, 1, a - 1), headers, string.sub(line, b + 1)))
    end
    i = i + 1
  end
end

function request()
  -- Wraps around when a thread outlasts its file (the bare-Kestrel ceiling; a fast thread of a gateway run): the repeats
-- are answered 200 as duplicates, counted apart so the inbox check compares rows with new webhooks only.
  counter = counter + 1
  return requests[((counter - 1) % #requests) + 1]
end

function response(status, headers, body)
  if status == 200 then
    ok = ok + 1
    if body and string.find(body, '"duplicate":true', 1, true) then duplicates = duplicates + 1 end
  else
    failed = failed + 1
  end
end

function done(summary, latency, requests)
  local accepted, repeated, errors = 0, 0, 0
  for _, t in ipairs(threads) do
    accepted = accepted + t:get("ok")
    repeated = repeated + t:get("duplicates")
    errors = errors + t:get("failed")
  end
  local seconds = summary.duration / 1e6
  io.write(string.format("accepted=%d\nduplicates=%d\nerrors=%d\nsocket_errors=%d\nrate=%.1f\np50_ms=%.2f\np99_ms=%.2f\n",
    accepted, repeated, errors + summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    accepted / seconds, latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
