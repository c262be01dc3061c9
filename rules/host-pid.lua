-- host-pid.lua -- CL1008: the pod shares the host's PID namespace.
return {
  id = "host-pid", code = "CL1008", severity = "error", category = "security",
  summary = "Pod uses the host PID namespace",
  rationale = "A pod with hostPID: true shares the node's process namespace: it sees and can signal every process on the node.",
  remediation = "Remove hostPID from the pod spec or set it to false.",
  example_bad = "kind: Pod\napiVersion: v1\nmetadata: {name: p}\nspec:\n  hostPID: true\n  containers:\n  - name: app\n",
  example_good = "kind: Pod\napiVersion: v1\nmetadata: {name: p}\nspec:\n  containers:\n  - name: app\n",
  kinds = { "workloads" },
  check = function(obj, ctx)
    local spec = obj:pod_spec()
    local v = spec and spec:get("hostPID")
    if v and v:is_true() then
      ctx:report{node = v, message = ("pod spec sets hostPID: true")}
    end
  end,
}
