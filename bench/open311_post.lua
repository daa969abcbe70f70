-- wrk script: POST fault reports to Open311 (requests.xml), urlencoded, as many integrations.
-- Keys come from the file named in BENCH_KEYS (one a line); each request takes the next key
-- of its thread, a random point in the municipality, an answer to the category's required
-- question, and every other request an e-mail address for the receipt. The same requests,
-- with a CSRF token, go to /bench/post/ for the baseline.
local threads = {}
local counter = 0
local CSRF = "benchbenchbenchbenchbenchbench32"

function setup(thread)
  thread:set("id", counter)
  counter = counter + 1
  table.insert(threads, thread)
end

local function encode(value)
  return (value:gsub("[^%w%-%._~]", function(c)
    return string.format("%%%02X", string.byte(c))
  end))
end

function init(args)
  keys = {}
  for line in io.lines(os.getenv("BENCH_KEYS")) do
    table.insert(keys, line)
  end
  path = os.getenv("BENCH_PATH")
  code = os.getenv("BENCH_SERVICE")
  math.randomseed(1000 + id)
  sent = 0
  statuses = {}
end

function request()
  sent = sent + 1
  local key = keys[((sent * 7 + id) % #keys) + 1]
  local body = "api_key=" .. encode(key)
    .. "&jurisdiction_id=benchby.se"
    .. "&service_code=" .. encode(code)
    .. string.format("&lat=%.6f&long=%.6f", 58.05 + math.random() * 0.9, 15.05 + math.random() * 0.9)
    .. "&description=" .. encode("Lampan vid busshållplatsen lyser inte, nummer " .. sent)
    .. "&attribute%5Btyp%5D=slackt"
    .. "&attribute%5Btider%5D%5B%5D=natt&attribute%5Btider%5D%5B%5D=kvall"
  if sent % 2 == 0 then
    body = body .. "&email=" .. encode("person" .. id .. "-" .. sent .. "@example.se")
      .. "&first_name=Anna&last_name=Andersson"
  end
  local headers = {["Content-Type"] = "application/x-www-form-urlencoded"}
  if path == "/bench/post/" then
    -- The baseline view is an ordinary Django POST view, CSRF-protected: send a token.
    headers["Cookie"] = "csrftoken=" .. CSRF
    body = body .. "&csrfmiddlewaretoken=" .. CSRF
  end
  return wrk.format("POST", path, headers, body)
end

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end

function done(summary, latency, requests)
  local merged = {}
  for _, thread in ipairs(threads) do
    for code, n in pairs(thread:get("statuses")) do
      merged[code] = (merged[code] or 0) + n
    end
  end
  io.write("RESULT requests=", summary.requests, " duration_us=", summary.duration,
           " p50_us=", latency:percentile(50), " p95_us=", latency:percentile(95),
           " p99_us=", latency:percentile(99), " errors=",
           summary.errors.connect + summary.errors.read + summary.errors.write
             + summary.errors.timeout + summary.errors.status, "\n")
  for code, n in pairs(merged) do
    io.write("STATUS ", code, " ", n, "\n")
  end
end
