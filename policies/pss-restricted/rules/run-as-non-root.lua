-- run-as-non-root.lua -- PSS restricted "Running as Non-root" (PSA check runAsNonRoot).
-- Restricted fields: spec.securityContext.runAsNonRoot and securityContext.runAsNonRoot of
-- containers, initContainers and ephemeralContainers. Allowed: true; undefined/null on a
-- container when the pod sets true; any value when spec.hostUsers is false (v1.35+).
local MSG = "; the \"Running as Non-root\" control requires true"

return {
  id = "run-as-non-root", severity = "error", category = "security",
  summary = "Container may run as root: runAsNonRoot is not true",
  rationale = "A container running as root (UID 0) is one kernel or runtime bug away from root on the node; the restricted \"Running as Non-root\" control requires runAsNonRoot: true on the pod or every container.",
  remediation = "Set spec.securityContext.runAsNonRoot: true (or on every container) and run the image as a non-zero UID.",
  example_bad = "kind: Pod\napiVersion: v1\nmetadata: {name: p}\nspec:\n  containers:\n  - name: app\n",
  example_good = "kind: Pod\napiVersion: v1\nmetadata: {name: p}\nspec:\n  securityContext: {runAsNonRoot: true}\n  containers:\n  - name: app\n",
  kinds = { "workloads", "PodTemplate" },
  check = function(obj, ctx)
    local spec = obj:pod_spec()
    if not spec then return end
    local users = spec:get("hostUsers")
    if users and users:bool() == false then return end
    local pod = spec:get("securityContext.runAsNonRoot")
    local pod_set = pod and not pod:is_null()
    if pod_set and not pod:is_true() then
      ctx:report{node = pod, message = ("pod sets securityContext.runAsNonRoot to %s%s"):format(pod:str() or "a " .. pod:type(), MSG)}
    end
    for c in obj:containers() do
      local v = c:get("securityContext.runAsNonRoot")
      if v and not v:is_null() then
        if not v:is_true() then
          ctx:report{node = v, message = ("container %s sets securityContext.runAsNonRoot to %s%s"):format(c.label, v:str() or "a " .. v:type(), MSG)}
        end
      elseif not pod_set then
        ctx:report{node = c:get("securityContext") or c, message = ("neither the pod nor container %s sets securityContext.runAsNonRoot; the \"Running as Non-root\" control requires true on the pod or on every container"):format(c.label)}
      end
    end
  end,
}
