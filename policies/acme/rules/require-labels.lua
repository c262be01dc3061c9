-- require-labels.lua -- every object carries the labels the organisation relies on.
local q = chartlint.quote  -- quotes values as the C checks do

return {
  id = "require-labels", severity = "warning", category = "hygiene",
  summary = "Object lacks a required label",
  rationale = "Dashboards, cost reports and on-call routing select objects by label; an object without them is invisible to all three.",
  remediation = "Add the missing labels to metadata.labels (in a chart, through its common labels helper).",
  example_bad = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n  labels: {team: web}\n",
  example_good = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n  labels: {team: web, app.kubernetes.io/name: c}\n",
  kinds = { "all" },
  params = {
    labels = { type = "list", default = { "app.kubernetes.io/name", "team" },
               doc = "label keys every object must have, with a non-empty value" },
  },
  check = function(obj, ctx)
    local labels = obj.labels
    local meta = obj:get("metadata")
    local at = obj:get("metadata.labels") or meta or obj
    for _, key in ipairs(ctx.params.labels) do
      if not labels[key] or labels[key] == "" then
        ctx:report{node = at, message = ("%s %s has no %s label"):format(obj.kind:lower(), q(obj.name), q(key))}
      end
    end
  end,
}
