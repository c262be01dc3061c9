-- privileged-container.lua -- CL1005: a container runs privileged.
return {
  id = "privileged-container", code = "CL1005", severity = "error", category = "security",
  summary = "Container runs privileged",
  rationale = "A privileged container has every capability and the host's devices, so a compromise of it is a compromise of the node.",
  remediation = "Remove securityContext.privileged or set it to false, and grant only the capabilities the container needs.",
  example_bad = "kind: Pod\napiVersion: v1\nmetadata: {name: p}\nspec:\n  containers:\n  - name: app\n    securityContext: {privileged: true}\n",
  example_good = "kind: Pod\napiVersion: v1\nmetadata: {name: p}\nspec:\n  containers:\n  - name: app\n",
  kinds = { "workloads" },
  check = function(obj, ctx)
    for c in obj:containers() do
      local p = c:get("securityContext.privileged")
      if p and p:is_true() then
        ctx:report{node = p, container = c.name,
                   message = ("container %s runs privileged"):format(c.label)}
      end
    end
  end,
}
