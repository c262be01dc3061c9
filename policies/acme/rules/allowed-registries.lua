-- allowed-registries.lua -- images come only from the organisation's registries.
local q = chartlint.quote  -- quotes values as the C checks do

return {
  id = "allowed-registries", severity = "error", category = "security",
  summary = "Image comes from a registry that is not allowed",
  rationale = "Images from unvetted registries bypass the organisation's scanning, signing and mirroring; an outage or takeover of a public registry then breaks or compromises deployments.",
  remediation = "Pull the image through an allowed registry (mirror it there first).",
  example_bad = "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - {name: app, image: \"nginx:1.27\"}\n",
  example_good = "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - {name: app, image: \"registry.acme.example/web/nginx:1.27\"}\n",
  kinds = { "workloads" },
  params = {
    registries = { type = "list", default = { "^registry\\.acme\\.example/" },
                   doc = "PCRE2 patterns; an image must match at least one" },
  },
  check = function(obj, ctx)
    local patterns = {}
    for i, p in ipairs(ctx.params.registries) do
      patterns[i] = chartlint.regex(p)
    end
    for c in obj:containers() do
      local image = c:get("image")
      local s = image and image:str()
      if s then
        local ok = false
        for _, re in ipairs(patterns) do
          if re:match(s) then ok = true break end
        end
        if not ok then
          ctx:report{node = image, message = ("container %s uses image %s from a registry that is not allowed (allowed: %s)"):format(c.label, q(s), table.concat(ctx.params.registries, ", "))}
        end
      end
    end
  end,
}
