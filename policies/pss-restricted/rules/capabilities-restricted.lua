-- capabilities-restricted.lua -- PSS "Capabilities": the restricted control (PSA check
-- capabilities_restricted), which in the restricted profile overrides the baseline one
-- (capabilities_baseline: add only from the default set).
-- Restricted fields: securityContext.capabilities.drop (must include "ALL") and
-- securityContext.capabilities.add (undefined, empty or "NET_BIND_SERVICE") of containers,
-- initContainers and ephemeralContainers. Pods with spec.os.name: windows are exempt.
local q = chartlint.quote  -- quotes values as the C checks do

local DEFAULT_SET = {}
for _, c in ipairs({ "AUDIT_WRITE", "CHOWN", "DAC_OVERRIDE", "FOWNER", "FSETID", "KILL",
                     "MKNOD", "NET_BIND_SERVICE", "SETFCAP", "SETGID", "SETPCAP", "SETUID",
                     "SYS_CHROOT" }) do
  DEFAULT_SET[c] = true
end

return {
  id = "capabilities-restricted", severity = "error", category = "security",
  summary = "Container keeps capabilities: it must drop ALL and add at most NET_BIND_SERVICE",
  rationale = "Linux capabilities split root's power; the baseline \"Capabilities\" control forbids adding any beyond the runtime's default set, and the restricted one requires dropping them all and adding back at most NET_BIND_SERVICE.",
  remediation = "Set securityContext.capabilities.drop: [\"ALL\"] on every container and add nothing but NET_BIND_SERVICE.",
  example_bad = "kind: Pod\napiVersion: v1\nmetadata: {name: p}\nspec:\n  containers:\n  - name: app\n",
  example_good = "kind: Pod\napiVersion: v1\nmetadata: {name: p}\nspec:\n  containers:\n  - name: app\n    securityContext:\n      capabilities: {drop: [ALL], add: [NET_BIND_SERVICE]}\n",
  kinds = { "workloads", "PodTemplate" },
  check = function(obj, ctx)
    local spec = obj:pod_spec()
    local os = spec and spec:get("os.name")
    if os and os:str() == "windows" then return end
    for c in obj:containers() do
      local caps = c:get("securityContext.capabilities")
      local drop = caps and caps:get("drop")
      local dropped = false
      if drop and drop:type() == "seq" then
        for _, d in drop:items() do
          if d:str() == "ALL" then dropped = true end
        end
      end
      if not dropped then
        ctx:report{node = drop or caps or c:get("securityContext") or c,
                   message = ("container %s does not drop \"ALL\" capabilities; the restricted \"Capabilities\" control requires securityContext.capabilities.drop to include \"ALL\""):format(c.label)}
      end
      local add = caps and caps:get("add")
      if add and add:type() == "seq" then
        for _, a in add:items() do
          local s = a:str() or ""
          if s ~= "NET_BIND_SERVICE" then
            local why = DEFAULT_SET[s] and "" or ", which is outside the baseline default set"
            ctx:report{node = a, message = ("container %s adds capability %s%s; the restricted \"Capabilities\" control allows adding only \"NET_BIND_SERVICE\""):format(c.label, q(s), why)}
          end
        end
      end
    end
  end,
}
