-- run-as-user.lua -- PSS restricted "Running as Non-root user" (PSA check runAsUser, v1.23+).
-- Restricted fields: spec.securityContext.runAsUser and securityContext.runAsUser of
-- containers, initContainers and ephemeralContainers. Allowed: non-zero, undefined/null;
-- any value when spec.hostUsers is false (v1.35+).
local MSG = "; the \"Running as Non-root user\" control forbids UID 0"

return {
  id = "run-as-user", severity = "error", category = "security",
  summary = "Pod or container runs as UID 0",
  rationale = "runAsUser: 0 runs the process as root whatever the image says; the restricted \"Running as Non-root user\" control forbids it.",
  remediation = "Set runAsUser to a non-zero UID, or remove it and rely on the image's non-root user.",
  example_bad = "kind: Pod\napiVersion: v1\nmetadata: {name: p}\nspec:\n  securityContext: {runAsUser: 0}\n  containers:\n  - name: app\n",
  example_good = "kind: Pod\napiVersion: v1\nmetadata: {name: p}\nspec:\n  securityContext: {runAsUser: 1000}\n  containers:\n  - name: app\n",
  kinds = { "workloads", "PodTemplate" },
  check = function(obj, ctx)
    local spec = obj:pod_spec()
    if not spec then return end
    local users = spec:get("hostUsers")
    if users and users:bool() == false then return end
    local v = spec:get("securityContext.runAsUser")
    if v and v:int() == 0 then
      ctx:report{node = v, message = "pod sets securityContext.runAsUser to 0" .. MSG}
    end
    for c in obj:containers() do
      v = c:get("securityContext.runAsUser")
      if v and v:int() == 0 then
        ctx:report{node = v, message = ("container %s sets securityContext.runAsUser to 0%s"):format(c.label, MSG)}
      end
    end
  end,
}
