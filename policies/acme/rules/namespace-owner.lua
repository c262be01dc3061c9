-- namespace-owner.lua -- every Namespace names its owning team.
local q = chartlint.quote  -- quotes values as the C checks do

return {
  id = "namespace-owner", severity = "error", category = "hygiene",
  summary = "Namespace has no owner label",
  rationale = "Quotas, access reviews and cost reports are per owning team; a namespace without an owner belongs to nobody.",
  remediation = "Add the owner label (see the label param) to the Namespace's metadata.labels.",
  example_bad = "apiVersion: v1\nkind: Namespace\nmetadata: {name: web}\n",
  example_good = "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: web\n  labels: {owner: web-team}\n",
  kinds = { "Namespace" },
  params = {
    label = { type = "string", default = "owner", doc = "label key naming the owning team" },
    pattern = { type = "string", default = "^[a-z][a-z0-9-]*-team$",
                doc = "PCRE2 pattern the owner must match" },
  },
  check = function(obj, ctx)
    local key = ctx.params.label
    local labels = obj:get("metadata.labels")
    local v = labels and labels:at(key)
    if not v or (v:str() or "") == "" then
      ctx:report{node = labels or obj:get("metadata") or obj,
                 message = ("namespace %s has no %s label"):format(q(obj.name), q(key))}
    elseif not chartlint.regex(ctx.params.pattern):match(v:str()) then
      ctx:report{node = v, message = ("namespace %s has owner %s, which does not match %s"):format(q(obj.name), q(v:str()), q(ctx.params.pattern))}
    end
  end,
}
