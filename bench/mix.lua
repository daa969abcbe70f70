-- wrk script for bench/load_mix.py: of every 10 requests, 8 page views, 1 fault report with a
-- photo (the citizens' web form, multipart, CSRF cookie and token as a browser sends them
-- after loading the form), 1 support (a verified citizen's session, each person and proposal
-- pair used once). Files named in the environment:
--   BENCH_GETS      one path a line (the page views, taken in turn)
--   BENCH_FAULT     the fault report's multipart body; BENCH_BOUNDARY its boundary
--   BENCH_SUPPORTS  "cookie csrftoken path" a line; thread i takes lines i, i+T, …
--   BENCH_RECEIPTS  a prefix: each thread appends the Location of every accepted post there
-- BENCH_MODE=baseline sends only GET /bench/get/ (the minimal Django view).
local threads = {}
local counter = 0

function setup(thread)
  thread:set("id", counter)
  counter = counter + 1
  table.insert(threads, thread)
end

function init(args)
  mode = os.getenv("BENCH_MODE") or "mix"
  gets = {}
  for line in io.lines(os.getenv("BENCH_GETS")) do table.insert(gets, line) end
  local nthreads = tonumber(os.getenv("BENCH_THREADS"))
  supports = {}
  local i = 0
  for line in io.lines(os.getenv("BENCH_SUPPORTS")) do
    if i % nthreads == id then table.insert(supports, line) end
    i = i + 1
  end
  local f = io.open(os.getenv("BENCH_FAULT"), "rb")
  fault_body = f:read("*a")
  f:close()
  boundary = os.getenv("BENCH_BOUNDARY")
  receipts = io.open(os.getenv("BENCH_RECEIPTS") .. "-" .. id .. ".txt", "a")
  n, used = 0, 0
  statuses, kinds, errors = {}, {}, 0
end

local CSRF = "benchbenchbenchbenchbenchbench32"

function request()
  n = n + 1
  local kind = "page"
  if mode == "baseline" then
    return wrk.format("GET", "/bench/get/")
  end
  local slot = n % 10
  if slot == 3 then
    kind = "fault"
  elseif slot == 7 and used < #supports then
    kind = "support"
  end
  if kind == "fault" then
    return wrk.format("POST", "/felanmalan/", {
      ["Cookie"] = "csrftoken=" .. CSRF,
      ["Content-Type"] = "multipart/form-data; boundary=" .. boundary,
      ["Referer"] = "http://127.0.0.1/felanmalan/",
    }, fault_body)
  elseif kind == "support" then
    used = used + 1
    local cookie, csrf, path = supports[used]:match("(%S+) (%S+) (%S+)")
    return wrk.format("POST", path, {
      ["Cookie"] = cookie .. "; csrftoken=" .. csrf,
      ["Content-Type"] = "application/x-www-form-urlencoded",
    }, "csrfmiddlewaretoken=" .. csrf)
  end
  return wrk.format("GET", gets[(n % #gets) + 1])
end

function response(status, headers, body)
  -- Several connections share a thread, so an answer is told by what it says, not by order:
  -- a fault report's receipt is /arende/<token>/kvitto/, a support's the proposal's page.
  statuses[status] = (statuses[status] or 0) + 1
  if status >= 400 then errors = errors + 1 end
  if status == 302 then
    receipts:write(headers["Location"] or "", "\n")
    receipts:flush()
  end
end

function done(summary, latency, requests)
  local merged, total_errors = {}, 0
  for _, thread in ipairs(threads) do
    total_errors = total_errors + thread:get("errors")
    for key, count in pairs(thread:get("statuses")) do
      merged[key] = (merged[key] or 0) + count
    end
  end
  io.write("RESULT requests=", summary.requests, " duration_us=", summary.duration,
           " p50_us=", latency:percentile(50), " p95_us=", latency:percentile(95),
           " p99_us=", latency:percentile(99), " errors=",
           total_errors + summary.errors.connect + summary.errors.read + summary.errors.write
             + summary.errors.timeout, "\n")
  for key, count in pairs(merged) do
    io.write("STATUS ", key, " ", count, "\n")
  end
end
