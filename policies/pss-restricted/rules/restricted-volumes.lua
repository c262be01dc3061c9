-- restricted-volumes.lua -- PSS "Volume Types" (PSA check restrictedVolumes), which in
-- the restricted profile overrides the baseline "HostPath Volumes" control (hostPath is
-- one of the forbidden types). Restricted field: spec.volumes[*]; a volume passes when
-- it uses one of configMap, csi, downwardAPI, emptyDir, ephemeral, image,
-- persistentVolumeClaim, projected, secret (a volume naming no source at all is
-- defaulted to emptyDir by the API server before admission).
local q = chartlint.quote  -- quotes values as the C checks do

local ALLOWED = {
  configMap = true, csi = true, downwardAPI = true, emptyDir = true, ephemeral = true,
  image = true, persistentVolumeClaim = true, projected = true, secret = true,
}
local FORBIDDEN = {}
for _, t in ipairs({ "hostPath", "gcePersistentDisk", "awsElasticBlockStore", "gitRepo",
                     "nfs", "iscsi", "glusterfs", "rbd", "flexVolume", "cinder", "cephfs",
                     "flocker", "fc", "azureFile", "vsphereVolume", "quobyte", "azureDisk",
                     "portworxVolume", "photonPersistentDisk", "scaleIO", "storageos" }) do
  FORBIDDEN[t] = true
end

return {
  id = "restricted-volumes", severity = "error", category = "security",
  summary = "Pod uses a volume type outside the restricted set",
  rationale = "hostPath volumes expose the node's file system (the baseline \"HostPath Volumes\" control) and other inline volume types bypass the storage classes and PersistentVolumes an administrator controls; the restricted \"Volume Types\" control allows only the core ephemeral and claim-based types.",
  remediation = "Use configMap, csi, downwardAPI, emptyDir, ephemeral, image, persistentVolumeClaim, projected or secret volumes; mount other storage through a PersistentVolumeClaim.",
  example_bad = "kind: Pod\napiVersion: v1\nmetadata: {name: p}\nspec:\n  volumes:\n  - name: host\n    hostPath: {path: /var/run}\n  containers:\n  - name: app\n",
  example_good = "kind: Pod\napiVersion: v1\nmetadata: {name: p}\nspec:\n  volumes:\n  - name: scratch\n    emptyDir: {}\n  containers:\n  - name: app\n",
  kinds = { "workloads", "PodTemplate" },
  check = function(obj, ctx)
    local spec = obj:pod_spec()
    local vols = spec and spec:get("volumes")
    if not vols or vols:type() ~= "seq" then return end
    for _, v in vols:items() do
      if v:type() == "map" then
        local ok, bad = false, nil
        for key, src in v:items() do
          if type(key) == "string" and not src:is_null() then
            if ALLOWED[key] then
              ok = true
            elseif FORBIDDEN[key] and not bad then
              bad = { key = key, node = src }
            end
          end
        end
        if not ok and bad then
          local n = v:get("name")
          local control = bad.key == "hostPath" and "\"HostPath Volumes\" and \"Volume Types\" controls forbid"
                          or "\"Volume Types\" control forbids"
          ctx:report{node = bad.node, message = ("volume %s uses the %s volume type; the %s it (allowed: configMap, csi, downwardAPI, emptyDir, ephemeral, image, persistentVolumeClaim, projected, secret)"):format(q(n and n:str() or ""), q(bad.key), control)}
        end
      end
    end
  end,
}
