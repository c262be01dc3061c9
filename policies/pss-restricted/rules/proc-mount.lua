-- proc-mount.lua -- PSS "/proc Mount Type" (PSA checks procMount and, from v1.35,
-- procMount_restricted, which overrides the baseline one in the restricted profile).
-- Restricted fields: securityContext.procMount of containers, initContainers and
-- ephemeralContainers. Allowed values: undefined/null, "Default" (the baseline profile
-- relaxes this for user-namespaced pods from v1.35; the restricted profile does not).
local q = chartlint.quote  -- quotes values as the C checks do

return {
  id = "proc-mount", severity = "error", category = "security",
  summary = "Container unmasks /proc",
  rationale = "The default /proc masks hide kernel interfaces from containers; an Unmasked procMount exposes them, so the \"/proc Mount Type\" control requires the default.",
  remediation = "Remove securityContext.procMount or set it to Default.",
  example_bad = "kind: Pod\napiVersion: v1\nmetadata: {name: p}\nspec:\n  hostUsers: false\n  containers:\n  - name: app\n    securityContext: {procMount: Unmasked}\n",
  example_good = "kind: Pod\napiVersion: v1\nmetadata: {name: p}\nspec:\n  containers:\n  - name: app\n    securityContext: {procMount: Default}\n",
  kinds = { "workloads", "PodTemplate" },
  check = function(obj, ctx)
    for c in obj:containers() do
      local v = c:get("securityContext.procMount")
      if v and not v:is_null() and v:str() ~= "Default" then
        ctx:report{node = v, message = ("container %s sets securityContext.procMount to %s; the \"/proc Mount Type\" control allows only \"Default\" or undefined"):format(c.label, q(v:str() or ""))}
      end
    end
  end,
}
