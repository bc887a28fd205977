-- wrk script for bench/run_create.py. Usage:
--   wrk ... -s bench/scenario.lua URL -- MODE [API_KEY PROJECT_ID RUN_TAG]
-- MODE is one of
--   healthz  plain GET of the URL
--   minimal  POST {text, painLevel, contactEmail, title}, the same contactEmail every time
--   full     POST with every common field and a NEW contactEmail per request
-- Every response's status is counted (response() hook), and done() prints one line
--   WRK_RESULT {json}
-- that run_create.py parses. Latencies in the JSON are in microseconds.

local threads = {}
local thread_count = 0

-- Main state: called once per wrk thread before it starts. Gives each thread an id so that
-- the emails it generates are unique across threads.
function setup(thread)
   thread_count = thread_count + 1
   thread:set("tid", thread_count)
   table.insert(threads, thread)
end

-- Thread state from here on ------------------------------------------------------------------
local mode, key, project_id, run_tag
local counter = 0
ok200 = 0          -- globals so that done() can read them with thread:get()
other = 0          -- any status other than 200
statuses = ""      -- "status:count,..." for the non-200 ones
local other_by_status = {}

local FULL_TEXT = "When I export the quarterly report to CSV the download starts but the file only "
   .. "contains the header row. This happens in Firefox and Chrome, with and without filters applied, "
   .. "and it started after last week's release. We rely on this export for our board meeting every "
   .. "month, so this is blocking for us. Could you have a look soon? Thanks a lot."

function init(args)
   mode = args[1] or "healthz"
   key = args[2]
   project_id = args[3]
   run_tag = args[4] or "run"
   if mode == "healthz" then
      wrk.method = "GET"
      return
   end
   wrk.method = "POST"
   wrk.headers["Content-Type"] = "application/json"
   wrk.headers["Authorization"] = "Bearer " .. key
   if mode == "minimal" then
      wrk.body = '{"text":"The export button does nothing","painLevel":"HIGH",'
         .. '"contactEmail":"same-contact@customer.example","title":"Export broken"}'
   end
end

local function full_body()
   counter = counter + 1
   local email = string.format("c-%s-%d-%d@customer.example", run_tag, tid, counter)
   return '{"text":"' .. FULL_TEXT .. '","painLevel":"MEDIUM","contactEmail":"' .. email .. '",'
      .. '"title":"CSV export only contains the header row","state":"NEW","origin":"API",'
      .. '"contactName":"Customer ' .. tid .. '-' .. counter .. '","projectId":"' .. project_id .. '",'
      .. '"notify":{"slack":false,"email":false}}'
end

function request()
   if mode == "full" then
      return wrk.format(nil, nil, nil, full_body())
   end
   return wrk.format()
end

function response(status, headers, body)
   if status == 200 then
      ok200 = ok200 + 1
   else
      other = other + 1
      other_by_status[status] = (other_by_status[status] or 0) + 1
      local parts = {}
      for s, n in pairs(other_by_status) do
         table.insert(parts, s .. ":" .. n)
      end
      statuses = table.concat(parts, ",")
   end
end

-- Main state again: after the run ----------------------------------------------------------------
function done(summary, latency, requests)
   local ok, bad = 0, 0
   local by_status = {}
   for _, thread in ipairs(threads) do
      ok = ok + (thread:get("ok200") or 0)
      bad = bad + (thread:get("other") or 0)
      local s = thread:get("statuses") or ""
      for status, n in string.gmatch(s, "(%d+):(%d+)") do
         by_status[status] = (by_status[status] or 0) + tonumber(n)
      end
   end
   local parts = {}
   for status, n in pairs(by_status) do
      table.insert(parts, string.format('"%s":%d', status, n))
   end
   local seconds = summary.duration / 1e6
   local e = summary.errors
   io.write(string.format(
      'WRK_RESULT {"requests":%d,"duration_s":%.6f,"requests_per_s":%.3f,"bytes":%d,'
         .. '"status_200":%d,"status_other":%d,"status_other_by_code":{%s},'
         .. '"errors":{"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d},'
         .. '"latency_us":{"min":%d,"mean":%.1f,"stdev":%.1f,"max":%d,"p50":%d,"p90":%d,"p99":%d,"p99_9":%d}}\n',
      summary.requests, seconds, summary.requests / seconds, summary.bytes,
      ok, bad, table.concat(parts, ","),
      e.connect, e.read, e.write, e.status, e.timeout,
      latency.min, latency.mean, latency.stdev, latency.max,
      latency:percentile(50), latency:percentile(90), latency:percentile(99), latency:percentile(99.9)))
end
