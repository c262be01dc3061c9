-- host-ipc.lua -- CL1009: the pod shares the host's IPC namespace.
return {
  id = "host-ipc", code = "CL1009", severity = "error", category = "security",
  summary = "Pod uses the host IPC namespace",
  rationale = "A pod with hostIPC: true shares the node's IPC namespace: it can read shared memory of processes on the node.",
  remediation = "Remove hostIPC from the pod spec or set it to false.",
  example_bad = "kind: Pod\napiVersion: v1\nmetadata: {name: p}\nspec:\n  hostIPC: true\n  containers:\n  - name: app\n",
  example_good = "kind: Pod\napiVersion: v1\nmetadata: {name: p}\nspec:\n  containers:\n  - name: app\n",
  kinds = { "workloads" },
  check = function(obj, ctx)
    local spec = obj:pod_spec()
    local v = spec and spec:get("hostIPC")
    if v and v:is_true() then
      ctx:report{node = v, message = ("pod spec sets hostIPC: true")}
    end
  end,
}
