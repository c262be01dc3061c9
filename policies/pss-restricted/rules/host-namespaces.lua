-- host-namespaces.lua -- PSS baseline "Host Namespaces" (PSA check hostNamespaces).
-- Restricted fields: spec.hostNetwork, spec.hostPID, spec.hostIPC.
-- Allowed values: undefined/null, false.
return {
  id = "host-namespaces", severity = "error", category = "security",
  summary = "Pod shares a host namespace (network, PID or IPC)",
  rationale = "Sharing the node's network, process or IPC namespace lets a pod see and reach what other pods and the node itself do; the baseline \"Host Namespaces\" control forbids it.",
  remediation = "Remove hostNetwork, hostPID and hostIPC from the pod spec or set them to false.",
  example_bad = "kind: Pod\napiVersion: v1\nmetadata: {name: p}\nspec:\n  hostNetwork: true\n  containers:\n  - name: app\n",
  example_good = "kind: Pod\napiVersion: v1\nmetadata: {name: p}\nspec:\n  hostNetwork: false\n  containers:\n  - name: app\n",
  kinds = { "workloads", "PodTemplate" },
  check = function(obj, ctx)
    local spec = obj:pod_spec()
    if not spec then return end
    for _, field in ipairs({ "hostNetwork", "hostPID", "hostIPC" }) do
      local v = spec:get(field)
      if v and v:is_true() then
        ctx:report{node = v, message = ("pod sets %s to true; the \"Host Namespaces\" control allows only false or undefined"):format(field)}
      end
    end
  end,
}
