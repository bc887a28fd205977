-- wrk script for bench/load.py. Usage:
--   wrk ... -s bench/scenario.lua URL -- MODE API_KEY PROJECT_ID RUN_TAG IDS_FILE
-- MODE is one of
--   healthz  plain GET of the URL (no key)
--   get      the URL as given (a list page, say), with the key
--   thread   GET /api/v1/threads/<id>, a random seeded id per request
--   minimal  POST {text, painLevel, contactEmail, title}, the same contactEmail every time
--   full     POST with every common field and a NEW contactEmail per request
--   patch    PATCH /api/v1/threads/<id> {state, painLevel}, a random seeded id per request
--   mixed    90% reads (half GET /threads/<id>, half the first page of GET /threads?take=50),
--            10% writes (half full creates, half PATCHes)
-- IDS_FILE holds seeded thread ids, one per line. Every response's status is counted
-- (response() hook), and the 200s to creates: every one in minimal and full, and in mixed those
-- whose body carries RUN_TAG (the new contact's address). done()
-- prints one line
--   WRK_RESULT {json}
-- that load.py parses. Latencies in the JSON are in microseconds.

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
local ids = {}
local counter = 0
ok200 = 0          -- globals so that done() can read them with thread:get()
created = 0        -- 200s to creates of this run (their bodies carry run_tag)
other = 0          -- any status other than 200
statuses = ""      -- "status:count,..." for the non-200 ones
local other_by_status = {}

local FULL_TEXT = "When I export the quarterly report to CSV the download starts but the file only "
   .. "contains the header row. This happens in Firefox and Chrome, with and without filters applied, "
   .. "and it started after last week's release. We rely on this export for our board meeting every "
   .. "month, so this is blocking for us. Could you have a look soon? Thanks a lot."
local STATES = {"NEW", "PROCESSED", "COMPLETED"}
local PAINS = {"LOW", "MEDIUM", "HIGH"}
local MINIMAL = '{"text":"The export button does nothing","painLevel":"HIGH",'
   .. '"contactEmail":"same-contact@customer.example","title":"Export broken"}'

function init(args)
   mode = args[1] or "healthz"
   key = args[2]
   project_id = args[3]
   run_tag = args[4] or "run"
   local file = args[5] and io.open(args[5], "r")
   if file then
      for line in file:lines() do
         if line ~= "" then table.insert(ids, line) end
      end
      file:close()
   end
   math.randomseed(os.time() * 100 + tid)
   if mode == "healthz" then
      return
   end
   wrk.headers["Authorization"] = "Bearer " .. key
   wrk.headers["Content-Type"] = "application/json"
end

local function any_id()
   return ids[math.random(#ids)]
end

local function full_body()
   counter = counter + 1
   local email = string.format("c-%s-%d-%d@customer.example", run_tag, tid, counter)
   return '{"text":"' .. FULL_TEXT .. '","painLevel":"MEDIUM","contactEmail":"' .. email .. '",'
      .. '"title":"CSV export only contains the header row","state":"NEW","origin":"API",'
      .. '"contactName":"Customer ' .. tid .. '-' .. counter .. '","projectId":"' .. project_id .. '",'
      .. '"notify":{"slack":false,"email":false}}'
end

local function patch_body()
   return '{"state":"' .. STATES[math.random(#STATES)] .. '","painLevel":"' .. PAINS[math.random(#PAINS)] .. '"}'
end

local function thread_path()
   return "/api/v1/threads/" .. any_id()
end

function request()
   if mode == "thread" then
      return wrk.format("GET", thread_path())
   elseif mode == "minimal" then
      return wrk.format("POST", "/api/v1/threads", nil, MINIMAL)
   elseif mode == "full" then
      return wrk.format("POST", "/api/v1/threads", nil, full_body())
   elseif mode == "patch" then
      return wrk.format("PATCH", thread_path(), nil, patch_body())
   elseif mode == "mixed" then
      local roll = math.random(100)
      if roll <= 45 then
         return wrk.format("GET", thread_path())
      elseif roll <= 90 then
         return wrk.format("GET", "/api/v1/threads?take=50")
      elseif roll <= 95 then
         return wrk.format("POST", "/api/v1/threads", nil, full_body())
      end
      return wrk.format("PATCH", thread_path(), nil, patch_body())
   end
   return wrk.format("GET")
end

function response(status, headers, body)
   if status == 200 then
      ok200 = ok200 + 1
      if mode == "minimal" or mode == "full" then
         created = created + 1
      elseif mode == "mixed" and string.find(body, run_tag, 1, true) then
         created = created + 1  -- a create's answer shows its new contact's tagged address
      end
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
   local ok, made, bad = 0, 0, 0
   local by_status = {}
   for _, thread in ipairs(threads) do
      ok = ok + (thread:get("ok200") or 0)
      made = made + (thread:get("created") or 0)
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
         .. '"status_200":%d,"created_200":%d,"status_other":%d,"status_other_by_code":{%s},'
         .. '"errors":{"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d},'
         .. '"latency_us":{"min":%d,"mean":%.1f,"stdev":%.1f,"max":%d,"p50":%d,"p90":%d,"p99":%d,"p99_9":%d}}\n',
      summary.requests, seconds, summary.requests / seconds, summary.bytes,
      ok, made, bad, table.concat(parts, ","),
      e.connect, e.read, e.write, e.status, e.timeout,
      latency.min, latency.mean, latency.stdev, latency.max,
      latency:percentile(50), latency:percentile(90), latency:percentile(99), latency:percentile(99.9)))
end
