-- pdb-required.lua -- replicated workloads are covered by a PodDisruptionBudget.
-- A set-scoped rule: finish(ctx) runs once the whole input (chart, stream, directory)
-- has been read, and ctx:objects lists its workloads and budgets.
local q = chartlint.quote  -- quotes values as the C checks do

-- Does the label selector node sel (matchLabels / matchExpressions) select labels (node)?
local function selects(sel, labels)
  local ml = sel:get("matchLabels")
  local me = sel:get("matchExpressions")
  if (not ml or #ml == 0) and (not me or #me == 0) then return false end
  if ml then
    for k, v in ml:items() do
      local l = labels and labels:at(k)
      if not l or l:str() ~= v:str() then return false end
    end
  end
  if me then
    for _, e in me:items() do
      local key, op = e:get("key"), e:get("operator")
      local l = labels and key and labels:at(key:str() or "")
      local have = l and l:str()
      local values = {}
      local vs = e:get("values")
      if vs then for _, v in vs:items() do values[v:str() or ""] = true end end
      op = op and op:str()
      if op == "In" and not (have and values[have]) then return false end
      if op == "NotIn" and have and values[have] then return false end
      if op == "Exists" and not have then return false end
      if op == "DoesNotExist" and have then return false end
    end
  end
  return true
end

return {
  id = "pdb-required", severity = "warning", category = "reliability",
  summary = "Replicated workload has no PodDisruptionBudget",
  rationale = "Without a PodDisruptionBudget a node drain may evict every replica at once, turning routine maintenance into an outage.",
  remediation = "Add a PodDisruptionBudget in the workload's namespace whose selector matches its pod template labels (minAvailable or maxUnavailable).",
  example_bad = "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  replicas: 3\n  template:\n    metadata: {labels: {app: web}}\n    spec:\n      containers: [{name: app}]\n",
  example_good = "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  replicas: 3\n  template:\n    metadata: {labels: {app: web}}\n    spec:\n      containers: [{name: app}]\n---\napiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata: {name: web}\nspec:\n  maxUnavailable: 1\n  selector:\n    matchLabels: {app: web}\n",
  kinds = { "Deployment", "StatefulSet", "PodDisruptionBudget" },
  params = {
    min_replicas = { type = "int", default = 2,
                     doc = "workloads with at least this many replicas need a budget" },
  },
  finish = function(ctx)
    local budgets = ctx:objects{kind = "PodDisruptionBudget"}
    for _, w in ipairs(ctx:objects()) do
      if w.kind ~= "PodDisruptionBudget" then
        local replicas = w:get("spec.replicas")
        local n = replicas and replicas:int() or 1
        if n >= ctx.params.min_replicas then
          local meta = w:pod_meta()
          local labels = meta and meta:get("labels")
          local covered = false
          for _, b in ipairs(budgets) do
            local sel = b:get("spec.selector")
            if b.namespace == w.namespace and sel and selects(sel, labels) then
              covered = true
            end
          end
          if not covered then
            ctx:report{node = replicas or w:get("metadata.name") or w,
                       message = ("%s %s has %d replicas and no PodDisruptionBudget selects its pods"):format(w.kind:lower(), q(w.name), n)}
          end
        end
      end
    end
  end,
}
