-- image-pull-policy.lua -- CL2008: imagePullPolicy is not set explicitly, or is Never.
return {
  id = "image-pull-policy", code = "CL2008", severity = "info", category = "reliability",
  summary = "Image pull policy is implicit or Never",
  rationale = "The default pull policy depends on the tag, so it changes when the tag does; Never runs whatever image a node happens to have.",
  remediation = "Set imagePullPolicy explicitly to IfNotPresent or Always.",
  example_bad = "kind: Pod\napiVersion: v1\nmetadata: {name: p}\nspec:\n  containers:\n  - {name: app, image: \"nginx:1.27.0\"}\n",
  example_good = "kind: Pod\napiVersion: v1\nmetadata: {name: p}\nspec:\n  containers:\n  - {name: app, image: \"nginx:1.27.0\", imagePullPolicy: IfNotPresent}\n",
  kinds = { "workloads" },
  check = function(obj, ctx)
    for c in obj:containers() do
      local p = c:get("imagePullPolicy")
      local s = p and p:str()
      if not p then
        ctx:report{node = c, container = c.name,
                   message = ("container %s does not set imagePullPolicy"):format(c.label)}
      elseif s == "Never" then
        ctx:report{node = p, container = c.name,
                   message = ("container %s has imagePullPolicy \"Never\""):format(c.label)}
      end
    end
  end,
}
