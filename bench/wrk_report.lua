-- wrk -s bench/wrk_report.lua: the load benchmark's report of one wrk run, as one line
--   BENCH {"requests": ..., "p50_us": ..., "p95_us": ..., "non2xx": ..., ...}
-- wrk's own --latency has no p95. Every answer that is not a 2xx is counted (wrk itself counts
-- only 4xx and 5xx), and so is a 2xx that sends the browser elsewhere (HX-Redirect,
-- HX-Location, Location: how htmx requests are sent to the sign-in page): bench/load.py fails
-- the run on any of them instead of measuring it.
--
-- BENCH_WRK_MIX=<file>: instead of the URL's path, cycle through the requests of the file, one
-- per line: path <TAB> Cookie header <TAB> 1 for HX-Request (the memory phase), and optionally
-- <TAB> a url-encoded form body, sent as a POST (bench/attendance.py). Each thread starts at
-- its own point of the list (thread n at n/threads of it), so two threads do not send the
-- same request at the same moment.
-- BENCH_WRK_REFUSED=<text>: answers whose body holds the text are counted ("refused").

local threads = {}

function setup(thread)
  table.insert(threads, thread)
  thread:set("number", #threads - 1)
end

function init(args)
  bad = 0
  redirected = 0
  first_bad = 0
  refused = 0
  refused_text = os.getenv("BENCH_WRK_REFUSED")
  local mix = os.getenv("BENCH_WRK_MIX")
  if mix then
    mixed = {}
    for line in io.lines(mix) do
      local path, cookie, hx, body = line:match("^([^\t]+)\t([^\t]*)\t?(%d?)\t?([^\t]*)$")
      if path then
        local headers = {}
        if cookie ~= "" then headers["Cookie"] = cookie end
        if hx == "1" then headers["HX-Request"] = "true" end
        if body ~= "" then
          headers["Content-Type"] = "application/x-www-form-urlencoded"
          table.insert(mixed, wrk.format("POST", path, headers, body))
        else
          table.insert(mixed, wrk.format("GET", path, headers))
        end
      end
    end
    local threads_n = tonumber(os.getenv("BENCH_WRK_THREADS") or "1")
    position = math.floor(#mixed * (number or 0) / threads_n)
  end
end

if os.getenv("BENCH_WRK_MIX") then
  function request()
    position = position % #mixed + 1
    return mixed[position]
  end
end

function response(status, headers, body)
  if refused_text and body and string.find(body, refused_text, 1, true) then
    refused = refused + 1
  end
  if status < 200 or status > 299 then
    bad = bad + 1
    if first_bad == 0 then first_bad = status end
    return
  end
  for name, _ in pairs(headers) do
    local lower = string.lower(name)
    if lower == "hx-redirect" or lower == "hx-location" or lower == "location" then
      redirected = redirected + 1
      if first_bad == 0 then first_bad = status end
      return
    end
  end
end

function done(summary, latency, requests)
  local total_bad, total_redirected, first = 0, 0, 0
  for _, thread in ipairs(threads) do
    total_bad = total_bad + (thread:get("bad") or 0)
    total_redirected = total_redirected + (thread:get("redirected") or 0)
    total_refused = (total_refused or 0) + (thread:get("refused") or 0)
    if first == 0 then first = thread:get("first_bad") or 0 end
  end
  local e = summary.errors
  io.write(string.format(
    "BENCH {\"requests\": %d, \"duration_us\": %d, \"bytes\": %d, " ..
    "\"connect_errors\": %d, \"read_errors\": %d, \"write_errors\": %d, " ..
    "\"status_errors\": %d, \"timeouts\": %d, \"non2xx\": %d, \"redirected\": %d, " ..
    "\"first_bad_status\": %d, \"p50_us\": %d, \"p90_us\": %d, \"p95_us\": %d, " ..
    "\"p99_us\": %d, \"mean_us\": %.1f, \"max_us\": %d, \"refused\": %d}\n",
    summary.requests, summary.duration, summary.bytes,
    e.connect, e.read, e.write, e.status, e.timeout, total_bad, total_redirected, first,
    latency:percentile(50), latency:percentile(90), latency:percentile(95),
    latency:percentile(99), latency.mean, latency.max, total_refused or 0))
end
