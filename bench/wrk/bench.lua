-- wrk script of the benchmark harness (bench/run.py starts wrk with it; see bench/template.py).
--
-- Configured by environment variables, written by the harness:
--   BENCH_METHOD     GET or POST
--   BENCH_PATHS      file: one request path per line (GET cycles through them; POST uses the first)
--   BENCH_HEADERS    file: one "Name: value" header per line (auth, content type)
--   BENCH_BODY       file: the body template (POST)
--   BENCH_POOL_<N>   file: the values of pool N, one per line ({{pool:N:K:I}})
--   BENCH_SEQ_BASE   first sequence number of this wrk invocation
--   BENCH_STRIDE     sequence numbers reserved per wrk thread
--   BENCH_THREADS    number of wrk threads ({{uniq:N}} hands each thread its own values)
-- done() prints one line "BENCH_JSON {...}" with requests, duration, errors and latency percentiles.

local threads = {}

function setup(thread)
  thread:set("tid", #threads)
  table.insert(threads, thread)
end

local function read_lines(path)
  local lines = {}
  if path == nil or path == "" then return lines end
  for line in io.lines(path) do
    if line ~= "" then table.insert(lines, line) end
  end
  return lines
end

local function read_all(path)
  local f = assert(io.open(path, "rb"))
  local text = f:read("*a")
  f:close()
  return text
end

local method, paths, headers, body_tpl, pools, seq_base, stride, nthreads
counter = 0 -- a global, so that done() can read each thread's count (thread:get)
local prepared = {}

-- ---------------------------------------------------------------- placeholders (as bench/template.py)

local function zfill(n, width)
  local s = string.format("%.0f", n)
  if #s < width then s = string.rep("0", width - #s) .. s end
  return s
end

local function luhn_digit(digits)
  local total, i = 0, 0
  for k = #digits, 1, -1 do
    local d = tonumber(digits:sub(k, k))
    if i % 2 == 0 then d = d * 2 end
    if d > 9 then d = d - 9 end
    total = total + d
    i = i + 1
  end
  return tostring((10 - total % 10) % 10)
end

-- days since 1970-01-01 -> y, m, d (H. Hinnant's civil_from_days)
local function civil_from_days(z)
  z = z + 719468
  local era = math.floor(z / 146097)
  local doe = z - era * 146097
  local yoe = math.floor((doe - math.floor(doe / 1460) + math.floor(doe / 36524) - math.floor(doe / 146096)) / 365)
  local y = yoe + era * 400
  local doy = doe - (365 * yoe + math.floor(yoe / 4) - math.floor(yoe / 100))
  local mp = math.floor((5 * doy + 2) / 153)
  local d = doy - math.floor((153 * mp + 2) / 5) + 1
  local m = mp < 10 and mp + 3 or mp - 9
  if m <= 2 then y = y + 1 end
  return y, m, d
end

local function nip(seq)
  local serial = seq % 999 + 1
  local r = math.floor(seq / 999)
  local sex = r % 2 + 1
  r = math.floor(r / 2)
  local tmt_month = r % 12 + 1
  r = math.floor(r / 12)
  local days = r % 14600
  local y, m, d = civil_from_days(-3653 + days) -- 1960-01-01 is day -3653
  return string.format("%04d%02d%02d%04d%02d%d%03d", y, m, d, y + 25, tmt_month, sex, serial)
end

local function nik(seq)
  local serial = seq % 9999 + 1
  local r = math.floor(seq / 9999)
  local day = r % 28 + 1
  r = math.floor(r / 28)
  local month = r % 12 + 1
  r = math.floor(r / 12)
  local yy = r % 100
  return string.format("320101%02d%02d%02d%04d", day, month, yy, serial)
end

local function value(spec, seq)
  local parts = {}
  for p in string.gmatch(spec, "[^:]+") do table.insert(parts, p) end
  local kind = parts[1]
  if kind == "seq" then
    if parts[2] == nil then return string.format("%.0f", seq) end
    local width = tonumber(parts[2])
    return zfill(seq % (10 ^ width), width)
  elseif kind == "luhn" then
    local width = tonumber(parts[2])
    local body = zfill(seq % (10 ^ (width - 1)), width - 1)
    return body .. luhn_digit(body)
  elseif kind == "nip" then
    return nip(seq)
  elseif kind == "nik" then
    return nik(seq)
  elseif kind == "pool" then
    local pool = pools[parts[2]]
    return pool[(seq * tonumber(parts[3]) + tonumber(parts[4])) % #pool + 1]
  elseif kind == "uniq" then
    -- the next value nobody used: thread t takes values t, t + T, t + 2T, ...
    local pool = pools[parts[2]]
    return pool[((counter - 1) * nthreads + (tid or 0)) % #pool + 1]
  end
  error("unknown placeholder " .. spec)
end

local function render(tpl, seq)
  local text = string.gsub(tpl, '"{{#(.-)}}"', function(spec) return value(spec, seq) end)
  text = string.gsub(text, "{{(.-)}}", function(spec) return value(spec, seq) end)
  return text
end

-- ---------------------------------------------------------------- wrk hooks

function init(args)
  method = os.getenv("BENCH_METHOD") or "GET"
  paths = read_lines(os.getenv("BENCH_PATHS"))
  headers = {}
  for _, line in ipairs(read_lines(os.getenv("BENCH_HEADERS"))) do
    local name, val = line:match("^([^:]+):%s*(.*)$")
    if name then headers[name] = val end
  end
  seq_base = tonumber(os.getenv("BENCH_SEQ_BASE") or "1")
  stride = tonumber(os.getenv("BENCH_STRIDE") or "400000")
  nthreads = tonumber(os.getenv("BENCH_THREADS") or "1")
  pools = {}
  for _, name in ipairs({"a", "b", "c", "d"}) do
    local file = os.getenv("BENCH_POOL_" .. name)
    if file then pools[name] = read_lines(file) end
  end
  if method == "POST" then
    body_tpl = read_all(os.getenv("BENCH_BODY"))
  else
    for i, path in ipairs(paths) do prepared[i] = wrk.format("GET", path, headers) end
  end
  counter = 0
end

function request()
  counter = counter + 1
  if method == "GET" then
    return prepared[(counter + (tid or 0) * 7919) % #prepared + 1]
  end
  local seq = seq_base + (tid or 0) * stride + counter
  return wrk.format("POST", paths[1], headers, render(body_tpl, seq))
end

-- With BENCH_CAPTURE_ERRORS set, each thread keeps its first non-2xx answer and done() prints them
-- (off by default: a response() hook makes wrk hand every answer to Lua).
if os.getenv("BENCH_CAPTURE_ERRORS") then
  function response(status, headers, body)
    if status >= 300 and first_error == nil then
      first_error = tostring(status) .. " " .. string.sub(body or "", 1, 300)
    end
  end
end

function done(summary, latency, requests)
  for _, thread in ipairs(threads) do
    local err = thread:get("first_error")
    if err then io.write("BENCH_ERROR " .. err .. "\n") end
  end
  local e = summary.errors
  local generated = 0 -- the most requests one thread generated (sent, answered or not)
  for _, thread in ipairs(threads) do
    local c = tonumber(thread:get("counter")) or 0
    if c > generated then generated = c end
  end
  io.write(string.format(
    'BENCH_JSON {"requests": %d, "duration_us": %d, "bytes": %d, "connect": %d, "read": %d, "write": %d, ' ..
    '"status": %d, "timeout": %d, "p50_us": %d, "p90_us": %d, "p99_us": %d, "max_us": %d, "mean_us": %.1f, ' ..
    '"max_thread_generated": %d, "threads": %d}\n',
    summary.requests, summary.duration, summary.bytes, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max, latency.mean,
    generated, #threads))
end
