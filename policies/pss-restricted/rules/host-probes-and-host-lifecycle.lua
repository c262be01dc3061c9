-- host-probes-and-host-lifecycle.lua -- PSS baseline "Host Probes / Lifecycle Hooks"
-- (v1.34+, PSA check hostProbesAndHostLifecycle).
-- Restricted fields: {liveness,readiness,startup}Probe.{httpGet,tcpSocket}.host and
-- lifecycle.{postStart,preStop}.{httpGet,tcpSocket}.host of containers,
-- initContainers and ephemeralContainers. Allowed values: undefined/null, "".
local q = chartlint.quote  -- quotes values as the C checks do

local HANDLERS = {
  "livenessProbe", "readinessProbe", "startupProbe", "lifecycle.postStart", "lifecycle.preStop",
}

return {
  id = "host-probes-and-host-lifecycle", severity = "error", category = "security",
  summary = "Probe or lifecycle hook sends requests to another host",
  rationale = "The host field of an httpGet or tcpSocket probe or lifecycle hook makes the kubelet connect to an arbitrary address from the node; the baseline \"Host Probes / Lifecycle Hooks\" control (Kubernetes v1.34+) forbids it.",
  remediation = "Remove the host field (the pod's IP is used) or set it to \"\".",
  example_bad = "kind: Pod\napiVersion: v1\nmetadata: {name: p}\nspec:\n  containers:\n  - name: app\n    livenessProbe:\n      httpGet: {host: 169.254.169.254, port: 80}\n",
  example_good = "kind: Pod\napiVersion: v1\nmetadata: {name: p}\nspec:\n  containers:\n  - name: app\n    livenessProbe:\n      httpGet: {port: 80}\n",
  kinds = { "workloads", "PodTemplate" },
  check = function(obj, ctx)
    for c in obj:containers() do
      for _, handler in ipairs(HANDLERS) do
        for _, action in ipairs({ "httpGet", "tcpSocket" }) do
          local field = handler .. "." .. action .. ".host"
          local h = c:get(field)
          local s = h and not h:is_null() and h:str()
          if s and s ~= "" then
            ctx:report{node = h, message = ("container %s sets %s to %s; the \"Host Probes / Lifecycle Hooks\" control allows only \"\" or undefined"):format(c.label, field, q(s))}
          end
        end
      end
    end
  end,
}
