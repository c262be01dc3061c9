-- seccomp-profile-restricted.lua -- PSS "Seccomp": the restricted control (PSA check
-- seccompProfile_restricted, v1.19+), which in the restricted profile overrides the
-- baseline one (seccompProfile_baseline: if set, RuntimeDefault or Localhost).
-- Restricted fields: securityContext.seccompProfile.type of the pod and of containers,
-- initContainers and ephemeralContainers. Allowed: RuntimeDefault, Localhost; undefined on
-- a container when the pod sets an allowed type. Pods with spec.os.name: windows are exempt.
local q = chartlint.quote  -- quotes values as the C checks do

local MSG = "; the \"Seccomp\" control allows only \"RuntimeDefault\" or \"Localhost\""

-- The seccompProfile of a security context: nil when unset, else its type text.
local function profile(sc)
  local p = sc and sc:get("seccompProfile")
  if not p or p:is_null() then return nil end
  local t = p:get("type")
  local s = t and not t:is_null() and t:str() or ""
  return s, t or p
end

local function allowed(s)
  return s == "RuntimeDefault" or s == "Localhost"
end

return {
  id = "seccomp-profile-restricted", severity = "error", category = "security",
  summary = "Seccomp profile is not RuntimeDefault or Localhost",
  rationale = "Without a seccomp profile a container may call every system call the kernel offers; the baseline \"Seccomp\" control forbids Unconfined and the restricted one requires RuntimeDefault or Localhost on the pod or every container.",
  remediation = "Set spec.securityContext.seccompProfile.type: RuntimeDefault (or Localhost with a localhostProfile).",
  example_bad = "kind: Pod\napiVersion: v1\nmetadata: {name: p}\nspec:\n  containers:\n  - name: app\n",
  example_good = "kind: Pod\napiVersion: v1\nmetadata: {name: p}\nspec:\n  securityContext:\n    seccompProfile: {type: RuntimeDefault}\n  containers:\n  - name: app\n",
  kinds = { "workloads", "PodTemplate" },
  check = function(obj, ctx)
    local spec = obj:pod_spec()
    if not spec then return end
    local os = spec:get("os.name")
    if os and os:str() == "windows" then return end
    local pod, at = profile(spec:get("securityContext"))
    if pod and not allowed(pod) then
      ctx:report{node = at, message = ("pod sets securityContext.seccompProfile.type to %s%s"):format(q(pod), MSG)}
    end
    for c in obj:containers() do
      local s, n = profile(c:get("securityContext"))
      if s then
        if not allowed(s) then
          ctx:report{node = n, message = ("container %s sets securityContext.seccompProfile.type to %s%s"):format(c.label, q(s), MSG)}
        end
      elseif not pod then
        ctx:report{node = c:get("securityContext") or c, message = ("neither the pod nor container %s sets securityContext.seccompProfile; the \"Seccomp\" control requires type \"RuntimeDefault\" or \"Localhost\" on the pod or on every container"):format(c.label)}
      end
    end
  end,
}
