-- POST the 1 KiB order document to /orders, a route that validates it (the `post-valid` scenario).
local items = {}
for i = 1, 12 do
  items[#items + 1] = string.format('{"id":%d,"name":"item %d","price":%d.5,"tags":["a","b"]}', i, i, i * 3)
end
local head = '{"order":"frank-bench","items":[' .. table.concat(items, ",") .. '],"note":"'
local tail = '"}'
local body = head .. string.rep("x", 1024 - #head - #tail) .. tail

wrk.method = "POST"
wrk.path = "/orders"
wrk.body = body
wrk.headers["Content-Type"] = "application/json"
