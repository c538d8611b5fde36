-- wrk script: sends `depth` pipelined GET / requests per round trip (depth = first script argument,
-- default 1) and prints one machine-readable summary line that bench/gen/wrk.ts parses.
local depth = 1

init = function(args)
  depth = tonumber(args[1] or "1") or 1
  local reqs = {}
  for i = 1, depth do
    reqs[i] = wrk.format("GET", "/")
  end
  req = table.concat(reqs)
end

request = function()
  return req
end

done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "WRKJSON {\"requests\":%d,\"durationUs\":%d,\"bytes\":%d,\"connectErrors\":%d,\"readErrors\":%d," ..
    "\"writeErrors\":%d,\"statusErrors\":%d,\"timeouts\":%d,\"p50Us\":%d,\"p90Us\":%d,\"p99Us\":%d," ..
    "\"maxUs\":%d,\"meanUs\":%.1f}\n",
    summary.requests, summary.duration, summary.bytes, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max, latency.mean))
end
