-- app-armor-profile.lua -- PSS baseline "AppArmor" (PSA check appArmorProfile).
-- Restricted fields: securityContext.appArmorProfile.type of the pod and of containers,
-- initContainers and ephemeralContainers (allowed: undefined/null, RuntimeDefault,
-- Localhost), and the pod's annotations container.apparmor.security.beta.kubernetes.io/*
-- (allowed: undefined, "", runtime/default, localhost/*).
local q = chartlint.quote  -- quotes values as the C checks do

local PREFIX = "container.apparmor.security.beta.kubernetes.io/"
local MSG = "; the \"AppArmor\" control allows only \"RuntimeDefault\", \"Localhost\" or undefined"

-- Report a securityContext.appArmorProfile whose type is not allowed.
local function profile(ctx, sc, who)
  local p = sc and sc:get("appArmorProfile")
  if not p or p:is_null() then return end
  local t = p:get("type")
  local s = t and not t:is_null() and t:str() or ""
  if s ~= "RuntimeDefault" and s ~= "Localhost" then
    ctx:report{node = t or p, message = ("%s sets securityContext.appArmorProfile.type to %s%s"):format(who, q(s), MSG)}
  end
end

return {
  id = "app-armor-profile", severity = "error", category = "security",
  summary = "AppArmor profile is overridden or disabled",
  rationale = "The runtime's default AppArmor profile confines containers on supporting nodes; the baseline \"AppArmor\" control forbids disabling it (Unconfined) and allows only the runtime default or profiles loaded on the node.",
  remediation = "Use securityContext.appArmorProfile.type RuntimeDefault or Localhost (or leave it unset), and remove annotations that set another profile.",
  example_bad = "kind: Pod\napiVersion: v1\nmetadata: {name: p}\nspec:\n  securityContext:\n    appArmorProfile: {type: Unconfined}\n  containers:\n  - name: app\n",
  example_good = "kind: Pod\napiVersion: v1\nmetadata: {name: p}\nspec:\n  securityContext:\n    appArmorProfile: {type: RuntimeDefault}\n  containers:\n  - name: app\n",
  kinds = { "workloads", "PodTemplate" },
  check = function(obj, ctx)
    local spec = obj:pod_spec()
    if not spec then return end
    profile(ctx, spec:get("securityContext"), "pod")
    for c in obj:containers() do
      profile(ctx, c:get("securityContext"), ("container %s"):format(c.label))
    end
    local meta = obj:pod_meta()
    local ann = meta and meta:get("annotations")
    if ann and ann:type() == "map" then
      for key, v in ann:items() do
        if type(key) == "string" and key:sub(1, #PREFIX) == PREFIX then
          local s = v:is_null() and "" or v:str() or ""
          if s ~= "" and s ~= "runtime/default" and s:sub(1, 10) ~= "localhost/" then
            ctx:report{node = v, container = key:sub(#PREFIX + 1),
                       message = ("annotation %s sets AppArmor profile %s; the \"AppArmor\" control allows only \"runtime/default\", \"localhost/*\" or undefined"):format(q(key), q(s))}
          end
        end
      end
    end
  end,
}
