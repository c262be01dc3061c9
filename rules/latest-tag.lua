-- latest-tag.lua -- CL2007: an image has no tag or uses :latest.
local q = chartlint.quote  -- quotes values as the C checks do

-- Does the image name a tag: a ":" after its last "/" (one before is a registry's
-- port)? A few plain finds: the pattern "^.*/(.*)$" cost Lua's matcher a step and a
-- backtrack per character, ~3.5k instructions per image.
local function tagged(s)
  local colon = s:find(":", 1, true)
  if not colon then
    return false
  end
  local slash = s:find("/", colon + 1, true)
  while slash do
    colon = s:find(":", slash + 1, true)
    if not colon then
      return false
    end
    slash = s:find("/", colon + 1, true)
  end
  return true
end

return {
  id = "latest-tag", code = "CL2007", severity = "warning", category = "reliability",
  summary = "Image has no tag or uses :latest",
  rationale = "A moving tag makes rollouts unreproducible and rollbacks meaningless.",
  remediation = "Pin the image to a version tag or a digest.",
  example_bad = "kind: Pod\napiVersion: v1\nmetadata: {name: p}\nspec:\n  containers:\n  - {name: app, image: \"nginx:latest\"}\n",
  example_good = "kind: Pod\napiVersion: v1\nmetadata: {name: p}\nspec:\n  containers:\n  - {name: app, image: \"nginx:1.27.0\"}\n",
  kinds = { "workloads" },
  check = function(obj, ctx)
    for c in obj:containers() do
      local image = c:get("image")
      local s = image and image:str()
      if s and not s:find("@", 1, true) then
        if s:find(":latest", -7, true) then      -- ends with it: the tag is "latest"
          ctx:report{node = image, container = c.name,
                     message = ("container %s uses the moving tag \"latest\" (%s)"):format(c.label, q(s))}
        elseif not tagged(s) then
          ctx:report{node = image, container = c.name,
                     message = ("container %s has an image without a tag (%s)"):format(c.label, q(s))}
        end
      end
    end
  end,
}
