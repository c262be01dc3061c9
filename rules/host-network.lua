-- host-network.lua -- CL1007: the pod shares the host's Network namespace.
return {
  id = "host-network", code = "CL1007", severity = "error", category = "security",
  summary = "Pod uses the host Network namespace",
  rationale = "A pod with hostNetwork: true shares the node's network namespace: it sees every interface and can bind host ports.",
  remediation = "Remove hostNetwork from the pod spec or set it to false.",
  example_bad = "kind: Pod\napiVersion: v1\nmetadata: {name: p}\nspec:\n  hostNetwork: true\n  containers:\n  - name: app\n",
  example_good = "kind: Pod\napiVersion: v1\nmetadata: {name: p}\nspec:\n  containers:\n  - name: app\n",
  kinds = { "workloads" },
  check = function(obj, ctx)
    local spec = obj:pod_spec()
    local v = spec and spec:get("hostNetwork")
    if v and v:is_true() then
      ctx:report{node = v, message = ("pod spec sets hostNetwork: true")}
    end
  end,
}
