module.exports = (0, require)("node:async_hooks");
