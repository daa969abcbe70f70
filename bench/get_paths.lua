-- wrk script: GET one path given in the environment (BENCH_PATH), as an anonymous visitor.
local path = os.getenv("BENCH_PATH")

function request()
  return wrk.format("GET", path)
end

statuses = {}
function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end

local threads = {}
function setup(thread)
  table.insert(threads, thread)
end

function done(summary, latency, requests)
  io.write("RESULT requests=", summary.requests, " duration_us=", summary.duration,
           " p50_us=", latency:percentile(50), " p95_us=", latency:percentile(95),
           " p99_us=", latency:percentile(99), "\n")
  for _, thread in ipairs(threads) do
    for code, n in pairs(thread:get("statuses")) do
      io.write("STATUS ", code, " ", n, "\n")
    end
  end
end
