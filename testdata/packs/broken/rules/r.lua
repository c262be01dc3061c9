return { id = "r", check = function(obj, ctx) end }
