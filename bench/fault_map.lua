-- wrk script: GET the paths listed in a file (BENCH_PATHS, one a line), round robin from a
-- random start in each thread, as an anonymous visitor; counts the statuses.
local paths = {}
for line in io.lines(os.getenv("BENCH_PATHS")) do
  if line ~= "" then table.insert(paths, line) end
end
local index = 0

function init(args)
  math.randomseed(os.time() + tonumber(tostring({}):match("0x(%x+)") or "0", 16) % 100000)
  index = math.random(#paths)
end

function request()
  index = index % #paths + 1
  return wrk.format("GET", paths[index])
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
