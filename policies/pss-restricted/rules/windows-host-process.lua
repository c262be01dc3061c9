-- windows-host-process.lua -- PSS baseline "HostProcess" (PSA check windowsHostProcess).
-- Restricted fields: spec.securityContext.windowsOptions.hostProcess and the same field
-- of every container (containers, initContainers, ephemeralContainers).
-- Allowed values: undefined/null, false.
return {
  id = "windows-host-process", severity = "error", category = "security",
  summary = "Pod or container runs as a Windows HostProcess container",
  rationale = "A HostProcess container has privileged access to the Windows node; the baseline \"HostProcess\" control of the Pod Security Standards forbids it.",
  remediation = "Remove securityContext.windowsOptions.hostProcess or set it to false on the pod and every container.",
  example_bad = "kind: Pod\napiVersion: v1\nmetadata: {name: p}\nspec:\n  securityContext:\n    windowsOptions: {hostProcess: true}\n  containers:\n  - name: app\n",
  example_good = "kind: Pod\napiVersion: v1\nmetadata: {name: p}\nspec:\n  containers:\n  - name: app\n",
  kinds = { "workloads", "PodTemplate" },
  check = function(obj, ctx)
    local spec = obj:pod_spec()
    if not spec then return end
    local v = spec:get("securityContext.windowsOptions.hostProcess")
    if v and v:is_true() then
      ctx:report{node = v, message = "pod sets securityContext.windowsOptions.hostProcess to true; the \"HostProcess\" control allows only false or undefined"}
    end
    for c in obj:containers() do
      v = c:get("securityContext.windowsOptions.hostProcess")
      if v and v:is_true() then
        ctx:report{node = v, message = ("container %s sets securityContext.windowsOptions.hostProcess to true; the \"HostProcess\" control allows only false or undefined"):format(c.label)}
      end
    end
  end,
}
