-- require-annotations.lua -- workloads name who to call and what they are for.
local q = chartlint.quote  -- quotes values as the C checks do

return {
  id = "require-annotations", severity = "warning", category = "hygiene",
  summary = "Workload lacks a required annotation",
  rationale = "Incident responders need to know who runs a workload and where its runbook is without asking around.",
  remediation = "Add the missing annotations to the workload's metadata.annotations.",
  example_bad = "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  template:\n    spec:\n      containers: [{name: app}]\n",
  example_good = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  annotations: {acme.example/oncall: web-team}\nspec:\n  template:\n    spec:\n      containers: [{name: app}]\n",
  kinds = { "workloads" },
  params = {
    annotations = { type = "list", default = { "acme.example/oncall" },
                    doc = "annotation keys every workload must have, with a non-empty value" },
  },
  check = function(obj, ctx)
    local ann = obj.annotations
    local at = obj:get("metadata.annotations") or obj:get("metadata") or obj
    for _, key in ipairs(ctx.params.annotations) do
      if not ann[key] or ann[key] == "" then
        ctx:report{node = at, message = ("%s %s has no %s annotation"):format(obj.kind:lower(), q(obj.name), q(key))}
      end
    end
  end,
}
