-- no-default-namespace: objects name a namespace, and not a forbidden one.
return {
  id = "no-default-namespace",
  severity = "warning",
  category = "hygiene",
  summary = "Object has no namespace or a forbidden one",
  rationale = "Objects in the default namespace mix with everything else and escape per-team quotas.",
  remediation = "Set metadata.namespace to the team's namespace.",
  example_bad = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n",
  example_good = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c, namespace: shop}\n",
  params = {
    forbidden = { type = "list", default = { "default" }, doc = "namespaces objects must not use" },
  },
  check = function(obj, ctx)
    local ns = obj:get("metadata.namespace")
    if not ns then
      ctx:report{ node = obj:get("metadata") or obj, message = ("%s %q names no namespace"):format(obj.kind:lower(), obj.name or "") }
      return
    end
    for _, bad in ipairs(ctx.params.forbidden) do
      if ns:str() == bad then
        ctx:report{ node = ns, message = ("%s %q is in the forbidden namespace %q"):format(obj.kind:lower(), obj.name or "", bad) }
      end
    end
  end,
}
