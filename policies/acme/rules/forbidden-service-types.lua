-- forbidden-service-types.lua -- Services are not exposed outside the cluster directly.
local q = chartlint.quote  -- quotes values as the C checks do

return {
  id = "forbidden-service-types", severity = "error", category = "security",
  summary = "Service uses a forbidden type",
  rationale = "NodePort and LoadBalancer Services open the workload to networks outside the cluster, around the organisation's ingress, TLS and WAF.",
  remediation = "Use a ClusterIP Service behind the shared ingress controller.",
  example_bad = "apiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec:\n  type: NodePort\n  ports: [{port: 80}]\n",
  example_good = "apiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec:\n  ports: [{port: 80}]\n",
  kinds = { "Service" },
  params = {
    types = { type = "list", default = { "NodePort", "LoadBalancer" },
              doc = "Service types that are not allowed" },
  },
  check = function(obj, ctx)
    local t = obj:get("spec.type")
    local s = t and t:str()
    if not s then return end
    for _, bad in ipairs(ctx.params.types) do
      if s == bad then
        ctx:report{node = t, message = ("service %s has type %s, which is not allowed (forbidden: %s)"):format(q(obj.name), q(s), table.concat(ctx.params.types, ", "))}
      end
    end
  end,
}
