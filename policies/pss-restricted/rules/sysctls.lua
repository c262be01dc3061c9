-- sysctls.lua -- PSS baseline "Sysctls" (PSA check sysctls, the v1.32 set that v1.35 uses).
-- Restricted field: spec.securityContext.sysctls[*].name. Allowed values: the safe set.
local q = chartlint.quote  -- quotes values as the C checks do

local SAFE = {}
for _, name in ipairs({
  "kernel.shm_rmid_forced", "net.ipv4.ip_local_port_range", "net.ipv4.tcp_syncookies",
  "net.ipv4.ping_group_range", "net.ipv4.ip_unprivileged_port_start",
  "net.ipv4.ip_local_reserved_ports", "net.ipv4.tcp_keepalive_time",
  "net.ipv4.tcp_fin_timeout", "net.ipv4.tcp_keepalive_intvl", "net.ipv4.tcp_keepalive_probes",
  "net.ipv4.tcp_rmem", "net.ipv4.tcp_wmem",
}) do SAFE[name] = true end

return {
  id = "sysctls", severity = "error", category = "security",
  summary = "Pod sets a sysctl outside the safe set",
  rationale = "Sysctls outside the safe set can disable security mechanisms or affect every pod on the node; the baseline \"Sysctls\" control allows only namespaced, isolated ones.",
  remediation = "Remove the sysctl from spec.securityContext.sysctls, or set it on the node instead.",
  example_bad = "kind: Pod\napiVersion: v1\nmetadata: {name: p}\nspec:\n  securityContext:\n    sysctls:\n    - {name: kernel.msgmax, value: \"65536\"}\n  containers:\n  - name: app\n",
  example_good = "kind: Pod\napiVersion: v1\nmetadata: {name: p}\nspec:\n  securityContext:\n    sysctls:\n    - {name: net.ipv4.tcp_syncookies, value: \"1\"}\n  containers:\n  - name: app\n",
  kinds = { "workloads", "PodTemplate" },
  check = function(obj, ctx)
    local spec = obj:pod_spec()
    local list = spec and spec:get("securityContext.sysctls")
    if not list or list:type() ~= "seq" then return end
    for _, s in list:items() do
      local n = s:get("name")
      local name = n and not n:is_null() and n:str() or ""
      if not SAFE[name] then
        ctx:report{node = n or s, message = ("pod sets sysctl %s; the \"Sysctls\" control allows only the safe set (kernel.shm_rmid_forced, net.ipv4.*: ip_local_port_range, ip_local_reserved_ports, ip_unprivileged_port_start, ping_group_range, tcp_syncookies, tcp_keepalive_time/intvl/probes, tcp_fin_timeout, tcp_rmem, tcp_wmem)"):format(q(name))}
      end
    end
  end,
}
