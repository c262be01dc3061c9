-- se-linux-options.lua -- PSS baseline "SELinux" (PSA check seLinuxOptions, v1.31+ types).
-- Restricted fields: securityContext.seLinuxOptions.{type,user,role} of the pod and of
-- containers, initContainers and ephemeralContainers.
-- Allowed: type undefined/"" or container_t, container_init_t, container_kvm_t,
-- container_engine_t; user and role undefined/"".
local q = chartlint.quote  -- quotes values as the C checks do

local TYPES = {
  [""] = true, container_t = true, container_init_t = true, container_kvm_t = true,
  container_engine_t = true,
}

local function text(n)
  return n and not n:is_null() and n:str() or ""
end

local function options(ctx, sc, who)
  local o = sc and sc:get("seLinuxOptions")
  if not o or o:is_null() then return end
  local t = o:get("type")
  if not TYPES[text(t)] then
    ctx:report{node = t, message = ("%s sets securityContext.seLinuxOptions.type to %s; the \"SELinux\" control allows only \"container_t\", \"container_init_t\", \"container_kvm_t\", \"container_engine_t\" or undefined"):format(who, q(text(t)))}
  end
  for _, field in ipairs({ "user", "role" }) do
    local n = o:get(field)
    if text(n) ~= "" then
      ctx:report{node = n, message = ("%s sets securityContext.seLinuxOptions.%s to %s; the \"SELinux\" control allows no custom %s"):format(who, field, q(text(n)), field)}
    end
  end
end

return {
  id = "se-linux-options", severity = "error", category = "security",
  summary = "Custom SELinux type, user or role",
  rationale = "A custom SELinux type, user or role can lift the confinement the container runtime applies; the baseline \"SELinux\" control allows only the container types and no custom user or role.",
  remediation = "Remove seLinuxOptions.user and .role, and use one of the container_* types or none.",
  example_bad = "kind: Pod\napiVersion: v1\nmetadata: {name: p}\nspec:\n  securityContext:\n    seLinuxOptions: {type: spc_t}\n  containers:\n  - name: app\n",
  example_good = "kind: Pod\napiVersion: v1\nmetadata: {name: p}\nspec:\n  securityContext:\n    seLinuxOptions: {type: container_t, level: \"s0:c123,c456\"}\n  containers:\n  - name: app\n",
  kinds = { "workloads", "PodTemplate" },
  check = function(obj, ctx)
    local spec = obj:pod_spec()
    if not spec then return end
    options(ctx, spec:get("securityContext"), "pod")
    for c in obj:containers() do
      options(ctx, c:get("securityContext"), ("container %s"):format(c.label))
    end
  end,
}
