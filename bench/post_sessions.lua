-- wrk script: POST to one path, each request as the next verified user of this thread.
-- Users come from the file named in the environment (one "cookie=value csrftoken" per line);
-- thread i takes lines i, i+T, i+2T, … and stops using new users when its share runs out.
local threads = {}
local counter = 0

function setup(thread)
  thread:set("id", counter)
  counter = counter + 1
  table.insert(threads, thread)
end

function init(args)
  local path = os.getenv("BENCH_USERS")
  local nthreads = tonumber(os.getenv("BENCH_THREADS"))
  users = {}
  local i = 0
  for line in io.lines(path) do
    if i % nthreads == id then
      table.insert(users, line)
    end
    i = i + 1
  end
  sent = 0
  statuses = {}
  target = os.getenv("BENCH_PATH")
end

function request()
  local n = sent + 1
  if n > #users then
    n = #users  -- out of users: repeat the last one (counted apart as a repeat)
  else
    sent = n
  end
  local cookie, csrf = users[n]:match("(%S+) (%S+)")
  local headers = {
    ["Cookie"] = cookie .. "; csrftoken=" .. csrf,
    ["Content-Type"] = "application/x-www-form-urlencoded",
  }
  return wrk.format("POST", target, headers, "csrfmiddlewaretoken=" .. csrf)
end

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end

function done(summary, latency, requests)
  local total_sent = 0
  local merged = {}
  for _, thread in ipairs(threads) do
    total_sent = total_sent + thread:get("sent")
    local s = thread:get("statuses")
    for code, n in pairs(s) do
      merged[code] = (merged[code] or 0) + n
    end
  end
  io.write("RESULT requests=", summary.requests, " duration_us=", summary.duration,
           " sent_users=", total_sent,
           " p50_us=", latency:percentile(50), " p95_us=", latency:percentile(95),
           " p99_us=", latency:percentile(99), " errors=",
           summary.errors.connect + summary.errors.read + summary.errors.write
             + summary.errors.timeout, "\n")
  for code, n in pairs(merged) do
    io.write("STATUS ", code, " ", n, "\n")
  end
end
