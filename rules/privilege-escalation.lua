-- privilege-escalation.lua -- CL1006: allowPrivilegeEscalation is not explicitly false.
return {
  id = "privilege-escalation", code = "CL1006", severity = "warning", category = "security",
  summary = "Container may gain more privileges than its parent process",
  rationale = "Unless allowPrivilegeEscalation is false, setuid binaries and file capabilities let a process in the container raise its privileges.",
  remediation = "Set securityContext.allowPrivilegeEscalation: false on every container.",
  example_bad = "kind: Pod\napiVersion: v1\nmetadata: {name: p}\nspec:\n  containers:\n  - name: app\n",
  example_good = "kind: Pod\napiVersion: v1\nmetadata: {name: p}\nspec:\n  containers:\n  - name: app\n    securityContext: {allowPrivilegeEscalation: false}\n",
  kinds = { "workloads" },
  check = function(obj, ctx)
    for c in obj:containers() do
      local a = c:get("securityContext.allowPrivilegeEscalation")
      if not a or a:bool() ~= false then
        ctx:report{node = a or c, container = c.name,
                   message = ("container %s does not set allowPrivilegeEscalation to false"):format(c.label)}
      end
    end
  end,
}
