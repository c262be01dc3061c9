-- privileged.lua -- PSS baseline "Privileged Containers" (PSA check privileged).
-- Restricted fields: securityContext.privileged of containers, initContainers and
-- ephemeralContainers. Allowed values: undefined/null, false.
return {
  id = "privileged", severity = "error", category = "security",
  summary = "Container runs privileged",
  rationale = "A privileged container disables most isolation mechanisms and can take over the node; the baseline \"Privileged Containers\" control forbids it.",
  remediation = "Remove securityContext.privileged or set it to false on every container.",
  example_bad = "kind: Pod\napiVersion: v1\nmetadata: {name: p}\nspec:\n  containers:\n  - name: app\n    securityContext: {privileged: true}\n",
  example_good = "kind: Pod\napiVersion: v1\nmetadata: {name: p}\nspec:\n  containers:\n  - name: app\n    securityContext: {privileged: false}\n",
  kinds = { "workloads", "PodTemplate" },
  check = function(obj, ctx)
    for c in obj:containers() do
      local v = c:get("securityContext.privileged")
      if v and v:is_true() then
        ctx:report{node = v, message = ("container %s sets securityContext.privileged to true; the \"Privileged Containers\" control allows only false or undefined"):format(c.label)}
      end
    end
  end,
}
