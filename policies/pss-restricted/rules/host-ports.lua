-- host-ports.lua -- PSS baseline "Host Ports" (PSA check hostPorts).
-- Restricted fields: ports[*].hostPort of containers, initContainers and
-- ephemeralContainers. Allowed values: undefined/null, 0.
local q = chartlint.quote  -- quotes values as the C checks do

return {
  id = "host-ports", severity = "error", category = "security",
  summary = "Container binds a host port",
  rationale = "A host port exposes the container on the node's own address, bypassing network policies and limiting scheduling; the baseline \"Host Ports\" control forbids it.",
  remediation = "Remove hostPort (or set it to 0) and expose the pod through a Service.",
  example_bad = "kind: Pod\napiVersion: v1\nmetadata: {name: p}\nspec:\n  containers:\n  - name: app\n    ports:\n    - {containerPort: 80, hostPort: 80}\n",
  example_good = "kind: Pod\napiVersion: v1\nmetadata: {name: p}\nspec:\n  containers:\n  - name: app\n    ports:\n    - {containerPort: 80}\n",
  kinds = { "workloads", "PodTemplate" },
  check = function(obj, ctx)
    for c in obj:containers() do
      local ports = c:get("ports")
      if ports and ports:type() == "seq" then
        for _, p in ports:items() do
          local hp = p:get("hostPort")
          if hp and not hp:is_null() and hp:int() ~= 0 then
            ctx:report{node = hp, message = ("container %s sets hostPort %s; the \"Host Ports\" control allows only 0 or undefined"):format(c.label, hp:str() and q(hp:str()) or "to a " .. hp:type())}
          end
        end
      end
    end
  end,
}
