-- allow-privilege-escalation.lua -- PSS restricted "Privilege Escalation" (PSA check
-- allowPrivilegeEscalation). Restricted field: securityContext.allowPrivilegeEscalation
-- of containers, initContainers and ephemeralContainers. Allowed value: false.
-- Pods with spec.os.name: windows are exempt (v1.25+).
local q = chartlint.quote  -- quotes values as the C checks do

return {
  id = "allow-privilege-escalation", severity = "error", category = "security",
  summary = "Container does not forbid privilege escalation",
  rationale = "Unless allowPrivilegeEscalation is false, set-user-ID binaries and file capabilities let a process gain more privileges than its parent; the restricted \"Privilege Escalation\" control requires false.",
  remediation = "Set securityContext.allowPrivilegeEscalation: false on every container.",
  example_bad = "kind: Pod\napiVersion: v1\nmetadata: {name: p}\nspec:\n  containers:\n  - name: app\n",
  example_good = "kind: Pod\napiVersion: v1\nmetadata: {name: p}\nspec:\n  containers:\n  - name: app\n    securityContext: {allowPrivilegeEscalation: false}\n",
  kinds = { "workloads", "PodTemplate" },
  check = function(obj, ctx)
    local spec = obj:pod_spec()
    local os = spec and spec:get("os.name")
    if os and os:str() == "windows" then return end
    for c in obj:containers() do
      local v = c:get("securityContext.allowPrivilegeEscalation")
      if not v or v:is_null() then
        ctx:report{node = c:get("securityContext") or c, message = ("container %s does not set securityContext.allowPrivilegeEscalation; the \"Privilege Escalation\" control requires false"):format(c.label)}
      elseif v:bool() == nil then
        ctx:report{node = v, message = ("container %s sets securityContext.allowPrivilegeEscalation to %s, which is not a boolean; the \"Privilege Escalation\" control requires false"):format(c.label, v:str() and q(v:str()) or "a " .. v:type())}
      elseif v:bool() then
        ctx:report{node = v, message = ("container %s sets securityContext.allowPrivilegeEscalation to true; the \"Privilege Escalation\" control requires false"):format(c.label)}
      end
    end
  end,
}
